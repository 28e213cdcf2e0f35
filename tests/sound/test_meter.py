"""The in-process BS.1770 meter against known signals and against ffmpeg's ebur128 on real speech."""

from __future__ import annotations

import math
import wave
from pathlib import Path

import numpy as np
import pytest

from broadcast.audio import loudness, meter
from broadcast.audio.ffmpeg import run_ffmpeg
from broadcast.config import SpeechSettings
from broadcast.errors import AudioError
from broadcast.speech.espeak import EspeakEngine

RATE = 44100


def sine(freq: float, peak_db: float, seconds: float = 5.0, phase: float = 0.0, rate: int = RATE) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return (10 ** (peak_db / 20) * np.sin(2 * math.pi * freq * t + phase)).astype(np.float32)


def write_wav(path: Path, frames: np.ndarray, rate: int = RATE) -> Path:
    frames = frames.reshape(len(frames), -1)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(frames.shape[1])
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(np.clip(np.rint(frames * 32768), -32768, 32767).astype(np.int16).tobytes())
    return path


@pytest.fixture(scope="module")
def speech() -> np.ndarray:
    """Real Vietnamese speech from the offline voice, as float frames at 44.1 kHz."""
    text = ("Kính thưa bà con, bộ phận một cửa của xã đã tiếp nhận một trăm hai mươi ba hồ sơ trong tháng. "
            "Bà con có thể nộp hồ sơ khai sinh, đăng ký cư trú trên cổng dịch vụ công quốc gia.")
    return loudness.frames(EspeakEngine(SpeechSettings()).synthesize(text).set_frame_rate(RATE))


def test_k_weighting_at_48k_is_the_standards_table() -> None:
    shelf_b, shelf_a, high_b, high_a = meter.k_weighting(48000)
    assert shelf_b == pytest.approx((1.53512485958697, -2.69169618940638, 1.19839281085285), abs=1e-9)
    assert shelf_a == pytest.approx((1.0, -1.69065929318241, 0.73248077421585), abs=1e-9)
    assert high_b == (1.0, -2.0, 1.0)
    assert high_a == pytest.approx((1.0, -1.99004745483398, 0.99007225036621), abs=1e-9)


@pytest.mark.parametrize("rate", [22050, 44100, 48000])
def test_a_1khz_sine_reads_3db_under_its_peak(rate: int) -> None:
    """A mono 997 Hz sine of peak −20 dBFS: its mean square is 3.01 dB down and K-weighting
    hardly touches 1 kHz, so BS.1770 gives −23.0 LUFS (EBU Tech 3341's first case, in mono)."""
    measured = meter.measure_samples(sine(997, -20.0, rate=rate), rate)
    assert measured.integrated == pytest.approx(-23.0, abs=0.05)
    assert measured.true_peak == pytest.approx(-20.0, abs=0.05)
    assert measured.lra < 0.1


def test_true_peak_finds_the_peak_between_samples() -> None:
    """A sine at a quarter of the sample rate, sampled 45° off its crests: every sample is 3 dB
    under the wave's real peak, which only oversampling sees."""
    wave_ = sine(RATE / 4, -6.0, seconds=1.0, phase=math.pi / 4)
    assert 20 * math.log10(float(np.abs(wave_).max())) == pytest.approx(-9.01, abs=0.02)
    assert meter.measure_samples(wave_, RATE).true_peak == pytest.approx(-6.0, abs=0.15)


def test_silence_and_a_too_short_clip_measure_as_silent() -> None:
    assert meter.measure_samples(np.zeros(RATE, dtype=np.float32), RATE).integrated == meter.SILENT
    assert meter.measure_samples(sine(997, -20.0, seconds=0.3), RATE).integrated == meter.SILENT


def test_streaming_in_odd_chunks_equals_measuring_at_once(speech: np.ndarray) -> None:
    whole = meter.measure_samples(speech, RATE)
    streamed = meter.Meter(RATE)
    for start in range(0, len(speech), 12_345):
        streamed.add(speech[start:start + 12_345])
    result = streamed.result()
    assert result.integrated == pytest.approx(whole.integrated, abs=1e-6)
    assert result.true_peak == pytest.approx(whole.true_peak, abs=1e-6)
    assert result.lra == pytest.approx(whole.lra, abs=1e-6)


def test_agrees_with_ffmpeg_ebur128_on_speech(speech: np.ndarray, tmp_path: Path) -> None:
    quiet = speech * 10 ** (-9 / 20)       # two levels: the gates move with the level
    for frames in (speech, quiet):
        path = write_wav(tmp_path / "speech.wav", frames)
        ours, reference = meter.measure_path(path), loudness.ebur128_file(path)
        assert ours.integrated == pytest.approx(reference.integrated, abs=0.1)
        assert ours.true_peak == pytest.approx(reference.true_peak, abs=0.2)
        assert ours.lra == pytest.approx(reference.lra, abs=1.0)


def test_stereo_channels_add_up_as_ebur128_says(speech: np.ndarray, tmp_path: Path) -> None:
    path = write_wav(tmp_path / "stereo.wav", np.repeat(speech, 2, axis=1))
    ours = meter.measure_path(path, channels=2)
    assert ours.integrated == pytest.approx(loudness.ebur128_file(path).integrated, abs=0.1)
    assert ours.integrated == pytest.approx(meter.measure_samples(speech, RATE).integrated + 3.01, abs=0.05)


def test_a_file_that_does_not_decode_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "hong.mp3"
    broken.write_bytes(b"not audio at all" * 100)
    with pytest.raises(AudioError, match=r"hong\.mp3"):
        meter.measure_path(broken)


def test_readings_of_pieces_combine_into_the_whole(speech: np.ndarray) -> None:
    """How a joined programme is measured: each piece read alone, the readings combined in order."""
    quiet = speech * 10 ** (-12 / 20)
    whole = meter.measure_samples(np.concatenate([speech, quiet, speech]), RATE)
    readings = []
    for piece in (speech, quiet, speech):
        part = meter.Meter(RATE)
        part.add(piece)
        readings.append(meter.Reading.from_bytes(part.reading().to_bytes()))   # as kept in the cache
    combined = meter.combine(readings)
    assert combined.integrated == pytest.approx(whole.integrated, abs=0.05)   # ticks cut at each joint
    assert combined.true_peak == pytest.approx(whole.true_peak, abs=1e-6)
    assert combined.lra == pytest.approx(whole.lra, abs=0.3)


def test_k_weighting_in_two_halves_equals_one_pass() -> None:
    """A long clip is K-weighted as two halves on two threads; the cut must not show."""
    frames = (np.random.default_rng(7).standard_normal((1_000_003, 1)) * 0.1).astype(np.float32)
    assert np.allclose(meter.k_weighted(frames, RATE, 10), meter._k_weighted(frames, RATE, 10), rtol=1e-9)


def test_stopping_a_decode_early_leaves_nothing_waiting(tmp_path: Path) -> None:
    """A measurement given up half-way (an error, Ctrl-C) must not leave ffmpeg or its reader hanging."""
    import threading

    long = tmp_path / "long.mp3"
    run_ffmpeg(["-f", "lavfi", "-i", "sine=frequency=300:duration=60", "-ac", "1", "-b:a", "64k", str(long)])
    chunks = meter._decoded(long, RATE, 1)
    first = next(chunks)
    assert len(first) == 4 * RATE
    closer = threading.Thread(target=chunks.close)
    closer.start()
    closer.join(timeout=10)
    assert not closer.is_alive()
    assert not [t for t in threading.enumerate() if t.name.startswith("Thread") and t.is_alive()
                and "drain" in repr(t)]
