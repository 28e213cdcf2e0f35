"""The audio cache: what a build makes from speech, kept so that a rebuild makes only what changed.

One folder of files named by a hash of everything that went into them:
engine sentences and finished (level-matched) clips and jingles as ``.wav``,
encoded segments, fixed pieces and mixed programmes as ``.mp3``, their
loudness readings (``.reading``) and small facts about them (``.json``).

Size: the folder is kept under ``limit_bytes`` (setting ``speech.cache_mb``).
Every hit refreshes the file's time, so a file's mtime is when it was last
used; a put that takes the folder over the limit prunes it, least recently
used first. An entry this cache object read or wrote (the running build) is
never removed, nor one touched since it was created or in the last
``RECENT_S`` (another build running at the same time), so the limit is soft
while builds are using more than it.

Concurrency: entries are written atomically (a temporary file, then a
rename), and a file that vanishes between a check and a read (another process
pruned it) is a miss: the caller makes it again.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from broadcast.audio.ffmpeg import AudioSegment
from broadcast.config import SpeechSettings
from broadcast.files import write_bytes

MB = 1 << 20
RECENT_S = 15 * 60          # an entry used this recently may belong to a build in another process
STALE_TEMP_S = 60 * 60      # a temporary file this old was left by a write that died
_ENTRY = re.compile(r"^[0-9a-f]{64}\.[a-z0-9]+$")


@dataclass(frozen=True)
class Entry:
    path: Path
    size: int
    used: float      # mtime: when it was last written or read


@dataclass(frozen=True)
class Usage:
    files: int
    bytes: int


@dataclass(frozen=True)
class Pruned:
    removed: int
    freed: int       # bytes
    left: int        # bytes still in the cache


class AudioCache:
    """A folder of ``<hash><suffix>`` files; a ``None`` folder disables caching."""

    def __init__(self, folder: Path | None, *, limit_bytes: int | None = None) -> None:
        self.folder = folder
        self.limit_bytes = limit_bytes
        self.hits = 0
        self.misses = 0
        self.started = time.time()
        self._used: set[Path] = set()
        self._size: int | None = None       # known total, once a put had to count it
        self._next_check = limit_bytes
        self._lock = threading.Lock()        # encoder threads put at the same time

    @classmethod
    def for_speech(cls, settings: SpeechSettings) -> AudioCache:
        """The cache as configured: ``speech.cache`` kept under ``speech.cache_mb``."""
        return cls(settings.cache, limit_bytes=settings.cache_mb * MB)

    @staticmethod
    def key(identity: str, text: str) -> str:
        return hashlib.sha256(f"{identity}\n{text}".encode()).hexdigest()

    def _path(self, key: str, suffix: str = ".wav") -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}{suffix}"

    def _touch(self, path: Path) -> None:
        with self._lock:
            self._used.add(path)
        try:
            os.utime(path)
        except OSError:
            pass   # pruned by another process right after the read: the data read is still good

    def get_bytes(self, key: str, suffix: str) -> bytes | None:
        """A stored file (an encoded clip, a finished programme), or None."""
        if self.folder is None:
            return None
        path = self._path(key, suffix)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        self._touch(path)
        return data

    def put_bytes(self, key: str, data: bytes, suffix: str) -> None:
        if self.folder is None:
            return
        path = self._path(key, suffix)
        with self._lock:
            self._used.add(path)
        write_bytes(path, data)
        self._grew(len(data))

    def has(self, key: str, suffix: str = ".wav") -> bool:
        """Whether an entry exists (without reading it): lets a prefetch skip cached sentences.
        It may still be gone when read: ``get`` is then a miss."""
        return self.folder is not None and self._path(key, suffix).is_file()

    def get(self, key: str) -> AudioSegment | None:
        if self.folder is None:
            return None
        path = self._path(key)
        try:
            audio = AudioSegment.from_wav(io.BytesIO(path.read_bytes()))
        except (OSError, ValueError, EOFError):
            self.misses += 1
            return None
        self._touch(path)
        self.hits += 1
        return audio

    def put(self, key: str, audio: AudioSegment) -> None:
        if self.folder is None:
            return
        buffer = io.BytesIO()
        audio.export(buffer, format="wav")
        self.put_bytes(key, buffer.getvalue(), ".wav")

    def _grew(self, size: int) -> None:
        """Count a new entry. Past the limit, prune to a tenth under it, so the next few puts do not
        prune again; if what the builds use is more than that, not again until it grows by a tenth."""
        limit = self.limit_bytes
        if limit is None:
            return
        with self._lock:
            self._size = self.usage().bytes if self._size is None else self._size + size
            over = self._next_check is not None and self._size > self._next_check
        if over:
            left = self.prune(limit - limit // 10).left
            with self._lock:
                self._size = left
                self._next_check = limit if left <= limit else left + limit // 10

    def entries(self) -> list[Entry]:
        """Every entry on disk now. Temporary files of writes that died long ago are removed on the way."""
        if self.folder is None or not self.folder.is_dir():
            return []
        found: list[Entry] = []
        stale = time.time() - STALE_TEMP_S
        for sub in _scan(self.folder):
            if not sub.is_dir(follow_symlinks=False):
                continue
            for item in _scan(Path(sub.path)):
                try:
                    info = item.stat(follow_symlinks=False)
                except OSError:
                    continue   # removed meanwhile
                if _ENTRY.match(item.name):
                    found.append(Entry(Path(item.path), info.st_size, info.st_mtime))
                elif item.name.startswith(".") and item.name.endswith(".tmp") and info.st_mtime < stale:
                    _remove(Path(item.path))
        return found

    def usage(self) -> Usage:
        entries = self.entries()
        return Usage(files=len(entries), bytes=sum(e.size for e in entries))

    def prune(self, limit_bytes: int | None = None, *, now: float | None = None) -> Pruned:
        """Remove the least recently used entries until the folder is under ``limit_bytes`` (default:
        the cache's limit). Kept whatever happens: entries this cache used, and entries used since it
        was created or in the last ``RECENT_S`` seconds (another build may be using them)."""
        limit = self.limit_bytes if limit_bytes is None else limit_bytes
        entries = self.entries()
        total = sum(e.size for e in entries)
        if limit is None or total <= limit:
            return Pruned(0, 0, total)
        keep_since = min(self.started, (time.time() if now is None else now) - RECENT_S)
        with self._lock:
            used = set(self._used)
        removed = freed = 0
        for entry in sorted(entries, key=lambda e: e.used):
            if total - freed <= limit:
                break
            if entry.used >= keep_since or entry.path in used:
                continue
            if _remove(entry.path):
                removed += 1
                freed += entry.size
        return Pruned(removed, freed, total - freed)


def _scan(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as items:
            return list(items)
    except OSError:
        return []


def _remove(path: Path) -> bool:
    """Delete one file; False if it was already gone or cannot go (open elsewhere, on Windows)."""
    try:
        path.unlink()
    except OSError:
        return False
    return True
