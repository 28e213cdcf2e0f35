"""Figures as a Vietnamese official reads them on screen and in logs."""

from __future__ import annotations

import pytest

from broadcast import vnformat


@pytest.mark.parametrize(("seconds", "shown"), [(683.4, "11 phút 23 giây"), (59.6, "1 phút 00 giây"),
                                                 (5, "0 phút 05 giây")])
def test_duration(seconds: float, shown: str) -> None:
    assert vnformat.duration(seconds) == shown


@pytest.mark.parametrize(("value", "shown"), [(11.4, "11,4"), (1234.5, "1.234,5"), (97.0, "97")])
def test_decimal_takes_a_comma(value: float, shown: str) -> None:
    assert vnformat.decimal(value) == shown
