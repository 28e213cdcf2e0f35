"""A fake voice for tests and demos: deterministic tone-and-noise "speech", no library, no network.

Each syllable becomes a short voiced burst (a pitch from the syllable's own
hash, harmonics and a little seeded noise, with an attack and a decay), each
clause and sentence end a pause, so clips have the length, rhythm and
loudness profile of a real reading at ``speech.rate``: the level-matching,
assembly and timing code does real work on them. The same text always gives
the same samples, so caches and golden checks behave as with a real voice.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

import numpy as np

from broadcast.audio.ffmpeg import AudioSegment
from broadcast.errors import SpeechError
from broadcast.speech.engine import Engine

if TYPE_CHECKING:
    from broadcast.config import SpeechSettings

RATE = 22050
_WORD = re.compile(r"\w+|[.!?;:,]")
PAUSE_MS = {",": 180, ";": 220, ":": 220, ".": 380, "!": 380, "?": 380}


def _seed(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "little")


def _syllable(word: str, samples: int, pitch: float) -> np.ndarray:
    rng = np.random.default_rng(_seed(word))
    t = np.arange(samples, dtype=np.float32) / RATE
    f0 = pitch * (1 + 0.15 * (rng.random() - 0.5))
    voice = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in (1, 2, 3, 4))
    noise = rng.standard_normal(samples).astype(np.float32) * 0.08
    attack = max(1, samples // 8)
    envelope = np.minimum(1.0, np.arange(samples) / attack) * np.exp(-2.5 * t / max(t[-1], 1e-3))
    return ((voice + noise) * envelope * 0.3).astype(np.float32)


class FakeEngine(Engine):
    """``fake``: deterministic synthetic speech, as fast as numpy (tests, demos, benchmarks)."""

    name = "fake"

    def __init__(self, settings: SpeechSettings, pitch: float = 140.0) -> None:
        super().__init__(settings)
        self.pitch = pitch

    def for_role(self, role: str) -> Engine:
        return FakeEngine(self.settings, pitch=190.0) if role == "answer" else self

    def identity(self) -> str:
        return f"fake:v1:rate={self.settings.rate}:pitch={self.pitch}"

    def synthesize(self, text: str) -> AudioSegment:
        tokens = _WORD.findall(text)
        if not any(t[0].isalnum() or t[0] == "_" for t in tokens):
            raise SpeechError(f"Giọng thử không có gì để đọc trong: {text!r}.")
        syllable = round(RATE * 60 / self.settings.rate * 0.75)   # a word a beat, with room for the pauses
        parts = [np.zeros(RATE // 20, dtype=np.float32)]
        for token in tokens:
            if token in PAUSE_MS:
                parts.append(np.zeros(RATE * PAUSE_MS[token] // 1000, dtype=np.float32))
            else:
                parts.append(_syllable(token.lower(), syllable, self.pitch))
                parts.append(np.zeros(RATE // 40, dtype=np.float32))
        pcm = np.clip(np.concatenate(parts) * 32767, -32768, 32767).astype(np.int16)
        return AudioSegment(data=pcm.tobytes(), sample_width=2, frame_rate=RATE, channels=1)
