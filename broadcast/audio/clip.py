"""Audio building blocks: clip checks, silence, the generated jingle, joining.

Joining works on raw PCM (one ``b"".join``) rather than repeated ``+``, which
would copy the whole programme once per segment.
"""

from __future__ import annotations

import array
import functools
import math
import re

import numpy as np

from broadcast import vnformat
from broadcast.audio.ffmpeg import AudioSegment
from broadcast.errors import AudioError

SILENCE_DBFS = -50.0
PEAK_DBFS = -3.0


def conform(audio: AudioSegment, sample_rate: int, channels: int) -> AudioSegment:
    """Bring any clip to the programme's format (16-bit, rate, channels)."""
    return audio.set_sample_width(2).set_frame_rate(sample_rate).set_channels(channels)


def silence(ms: int, sample_rate: int, channels: int) -> AudioSegment:
    return AudioSegment.silent(duration=ms, frame_rate=sample_rate).set_channels(channels)


def join(parts: list[AudioSegment]) -> AudioSegment:
    """Concatenate clips of the same format in one copy."""
    if not parts:
        raise AudioError("Không có đoạn âm thanh nào để ghép.")
    first = parts[0]
    data = b"".join(p.raw_data for p in parts)
    return first._spawn(data)


def samples(audio: AudioSegment) -> np.ndarray:
    """The audio as 16-bit frames × channels (a view of its bytes, not a copy)."""
    return np.frombuffer(audio.set_sample_width(2).raw_data, dtype=np.int16).reshape(-1, audio.channels)


def pause_near_middle(audio: AudioSegment, min_ms: int = 200) -> int | None:
    """Where to cut a clip in two without touching a word: the middle of the run of digital silence
    (a pause between sentences, at least ``min_ms`` long) nearest the clip's middle, in ms."""
    frames = samples(audio)
    silent = np.r_[0, (frames == 0).all(axis=1).astype(np.int8), 0]
    bounds = np.flatnonzero(np.diff(silent))
    starts, ends = bounds[::2], bounds[1::2]
    long = (ends - starts) * 1000 >= min_ms * audio.frame_rate
    if not long.any():
        return None
    middles = (starts[long] + ends[long]) // 2
    best = int(middles[np.argmin(np.abs(middles - len(frames) // 2))])
    return best * 1000 // audio.frame_rate


def edges(audio: AudioSegment, ms: int) -> AudioSegment:
    """Short fades at both ends: a clip cut mid-waveform would click on air."""
    ms = min(ms, len(audio) // 4)
    return audio.fade_in(ms).fade_out(ms) if ms > 0 else audio


def stretch(audio: AudioSegment, tempo: float) -> AudioSegment:
    """Change speaking rate, keeping pitch (ffmpeg's atempo; 0.5–2.0)."""
    from broadcast.audio.ffmpeg import filter_pcm

    stretched, _ = filter_pcm(audio, f"atempo={tempo:.4f}")
    assert stretched is not None
    return stretched


def level(audio: AudioSegment, peak_dbfs: float = PEAK_DBFS) -> AudioSegment:
    """Bring the clip's peak to ``peak_dbfs``: voices match and nothing clips."""
    if audio.max_dBFS == float("-inf"):
        return audio
    return audio.apply_gain(peak_dbfs - audio.max_dBFS)


def syllables(text: str) -> int:
    """Vietnamese is written one syllable per word: count the words."""
    return len(re.findall(r"\w+", text))


def check_clip(audio: AudioSegment, text: str, *, what: str) -> None:
    """A clip must decode, carry sound and last about as long as its text.

    Raises AudioError naming ``what`` (segment id) so an empty or silent clip
    never becomes part of an episode.
    """
    seconds = len(audio) / 1000
    count = max(syllables(text), 1)
    if seconds < 0.2:
        raise AudioError(f"{what}: âm thanh rỗng ({vnformat.decimal(seconds, 2)} giây).")
    if audio.dBFS == float("-inf") or audio.dBFS < SILENCE_DBFS:
        raise AudioError(f"{what}: âm thanh gần như im lặng ({audio.dBFS:.1f} dBFS).")
    shortest, longest = count / 12.0, count / 0.8 + 3.0
    if not shortest <= seconds <= longest:
        raise AudioError(f"{what}: độ dài {vnformat.decimal(seconds)} giây không hợp với {count} âm tiết "
                         f"(khoảng hợp lý {vnformat.decimal(shortest)}–{vnformat.decimal(longest)} giây).")


@functools.lru_cache(maxsize=32)
def _tone(freq: float, ms: int, sample_rate: int, volume: float) -> tuple[float, ...]:
    """A bell-like note: a fundamental and two soft partials, decaying."""
    n = int(sample_rate * ms / 1000)
    sin, exp = math.sin, math.exp
    w = 2 * math.pi * freq / sample_rate
    attack = 0.005 * sample_rate
    scale = volume / 1.47
    return tuple(scale * exp(-3.2 * i / sample_rate) * min(1.0, i / attack)
                 * (sin(w * i) + 0.35 * sin(2 * w * i) + 0.12 * sin(3 * w * i)) for i in range(n))


@functools.lru_cache(maxsize=8)
def jingle(sample_rate: int, channels: int, *, closing: bool = False) -> AudioSegment:
    """The column's signature: a rising chime to open, a falling one to close.

    Generated here, so the project ships no third-party music.
    """
    notes = [523.25, 659.25, 783.99, 1046.5]  # C5 E5 G5 C6
    if closing:
        notes = list(reversed(notes))
    step = int(0.18 * sample_rate)
    total = step * (len(notes) - 1) + int(1.6 * sample_rate)
    mix = [0.0] * total
    for k, freq in enumerate(notes):
        ms = 1600 if k == len(notes) - 1 else 700
        for i, s in enumerate(_tone(freq, ms, sample_rate, 0.5)):
            mix[k * step + i] += s
    peak = max(abs(s) for s in mix) or 1.0
    pcm = array.array("h", (int(32767 * 0.7 * s / peak) for s in mix))
    audio = AudioSegment(data=pcm.tobytes(), sample_width=2, frame_rate=sample_rate, channels=1)
    return audio.set_channels(channels).fade_out(300)


def sting(sample_rate: int, channels: int) -> AudioSegment:
    """A short two-note chime between segments: tells the listener a new item starts."""
    notes = [(783.99, 0), (1046.5, int(0.11 * sample_rate))]  # G5 then C6
    length = int(0.75 * sample_rate)
    mix = [0.0] * length
    for freq, start in notes:
        for i, s in enumerate(_tone(freq, 640, sample_rate, 0.5)):
            if start + i < length:
                mix[start + i] += s
    peak = max(abs(s) for s in mix) or 1.0
    pcm = array.array("h", (int(32767 * 0.7 * s / peak) for s in mix))
    audio = AudioSegment(data=pcm.tobytes(), sample_width=2, frame_rate=sample_rate, channels=1)
    return audio.set_channels(channels).fade_out(200)


# A soft pad: an A-major triad low in the register with a slow swell. Every frequency completes a
# whole number of cycles in PAD_LOOP_S, so the loop repeats without a click for any programme length.
PAD_LOOP_S = 16
_PAD_NOTES = ((110.0, 0.45), (138.8125, 0.3), (164.8125, 0.3), (220.0, 0.2))


def pad_expression() -> str:
    """ffmpeg ``aevalsrc`` expression of one pad loop (ffmpeg computes it: fast, no Python loop)."""
    voices = "+".join(f"{gain}*sin(2*PI*{freq}*t)*(0.75+0.25*sin(2*PI*{k + 1}/{PAD_LOOP_S}*t))"
                      for k, (freq, gain) in enumerate(_PAD_NOTES))
    return f"({voices})/1.4"
