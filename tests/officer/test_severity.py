"""Warnings carry a severity: a programme far from its slot is serious; serious ones come first."""

from __future__ import annotations

from broadcast import severity
from broadcast.pipeline import slot_warnings


def test_programme_under_70_or_over_105_percent_of_slot_is_serious() -> None:
    [short] = slot_warnings(0.22 * 600, 600)
    assert severity.is_serious(short) and "22 %" in short and "10 phút" in short
    [long] = slot_warnings(1.06 * 600, 600)
    assert severity.is_serious(long) and "vượt thời lượng" in long
    assert slot_warnings(0.71 * 600, 600) == [] and slot_warnings(1.04 * 600, 600) == []


def test_serious_warnings_are_listed_first() -> None:
    plain, grave = "Hỏi – đáp: chỉ còn 2 câu", severity.serious("Phần hỏi – đáp bị mất")
    assert severity.ordered([plain, grave, plain]) == [grave, plain, plain]
    assert severity.count_serious([plain, grave]) == 1 and severity.serious(grave) == grave
