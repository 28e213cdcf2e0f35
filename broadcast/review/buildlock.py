"""One build at a time per data folder, whoever starts it: the CLI, the scheduler or the site.

An OS-level file lock (``filelock``), so a killed build never leaves a lock
behind. A second build is refused at once with a message, never queued
silently behind the first.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from filelock import FileLock, Timeout

from broadcast.config import Settings
from broadcast.errors import StateError


@contextmanager
def build_lock(settings: Settings) -> Iterator[None]:
    path = settings.review.database.parent / "build.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path), timeout=0, thread_local=False)
    try:
        lock.acquire()
    except Timeout:
        raise StateError("Đang có một bản dựng khác chạy (từ trang web, dòng lệnh hoặc bộ lập lịch). "
                         "Hãy đợi bản đó xong rồi dựng lại.") from None
    try:
        yield
    finally:
        lock.release()
