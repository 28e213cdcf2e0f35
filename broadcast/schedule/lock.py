"""One scheduler per data folder.

Two schedulers on the same episodes would build twice and publish twice. The
lock is an OS-level file lock (``filelock``: ``fcntl.flock`` on Linux,
``msvcrt.locking`` on Windows), so it disappears with the process: a PC that
lost power or a killed process never leaves a stale lock that blocks the next
start, which a "lock file exists" check would.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from broadcast.errors import BroadcastError


class SchedulerLock:
    """Held for the life of ``broadcast schedule``; ``acquire`` refuses at once if taken."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = FileLock(str(path), timeout=0)

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire(timeout=0)
        except Timeout as exc:
            raise BroadcastError(
                f"Bộ lập lịch khác đang chạy trên cùng dữ liệu (khóa {self.path}). Không thể chạy hai bộ lập lịch "
                f"cùng lúc: hãy dùng bộ đang chạy, hoặc dừng nó trước (Ctrl-C, hoặc dừng dịch vụ) rồi chạy lại."
            ) from exc
        # Who holds it, for a human looking at the folder; the lock itself is the OS lock, not this text.
        try:
            with open(self.path, "w", encoding="utf-8") as handle:
                handle.write(f"{os.getpid()}\n")
        except OSError:
            pass

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> SchedulerLock:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.release()
