"""The compressor and limiter: their building blocks against plain loops, their promises on real speech."""

from __future__ import annotations

import numpy as np
import pytest

from broadcast.audio import dynamics, loudness, meter
from broadcast.audio.ffmpeg import AudioSegment
from broadcast.config import SpeechSettings
from broadcast.speech.espeak import EspeakEngine

RATE = 44100


@pytest.fixture(scope="module")
def voice() -> np.ndarray:
    text = ("Ủy ban nhân dân xã thông báo: từ ngày mười lăm tháng mười hai, bộ phận một cửa làm việc cả "
            "sáng thứ Bảy. Bà con mang theo căn cước khi đến làm thủ tục.")
    return loudness.frames(EspeakEngine(SpeechSettings()).synthesize(text).set_frame_rate(RATE))


@pytest.mark.parametrize(("before", "after"), [(0, 0), (3, 0), (0, 4), (7, 2), (40, 40)])
def test_sliding_max_equals_a_plain_loop(before: int, after: int) -> None:
    values = np.random.default_rng(before * 100 + after).standard_normal(257).astype(np.float32)
    expected = [values[max(0, n - before):n + after + 1].max() for n in range(len(values))]
    assert np.array_equal(dynamics.sliding_max(values, before, after), np.array(expected, dtype=np.float32))


@pytest.mark.parametrize("half", [0, 1, 5, 30])
def test_box_average_equals_a_plain_loop(half: int) -> None:
    values = np.random.default_rng(half).standard_normal(200)
    padded = np.pad(values, half, mode="edge")
    expected = [padded[n:n + 2 * half + 1].mean() for n in range(len(values))]
    assert np.allclose(dynamics.box_average(values, half), expected)


def test_compressor_narrows_the_gap_between_peaks_and_loudness(voice: np.ndarray) -> None:
    before = meter.measure_samples(voice, RATE)
    after = meter.measure_samples(dynamics.compress(voice.copy(), RATE), RATE)
    assert (before.true_peak - before.integrated) - (after.true_peak - after.integrated) >= 2.0


@pytest.mark.parametrize("gain_db", [0.0, 12.0, 30.0])
def test_limiter_lets_no_true_peak_over_the_ceiling(voice: np.ndarray, gain_db: float) -> None:
    """Even driven 30 dB into it: the promise holds between samples too (4× oversampled check)."""
    ceiling = -6.0
    steps = dynamics.limiter_steps(dynamics.peak_steps(voice, RATE), gain_db, ceiling, RATE)
    limited = dynamics.apply_steps(voice.copy(), steps, dynamics.block_size(RATE))
    assert meter.measure_samples(limited, RATE).true_peak <= ceiling + 0.05
    assert float(steps.max()) <= 10 ** (gain_db / 20) + 1e-6    # never more than the gain asked for


def test_limiter_leaves_quiet_audio_alone(voice: np.ndarray) -> None:
    steps = dynamics.limiter_steps(dynamics.peak_steps(voice, RATE), -20.0, -1.0, RATE)
    assert np.allclose(steps, 10 ** (-20 / 20))


@pytest.mark.parametrize(("target", "ceiling"), [(-16.0, -5.5), (-23.0, -5.5), (-16.0, -3.5)])
def test_match_gain_lands_on_target_under_the_ceiling(voice: np.ndarray, target: float, ceiling: float) -> None:
    clip = AudioSegment(data=np.rint(voice * 32768).astype(np.int16).tobytes(), sample_width=2, frame_rate=RATE,
                        channels=1)
    matched, gain = loudness.match_gain(clip, target, ceiling)
    result = loudness.measure(matched)
    assert result.integrated == pytest.approx(target, abs=0.15)
    assert result.true_peak <= ceiling + 0.05
    assert gain is not None and len(matched) == len(clip)
    again, _ = loudness.match_gain(clip, target, ceiling, gain=gain)    # an edit starts from the old gain
    assert loudness.measure(again).integrated == pytest.approx(target, abs=0.15)


def test_peak_scan_in_two_halves_equals_one_pass() -> None:
    frames = (np.random.default_rng(3).standard_normal((400_001, 2)) * 0.2).astype(np.float32)
    assert np.array_equal(dynamics.peak_steps(frames, RATE), dynamics._peak_steps(frames, dynamics.block_size(RATE)))


def test_gain_applied_a_stretch_at_a_time_equals_the_whole_curve() -> None:
    rng = np.random.default_rng(5)
    frames = rng.standard_normal((500_003, 2)).astype(np.float32)
    steps = rng.uniform(0.1, 1.0, -(-len(frames) // 10))          # three stretches and a short end
    expected = frames * dynamics.expand(steps, 10, len(frames))[:, None]
    assert np.allclose(dynamics.apply_steps(frames.copy(), steps, 10), expected, rtol=1e-6)
