"""Speak stage: spoken segments → checked audio clips, with engine fallback.

A segment is voiced whole by one engine, the first in configured order that
succeeds; the engine used is recorded. An engine that reports itself
unavailable (network down) is skipped for the rest of the build, so an outage
costs one failed attempt, not one per segment.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from broadcast.audio import check_clip, conform, join, level, silence
from broadcast.cache import SentenceCache
from broadcast.errors import AudioError, SpeechError
from broadcast.ffmpeg import AudioSegment
from broadcast.models import Segment
from broadcast.speech import Engine, EngineUnavailable

Progress = Callable[[int, int, Segment, str], None]

_SENTENCE_END = re.compile(r"(?<=[.!?;:…])\s+|\n+")


def sentences(spoken: str) -> list[str]:
    """Split spoken text where a voice would pause anyway."""
    return [s.strip() for s in _SENTENCE_END.split(spoken) if s.strip() and re.search(r"\w", s)]


@dataclass
class Voicing:
    """Result of voicing one segment."""

    audio: AudioSegment
    engine: str
    warnings: list[str] = field(default_factory=list)


@dataclass
class Speaker:
    """Voices segments with the engines in order, remembering which are down."""

    engines: list[Engine]
    sample_rate: int
    channels: int
    sentence_pause_ms: int
    cache: SentenceCache = field(default_factory=lambda: SentenceCache(None))
    down: dict[str, str] = field(default_factory=dict)

    def sentence(self, engine: Engine, text: str) -> AudioSegment:
        """One sentence from the cache, or from the engine (then cached)."""
        key = self.cache.key(engine.identity(), text)
        audio = self.cache.get(key)
        if audio is None:
            audio = engine.synthesize(text)
            self.cache.put(key, audio)
        return audio

    def voice_text(self, engine: Engine, text: str) -> AudioSegment:
        parts: list[AudioSegment] = []
        pause = silence(self.sentence_pause_ms, self.sample_rate, self.channels)
        for sentence in sentences(text):
            if parts:
                parts.append(pause)
            parts.append(conform(self.sentence(engine, sentence), self.sample_rate, self.channels))
        if not parts:
            raise SpeechError("Đoạn này không có chữ nào để đọc.")
        return join(parts)

    def voice(self, segment: Segment) -> Voicing:
        """Voice a segment with the first engine that works; raise SpeechError if none does."""
        problems: list[str] = []
        for engine in self.engines:
            if engine.name in self.down:
                continue
            try:
                audio = level(self.voice_text(engine, segment.spoken))
                check_clip(audio, segment.spoken, what=f"Đoạn {segment.id} ({engine.name})")
            except EngineUnavailable as exc:
                self.down[engine.name] = str(exc)
                problems.append(f"{engine.name}: {exc}")
                continue
            except (SpeechError, AudioError) as exc:
                problems.append(f"{engine.name}: {exc}")
                continue
            warnings = [f"Đoạn {segment.id}: giọng {p}" for p in problems]
            return Voicing(audio=audio, engine=engine.name, warnings=warnings)
        raise SpeechError(f"Không giọng đọc nào đọc được đoạn {segment.id}: " + " | ".join(problems))
