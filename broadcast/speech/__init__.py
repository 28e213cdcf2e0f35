"""Speech engines by name: the registry config picks from, fallback in configured order.

The interface is ``broadcast.speech.engine.Engine``; each engine is a module
here (edge, gtts, espeak, fake) that says whether it can run and why not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from broadcast.speech.engine import Engine, EngineUnavailable
from broadcast.speech.voices import ordered

if TYPE_CHECKING:
    from broadcast.config import SpeechSettings


def _registry() -> dict[str, type[Engine]]:
    from broadcast.speech.edge import EdgeEngine
    from broadcast.speech.espeak import EspeakEngine
    from broadcast.speech.fake import FakeEngine
    from broadcast.speech.google import GttsEngine

    return {cls.name: cls for cls in (EdgeEngine, GttsEngine, EspeakEngine, FakeEngine)}


ENGINES: dict[str, type[Engine]] = _registry()


def make_engines(settings: SpeechSettings) -> list[Engine]:
    """Instantiate the configured engines in fallback order; the chosen person's engine first (``speech.voice``)."""
    return [ENGINES[name](settings) for name in ordered(settings.engines, settings.voice)]


__all__ = ["ENGINES", "Engine", "EngineUnavailable", "make_engines"]
