"""Sentence-level speech cache: a rebuild after an edit re-synthesises only what changed.

Keyed by the engine's identity (name, voice and every setting that changes the
sound) and the exact spoken text. The same folder also keeps finished clips
(level-matched segments), their MP3s and finished programmes, each keyed by
everything that went into it, so an unchanged segment is not processed again. Entries are WAV files of the engine's own
output, written atomically; a hit refreshes the file's time so ``prune`` keeps
what recent episodes use.
"""

from __future__ import annotations

import hashlib
import io
import os
import time
from pathlib import Path

from broadcast.audio.ffmpeg import AudioSegment
from broadcast.files import write_bytes


class SentenceCache:
    """A folder of ``<hash>.wav`` files; ``None`` folder disables caching."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(identity: str, text: str) -> str:
        return hashlib.sha256(f"{identity}\n{text}".encode()).hexdigest()

    def _path(self, key: str, suffix: str = ".wav") -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}{suffix}"

    def get_bytes(self, key: str, suffix: str) -> bytes | None:
        """A stored file (an encoded clip, a finished programme), or None."""
        if self.folder is None:
            return None
        path = self._path(key, suffix)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        os.utime(path)
        return data

    def put_bytes(self, key: str, data: bytes, suffix: str) -> None:
        if self.folder is not None:
            write_bytes(self._path(key, suffix), data)

    def has(self, key: str, suffix: str = ".wav") -> bool:
        """Whether an entry exists (without reading it): lets a prefetch skip cached sentences."""
        return self.folder is not None and self._path(key, suffix).is_file()

    def get(self, key: str) -> AudioSegment | None:
        if self.folder is None:
            return None
        path = self._path(key)
        try:
            data = path.read_bytes()
            audio = AudioSegment.from_wav(io.BytesIO(data))
        except (OSError, ValueError, EOFError):
            self.misses += 1
            return None
        os.utime(path)
        self.hits += 1
        return audio

    def put(self, key: str, audio: AudioSegment) -> None:
        if self.folder is None:
            return
        buffer = io.BytesIO()
        audio.export(buffer, format="wav")
        write_bytes(self._path(key), buffer.getvalue())

    def prune(self, max_age_days: float) -> int:
        """Delete entries not used for ``max_age_days``; return how many."""
        if self.folder is None or not self.folder.exists():
            return 0
        limit = time.time() - max_age_days * 86400
        removed = 0
        for path in self.folder.glob("*/*.*"):
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
