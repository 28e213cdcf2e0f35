"""Output stage: the episode folder, written whole or not at all.

``audio_out/<YYYY-MM-DD>-<column-slug>/`` holds program.mp3, segments/,
script.md (the written script, for an announcer who reads live) and
manifest.json (what the review and publication steps read). It is built in a
hidden sibling folder and renamed into place, so a failed build leaves no half
folder and an earlier episode is never touched.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import unicodedata
from pathlib import Path

from broadcast import vnformat
from broadcast.errors import ManifestError, StateError
from broadcast.files import temp_folder
from broadcast.manifest import read_manifest
from broadcast.models import Script


def slug(text: str) -> str:
    """'Cải cách hành chính' → 'cai-cach-hanh-chinh'."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "chuong-trinh"


def episode_name(day: dt.date, column: str) -> str:
    return f"{day.isoformat()}-{slug(column)}"


def staging_folder(root: Path, name: str) -> Path:
    """A hidden folder beside the final one (same file system, so the rename is atomic)."""
    return temp_folder(root, f".building-{name}-")


def publish_folder(staging: Path, target: Path) -> None:
    """Move a finished build into place.

    An existing draft that no editor has touched is replaced; anything else
    (edited, approved, published, or registered for review: ``episode_id`` in
    its manifest) is kept and the build is refused.
    """
    if target.exists():
        try:
            old = read_manifest(target)
            status = old.status
            untouched = old.status == "draft" and not old.edited and old.episode_id is None
        except ManifestError:   # unreadable: it may hold an editor's work, so it is kept
            status, untouched = "không rõ", False
        if not untouched:
            shutil.rmtree(staging, ignore_errors=True)
            raise StateError(f"Số phát {target.name} đã được biên tập hoặc phê duyệt "
                             f"(trạng thái: {status}); bản dựng mới không ghi đè lên nó.")
        trash = target.with_name(f".old-{target.name}-{os.getpid()}")
        os.replace(target, trash)
        os.replace(staging, target)
        shutil.rmtree(trash, ignore_errors=True)
    else:
        os.replace(staging, target)


def script_markdown(script: Script, station: str, duration_s: float | None = None) -> str:
    """The written script, printable, one heading per segment."""
    lines = [f"# {script.column} — {station}", "",
             f"Ngày phát: {script.date.strftime('%d/%m/%Y')}"]
    if duration_s is not None:
        lines.append(f"Thời lượng: {vnformat.duration(duration_s)}")
    for number, segment in enumerate(script.segments, start=1):
        lines += ["", f"## {number}. {segment.title}", "", segment.text]
        if segment.sources:
            lines += ["", "_Nguồn: " + "; ".join(segment.sources) + "_"]
    return "\n".join(lines) + "\n"
