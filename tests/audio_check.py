"""Measuring real audio in tests: decode an MP3 with our ffmpeg and look at it."""

from __future__ import annotations

from pathlib import Path

from broadcast.audio.ffmpeg import AudioSegment, read_mp3


def decode(path: Path) -> AudioSegment:
    return read_mp3(path)


def speech_fraction(audio: AudioSegment, *, window_ms: int = 250, floor_dbfs: float = -45.0) -> float:
    """Share of windows that carry sound: a crude but honest 'is this mostly speech?'."""
    windows = [audio[i:i + window_ms] for i in range(0, len(audio) - window_ms, window_ms)]
    if not windows:
        return 0.0
    loud = sum(1 for w in windows if w.dBFS > floor_dbfs)
    return loud / len(windows)
