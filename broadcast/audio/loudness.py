"""Loudness per ITU-R BS.1770 (EBU R128): measure, level-match, keep true peaks down.

Measurement is ``broadcast.audio.meter`` (in process). Level-matching a clip is a
compressor (``dynamics.compress``, the way a radio's processing evens out a
reader), then a gain and a look-ahead limiter on 4×-oversampled peaks, so
every engine ends up equally loud with true peaks under the clip ceiling.

The programme as a whole, when it has to be mixed (a music bed, a WAV
archive), is normalised in the same two steps with the same limiter: a
measured linear gain (``gain.search_gain`` over ffmpeg passes), and the
limiter only if the peaks need it, streamed between two ffmpeg processes
(``mixdown.render``, ``dynamics.limit_stream``). That is what ``loudnorm``
does in its two-pass linear mode, but loudnorm silently switches to dynamic
compression when the peaks do not fit and works at 192 kHz throughout.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np

from broadcast.audio import dynamics
from broadcast.audio.clip import samples
from broadcast.audio.ffmpeg import AudioSegment, run_ffmpeg
from broadcast.audio.gain import CLIP_SLOPE, search_gain
from broadcast.audio.meter import Loudness, integrated_loudness, k_weighted, measure_samples
from broadcast.audio.plan import LoudnessPlan
from broadcast.errors import AudioError

__all__ = ["Loudness", "ebur128_file", "match", "match_gain", "measure"]

SILENT_LUFS = -70.0


def _number(text: str) -> float:
    return float("-inf") if text.strip().lower() in {"-inf", "inf"} else float(text)


def parse_ebur128(stderr: str) -> Loudness:
    """Read the summary ffmpeg's ebur128 filter prints at the end of a run."""
    summary = stderr[stderr.rfind("Summary:"):]
    found = {}
    for key, pattern in (("I", r"I:\s+(-?[\d.]+|-?inf)\s+LUFS"), ("LRA", r"LRA:\s+(-?[\d.]+)\s+LU"),
                         ("Peak", r"Peak:\s+(-?[\d.]+|-?inf)\s+dBFS")):
        match = re.search(pattern, summary)
        if not match and key == "Peak":
            found[key] = float("nan")   # measured without true peak
            continue
        if not match:
            raise AudioError(f"Không đọc được kết quả đo độ lớn của ffmpeg (thiếu {key}).")
        found[key] = _number(match.group(1))
    return Loudness(integrated=found["I"], true_peak=found["Peak"], lra=found["LRA"])


def ebur128_file(path: Path) -> Loudness:
    """ffmpeg's own BS.1770 measurement of a file: the independent check of ``broadcast.audio.meter``."""
    return parse_ebur128(run_ffmpeg(["-i", str(path), "-map", "0:a:0", "-af", "ebur128=peak=true",
                                     "-f", "null", "-"]))


def frames(audio: AudioSegment) -> np.ndarray:
    """16-bit audio as float32 frames × channels, full scale ±1."""
    values = samples(audio).astype(np.float32)
    values *= 1 / 32768
    return values


def from_frames(values: np.ndarray, like: AudioSegment) -> AudioSegment:
    """Float frames back to 16-bit audio in ``like``'s format (rounded; peaks are already under 0 dBFS).
    ``values`` is used up: scaled in place, to keep a long clip's memory down."""
    values *= 32768
    np.clip(np.rint(values, out=values), -32768, 32767, out=values)
    return like.set_sample_width(2)._spawn(values.astype(np.int16).tobytes())


def measure(audio: AudioSegment) -> Loudness:
    """Loudness of in-memory audio."""
    return measure_samples(frames(audio), audio.frame_rate)


def audible(measured: Loudness) -> bool:
    """Whether there is anything to bring to a target (silence is left as it is)."""
    return math.isfinite(measured.integrated) and measured.integrated > SILENT_LUFS


# What the limiter takes off compressed speech at the target (espeak lost 4–9 LU at −16 LUFS under a
# −5.5 dBTP clip ceiling): the first gain includes a typical share of it, and the gain search does the rest.
LIMITER_LOSS_DB = 5.0


def match_gain(audio: AudioSegment, target: float, ceiling: float, *, speech: bool = True,
               gain: float | None = None,
               tolerance: float = LoudnessPlan.clip_tolerance_lu) -> tuple[AudioSegment, float | None]:
    """One clip to ``target`` LUFS, true peaks under ``ceiling`` dBTP: every engine ends up equally loud.

    The clip is compressed (speech), K-weighted and peak-scanned once; each
    trial gain of the search (``gain.search_gain``) then costs a limiter curve
    and a sum over quarter-millisecond steps (K-weighting the clip and then
    applying the slowly moving gain is the same as the other way round, within
    hundredths of a LU), so the search is cheap. Silent clips are returned
    unchanged. Returns the gain used: given back as ``gain`` for an edited
    version of the clip, the search starts where it ended before.
    """
    rate = audio.frame_rate
    size, sub = dynamics.block_size(rate), round(rate / 10)
    shaped = dynamics.compress(frames(audio), rate) if speech else frames(audio)
    energy = k_weighted(shaped, rate, size)[:len(shaped) // sub * (sub // size)]   # whole 100 ms only

    def level(steps: np.ndarray) -> float:
        return integrated_loudness((energy * np.square(steps[:len(energy)])).reshape(-1, sub // size).sum(axis=1),
                                   sub)

    start = level(np.ones(len(energy)))
    if not math.isfinite(start) or start <= SILENT_LUFS:
        return audio, None
    peaks = dynamics.peak_steps(shaped, rate)
    tried: dict[float, np.ndarray] = {}

    def level_at(trial: float) -> float:
        tried.clear()
        tried[trial] = dynamics.limiter_steps(peaks, trial, ceiling, rate)
        return level(tried[trial])

    used, _ = search_gain(level_at, target, target - start + LIMITER_LOSS_DB if gain is None else gain,
                          tolerance=tolerance, tries=12, slope=CLIP_SLOPE)
    return from_frames(dynamics.apply_steps(shaped, tried[used], size), audio), used


def match(audio: AudioSegment, target: float, ceiling: float, *, speech: bool = True) -> AudioSegment:
    """``match_gain`` without the gain: one clip to ``target`` LUFS, peaks under ``ceiling``."""
    return match_gain(audio, target, ceiling, speech=speech)[0]
