"""One loudness plan and one gain search for every level the programme is made to."""

from __future__ import annotations

import ast
import math
from pathlib import Path

from broadcast.audio.gain import search_gain
from broadcast.audio.plan import LoudnessPlan
from broadcast.config import AudioSettings

ROOT = Path(__file__).resolve().parents[2] / "broadcast"


def _constants(path: Path) -> list[str]:
    names = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) \
            else []
        names += [t.id for t in targets if isinstance(t, ast.Name) and t.id.isupper()]
    return names


def test_no_constant_of_the_audio_side_is_defined_twice() -> None:
    """The same name with two values (OVERSAMPLE 4 and 2, two TOLERANCE_LU) is where the next bug hides."""
    seen: dict[str, Path] = {}
    for path in sorted([*(ROOT / "audio").glob("*.py"), *(ROOT / "speech").glob("*.py")]):
        for name in _constants(path):
            assert name not in seen, f"{name} is defined in {seen[name].name} and {path.name}"
            seen[name] = path
    for margin in ("MP3_MARGIN_DB", "MP3_LOUDNESS_LOSS_LU", "TOLERANCE_LU", "CLIP_HEADROOM_DB"):
        assert margin not in seen, f"{margin} belongs in audio/plan.py's LoudnessPlan"


def test_the_plan_follows_the_two_settings_an_officer_sets() -> None:
    plan = LoudnessPlan.of(AudioSettings(loudness_target=-23.0, true_peak=-1.0))
    assert (plan.target_lufs, plan.ceiling_dbtp) == (-23.0, -1.0)
    assert plan.aim_ceiling == -3.0 and math.isclose(plan.clip_ceiling, -3.6)
    assert math.isclose(plan.clip_target, -22.7) and plan.music_target == -25.0
    assert plan.within_spec(-22.1, -1.0) and not plan.within_spec(-21.9, -1.0)
    assert not plan.within_spec(-23.0, -0.9)


def test_the_gain_search_learns_the_slope_of_a_limited_signal() -> None:
    """A level that rises ever more slowly with gain (what a limiter does): the search still lands."""
    tries: list[float] = []

    def level_at(gain: float) -> float:
        tries.append(gain)
        return -30 + 12 * math.tanh(gain / 12)       # 1 LU per dB at first, then flattening

    gain, reached = search_gain(level_at, -20.0, 0.0, tolerance=0.05, tries=12, slope=1.0)
    assert abs(reached + 20.0) <= 0.05 and reached == level_at(gain)
    assert 2 < len(tries) - 1 <= 12


def test_the_gain_search_stops_after_its_tries_and_honours_accept() -> None:
    calls: list[float] = []

    def level_at(gain: float) -> float:
        calls.append(gain)
        return gain

    search_gain(level_at, 0.0, 0.0, tolerance=0.1, tries=4, slope=1.0, accept=lambda _: False)
    assert len(calls) == 4          # on target from the start, but never accepted
