"""Stand-ins for the officer's microphone: a voice unlike the offline one, saved as the browser would send it."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

from broadcast.audio.ffmpeg import AudioSegment
from broadcast.config import SpeechSettings
from broadcast.speech.espeak import EspeakEngine

# slow, southern and high: its length and pitch set it apart from the programme's own espeak voice
OFFICER = SpeechSettings(espeak_voice="vi-vn-x-south", rate=90, espeak_pitch=70, espeak_range=60,
                         espeak_wordgap=4, espeak_clause_ms=300)


def officer_says(text: str, *, pad_ms: int = 800, sample_rate: int = 48000) -> AudioSegment:
    """``text`` read by the stand-in voice, with room noise-free silence before and after (to be trimmed)."""
    voice = EspeakEngine(dataclasses.replace(OFFICER)).synthesize(text).set_frame_rate(sample_rate)
    pad = AudioSegment.silent(duration=pad_ms, frame_rate=sample_rate)
    return pad + voice + pad


def wav_bytes(audio: AudioSegment) -> bytes:
    buffer = io.BytesIO()
    audio.export(buffer, format="wav")
    return buffer.getvalue()


def write_wav(audio: AudioSegment, path: Path) -> Path:
    path.write_bytes(wav_bytes(audio))
    return path
