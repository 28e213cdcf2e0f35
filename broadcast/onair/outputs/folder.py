"""The folder output: the programme being aired, copied atomically as ``dang-phat.mp3``.

For stations whose own player reads a file: the name never changes, and a copy
is switched into place only once it is whole and matches the source (files
follow the umask, like every file we write: ``broadcast/files.py``).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from broadcast import files
from broadcast.errors import OutputError
from broadcast.onair.outputs.base import Played
from broadcast.onair.outputs.soundcard import duration_of
from broadcast.oserrors import describe

ONAIR_FILE = "dang-phat.mp3"


class FolderOutput:
    name = "folder"
    label = "thư mục phát"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def available(self) -> bool:
        return True

    def disabled_message(self) -> str:
        return ""

    def play(self, path: Path, *, stop: threading.Event) -> Played:
        target = self.folder / ONAIR_FILE
        try:
            tmp = files.copy_to_temp(path, self.folder, ONAIR_FILE)
            try:
                if files.sha256(tmp) != files.sha256(path):
                    raise OutputError(f"Bản chép vào {self.folder} không khớp tệp gốc; đã bỏ. Hãy kiểm tra ổ đĩa.")
                os.replace(tmp, target)
            finally:
                tmp.unlink(missing_ok=True)
        except OSError as exc:
            raise OutputError(f"Không chép được chương trình vào thư mục phát {self.folder}: {describe(exc)}. "
                              f"Hãy kiểm tra mục [onair] folder và quyền ghi.") from exc
        return Played(duration_of(path), detail=str(target))
