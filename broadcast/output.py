"""Output stage: the episode folder, written whole or not at all.

``audio_out/<YYYY-MM-DD>-<column-slug>/`` holds program.mp3, segments/,
script.md (the written script, for an announcer who reads live) and
manifest.json (what the review and publication steps read). It is built in a
hidden sibling folder and renamed into place, so a failed build leaves no half
folder and an earlier episode is never touched.

The hidden folder holds ``.pid`` (the building process and its host) until the
rename. A build that was killed (power cut, kill -9) leaves its hidden folder
behind: the next build removes it (``remove_stale_builds``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import socket
import time
import unicodedata
from pathlib import Path

from broadcast import vnformat
from broadcast.errors import ManifestError, StateError
from broadcast.files import temp_folder, write_text
from broadcast.manifest import read_manifest
from broadcast.models import Script


def slug(text: str) -> str:
    """'Cải cách hành chính' → 'cai-cach-hanh-chinh'."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "chuong-trinh"


def episode_name(day: dt.date, column: str) -> str:
    return f"{day.isoformat()}-{slug(column)}"


STAGING_PREFIX = ".building-"
PID_FILE = ".pid"
STALE_AFTER_S = 24 * 3600   # a hidden build folder with no pid file, untouched this long, is abandoned


def staging_folder(root: Path, name: str) -> Path:
    """A hidden folder beside the final one (same file system, so the rename is atomic), with its pid file."""
    folder = temp_folder(root, f"{STAGING_PREFIX}{name}-")
    write_text(folder / PID_FILE, f"{os.getpid()} {socket.gethostname()}\n")
    return folder


def remove_stale_builds(root: Path) -> list[Path]:
    """Remove the hidden build folders in ``root`` left by builds that are no longer running.

    Stale: its pid file names this host and a process that is not alive, or it has
    no (readable) pid file and has not changed for a day. Folders of a live process,
    or of another host sharing the folder, are left alone. Returns what was removed.
    """
    removed: list[Path] = []
    try:
        candidates = [p for p in root.iterdir() if p.name.startswith(STAGING_PREFIX)]
    except OSError:
        return removed
    for folder in candidates:
        if folder.is_symlink() or not folder.is_dir() or not _abandoned(folder):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            removed.append(folder)
    return removed


def _abandoned(folder: Path) -> bool:
    try:
        pid_text, host = (folder / PID_FILE).read_text(encoding="utf-8").split()
        pid = int(pid_text)
    except (OSError, ValueError, UnicodeDecodeError):
        pid, host = 0, ""
    if pid > 0:
        if host != socket.gethostname():
            return False
        alive = _running(pid)
        if alive is not None:
            return not alive
    try:
        return time.time() - folder.stat().st_mtime > STALE_AFTER_S
    except OSError:
        return False


def _running(pid: int) -> bool | None:
    """Whether process ``pid`` is alive on this host; None where that cannot be asked safely."""
    if os.name != "posix":
        return None   # os.kill on Windows would end the process: the age rule decides there
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True   # alive, under another account
    return True


def publish_folder(staging: Path, target: Path) -> None:
    """Move a finished build into place.

    An existing draft that no editor has touched is replaced; anything else
    (edited, approved, published, or registered for review: ``episode_id`` in
    its manifest) is kept and the build is refused.
    """
    (staging / PID_FILE).unlink(missing_ok=True)
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
