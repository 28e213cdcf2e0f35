"""One limiter: the mixed programme goes through the same in-process limiter as every clip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from broadcast.audio import dynamics, loudness, meter
from broadcast.audio.ffmpeg import pipe_through
from broadcast.config import Settings, override
from broadcast.errors import AudioError
from broadcast.pipeline import render_episode
from broadcast.speech.stage import make_speaker

from .helpers import short_script

RATE = 44100
SOURCE = Path(__file__).resolve().parents[2] / "broadcast"


def _voiced(seconds: float) -> np.ndarray:
    """A buzzy, voice-like signal whose peaks come and go (frames × 1)."""
    t = np.arange(int(RATE * seconds)) / RATE
    rng = np.random.default_rng(7)
    buzz = np.sign(np.sin(2 * np.pi * 130 * t)) * 0.3 + 0.05 * rng.standard_normal(len(t))
    return (buzz * (0.6 + 0.4 * np.sin(2 * np.pi * 0.7 * t))).astype(np.float32)[:, None]


def test_the_streamed_limiter_is_the_limiter_on_the_whole() -> None:
    x = _voiced(12.0)
    whole = dynamics.apply_steps(x.copy(), dynamics.limiter_steps(dynamics.peak_steps(x, RATE), 9.0, -3.0, RATE),
                                 dynamics.block_size(RATE))
    chunks = (x[start:start + 70_001] for start in range(0, len(x), 70_001))   # odd sizes, as a pipe gives
    streamed = np.concatenate(list(dynamics.limit_stream(chunks, 9.0, -3.0, RATE)))
    assert streamed.shape == whole.shape
    assert np.abs(streamed - whole).max() < 1e-6
    assert meter.measure_samples(streamed, RATE).true_peak <= -3.0 + 0.05


def test_a_mixed_programme_that_needs_limiting_uses_the_clip_limiter(settings: Settings,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Level-matching off: the programme's peaks need the limiter. It meets the target and the ceiling,
    as ffmpeg's own meter hears the MP3, and the WAV archive too."""
    calls = []
    real = dynamics.limit_stream

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args[1:])
        return real(*args, **kwargs)

    monkeypatch.setattr(dynamics, "limit_stream", spy)
    for key, value in {"audio.level_match": False, "audio.archive_wav": True}.items():
        settings = override(settings, key, value)
    episode = render_episode(short_script(), settings, speaker=make_speaker(settings))
    assert calls, "the mixed programme did not go through dynamics.limit_stream"
    measured = loudness.ebur128_file(episode.program)
    assert abs(measured.integrated - settings.audio.loudness_target) <= 0.5
    assert measured.true_peak <= settings.audio.true_peak
    archive = loudness.ebur128_file(episode.folder / "program.wav")
    assert abs(archive.integrated - settings.audio.loudness_target) <= 0.8
    assert archive.true_peak <= settings.audio.true_peak


def test_no_second_limiter_is_left() -> None:
    for path in SOURCE.rglob("*.py"):
        assert "alimiter" not in path.read_text(encoding="utf-8"), f"ffmpeg's limiter still used in {path}"


def test_a_failing_encoder_stops_both_sides_with_one_message(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="ffmpeg thất bại"):
        pipe_through(["-f", "lavfi", "-i", "sine=f=440:d=30", "-map", "0:a"],
                     ["-c:a", "no_such_codec", "-y", str(tmp_path / "x.mp3")],
                     lambda frames: frames, rate=RATE, channels=1)
