"""The speech engine interface (``Engine``) and ``EngineUnavailable``.

Each engine says whether it can run here and why not (``disabled_message``),
so a missing package or library is a clear sentence, not an ImportError.
Engines raise ``SpeechError`` for a text they cannot voice, and
``EngineUnavailable`` when the service itself is out of reach: the build then
stops asking that engine for the rest of the run instead of waiting on every
segment.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, ClassVar

from broadcast.errors import SpeechError

if TYPE_CHECKING:
    from broadcast.audio.ffmpeg import AudioSegment
    from broadcast.config import SpeechSettings


class EngineUnavailable(SpeechError):
    """The engine cannot be reached at all (network down, library missing)."""


class Engine(ABC):
    """A voice that turns spoken-form Vietnamese into audio."""

    name: ClassVar[str]
    online: ClassVar[bool] = False
    # the module the engine imports and the package that installs it, if it needs one
    package: ClassVar[tuple[str, str] | None] = None

    def __init__(self, settings: SpeechSettings) -> None:
        self.settings = settings

    @classmethod
    def disabled_message(cls) -> str | None:
        """Why this engine cannot run on this machine, or None if it can."""
        if cls.package is None:
            return None
        module, package = cls.package
        try:
            importlib.import_module(module)
        except ImportError:
            return f"Chưa cài gói {package}. Hãy chạy: pip install {package}"
        return None

    def require(self) -> None:
        """Raise EngineUnavailable with ``disabled_message`` when the engine cannot run here."""
        message = self.disabled_message()
        if message:
            raise EngineUnavailable(message)

    def identity(self) -> str:
        """Everything that changes the sound, for the sentence cache key."""
        return self.name

    def for_role(self, role: str) -> Engine:
        """The voice for one part of a dialogue ("main", "question", "answer").

        An engine with one voice answers every role with itself; one with
        several returns a sibling configured for that role (its identity
        differs, so the cache keeps the two voices apart).
        """
        return self

    @abstractmethod
    def synthesize(self, text: str) -> AudioSegment:
        """Voice one sentence or short paragraph; raise SpeechError on failure."""
