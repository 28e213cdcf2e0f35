"""Listening by machine: an offline Vietnamese recogniser stands in for a listener.

viet-asr (the optional ``[asr]`` extra) embeds its model in its own shared
library, so it runs with no network. It is never needed to build or air a
programme: the intelligibility benchmark uses it to compare voices, and the
review site uses it to check that an officer's recorded take says its text.

A recogniser is a proxy, not a listening test: it scores natural speech at
about 10 % word error rate (WER); how far a recorded take may be from its
text before it is flagged is the setting ``speech.take_max_wer``.
"""

from __future__ import annotations

import importlib
import re
import threading
import unicodedata
from typing import Any

import numpy as np

from broadcast.audio.clip import samples
from broadcast.audio.ffmpeg import AudioSegment
from broadcast.errors import SpeechError
from broadcast.speech import EngineUnavailable

SAMPLE_RATE = 16000      # the model's input: 16-bit mono PCM at 16 kHz
PAD_MS = 300             # silence around a clip: without it, the first and last words are often lost

_PUNCTUATION = re.compile(r"[^\w\s]|_")


def words(text: str) -> list[str]:
    """Lower-case NFC words, punctuation dropped: the form WER is counted on."""
    text = unicodedata.normalize("NFC", text).lower()
    return _PUNCTUATION.sub(" ", text).split()


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate: (substitutions + deletions + insertions) / words in the reference."""
    ref, hyp = words(reference), words(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        current = [i]
        for j, h in enumerate(hyp, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return previous[-1] / len(ref)


def errors(reference: str, hypothesis: str) -> int:
    """The edit count behind ``wer`` (for pooling several sentences into one figure)."""
    return round(wer(reference, hypothesis) * len(words(reference)))


class Recognizer:
    """viet-asr's Conformer-CTC model, loaded once per process (it is 69 MB)."""

    package = ("vietasr", "viet-asr")
    _lock = threading.Lock()
    _pipeline: Any = None

    @classmethod
    def disabled_message(cls) -> str | None:
        try:
            importlib.import_module(cls.package[0])
        except ImportError:
            return "Chưa cài bộ nhận dạng tiếng nói viet-asr. Hãy chạy: pip install 'broadcast[asr]'"
        return None

    @classmethod
    def _load(cls) -> Any:
        if cls._pipeline is None:
            message = cls.disabled_message()
            if message:
                raise EngineUnavailable(message)
            import vietasr

            try:
                cls._pipeline = vietasr.Pipeline.new().add("vietasr").build()
            except RuntimeError as exc:
                raise EngineUnavailable(f"viet-asr không khởi động được: {exc}") from exc
        return cls._pipeline

    def transcribe(self, audio: AudioSegment) -> str:
        """What the recogniser hears in a clip (lower-case words, numbers spelt out)."""
        clip = audio.set_channels(1).set_frame_rate(SAMPLE_RATE).set_sample_width(2)
        pad = np.zeros(SAMPLE_RATE * PAD_MS // 1000, dtype=np.int16)
        pcm = np.concatenate([pad, samples(clip)[:, 0], pad])
        with self._lock:
            pipeline = self._load()
            try:
                result = pipeline.transcribe(pcm, sample_rate=float(SAMPLE_RATE))
            except RuntimeError as exc:
                raise SpeechError(f"viet-asr không nhận dạng được đoạn âm thanh: {exc}") from exc
        return str(result.text).strip()
