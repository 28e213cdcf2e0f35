"""Episode folders in the output folder that the review database does not know.

A build renames its finished folder into place and then registers it; a build
killed between the two, a folder copied from another PC or a database put
back from a backup leaves a folder with a ``manifest.json`` that neither the
site nor ``broadcast review`` shows. ``review list`` reports each one in one
line with what to do. Hidden folders (``.building-*``, ``.schedule``) and
folders without a manifest (reports) are not episodes.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from broadcast.config import Settings
from broadcast.errors import ManifestError
from broadcast.manifest import NAME, read_manifest
from broadcast.review.store import Store

DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})")


def unregistered(settings: Settings, store: Store) -> list[Path]:
    """Episode folders (a ``manifest.json`` inside) under the output folder that no episode record names."""
    root = settings.output.folder
    if not root.is_dir():
        return []
    known = {r.folder.resolve() for r in store.episodes()}
    found = []
    for child in sorted(root.iterdir()):
        if child.name.startswith(".") or not child.is_dir() or child.is_symlink():
            continue
        if (child / NAME).is_file() and child.resolve() not in known:
            found.append(child)
    return found


def _day(folder: Path) -> dt.date | None:
    """The episode's date from its manifest, else from the folder's name (YYYY-MM-DD-…)."""
    try:
        return read_manifest(folder).date
    except ManifestError:   # unreadable: the folder's name still says the day
        match = DAY.match(folder.name)
        try:
            return dt.date.fromisoformat(match.group(1)) if match else None
        except ValueError:
            return None


def unregistered_lines(settings: Settings, store: Store) -> list[str]:
    lines = []
    for folder in unregistered(settings, store):
        day = _day(folder)
        rebuild = (f"dựng lại số phát ngày {day:%d/%m/%Y} (broadcast build --date {day:%d/%m/%Y})" if day
                   else "dựng lại số phát đó (broadcast build --date NGÀY)")
        lines.append(f"Cảnh báo: thư mục {folder} có một số phát chưa được đăng ký để duyệt (bản dựng bị dừng "
                     f"trước khi ghi vào cơ sở dữ liệu, hoặc chép từ nơi khác), nên trang duyệt bài không thấy nó. "
                     f"Hãy {rebuild} rồi xóa thư mục này; nếu không cần nữa, chỉ cần xóa.")
    return lines
