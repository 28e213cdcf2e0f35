"""The one gain search: the gain that brings audio through a limiter to a loudness target.

Under a limiter, loudness rises by less than the gain added (the peaks it
catches give some back), so a first guess rarely lands. A secant search
learns the real slope from the tries so far. Used on each clip (a try is a
limiter curve and a sum, milliseconds: ``loudness.match_gain``) and on a mixed
programme (a try is an ffmpeg pass, measured as decoded: ``mixdown.render``).
"""

from __future__ import annotations

from collections.abc import Callable

# Where the slope starts: under the in-process limiter, compressed speech at the target rose about
# 0.4 LU per dB of gain (espeak under a −5.5 dBTP clip ceiling); a mixed programme, whose clips are
# already limited, about 0.7 (espeak and Edge speech at −16 LUFS under −3.5 dBTP).
CLIP_SLOPE = 0.4
PROGRAMME_SLOPE = 0.7


def search_gain(level_at: Callable[[float], float], target: float, gain: float, *, tolerance: float,
                tries: int, slope: float, min_slope: float = 0.05,
                accept: Callable[[float], bool] | None = None) -> tuple[float, float]:
    """Try gains (dB) until ``level_at(gain)`` is within ``tolerance`` of ``target`` (and ``accept``
    agrees, e.g. the peaks are under the ceiling), at most ``tries`` times.

    Returns the last gain tried and the level it reached: the caller's last
    ``level_at`` call was for that gain, so whatever it made there is the result.
    """
    reached = level_at(gain)
    last: tuple[float, float] | None = None
    for _ in range(tries - 1):
        if abs(target - reached) <= tolerance and (accept is None or accept(reached)):
            break
        if last is not None and gain != last[0] and reached != last[1]:
            slope = min(1.0, max(min_slope, (reached - last[1]) / (gain - last[0])))
        last = (gain, reached)
        gain += (target - reached) / slope   # secant step: the limiter gives back less than the gain added
        reached = level_at(gain)
    return gain, reached
