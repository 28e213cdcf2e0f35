"""Writing numbers and dates the Vietnamese way, for the written script.

The script shows "1.245 hồ sơ", "96,2%", "thứ Sáu, ngày 27 tháng 11 năm 2026";
the normaliser later turns those into words for the voice.
"""

from __future__ import annotations

import datetime as dt

WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def number(value: int) -> str:
    """1245 → '1.245'."""
    return f"{value:,}".replace(",", ".")


def decimal(value: float, places: int = 1) -> str:
    """96.25 → '96,3'; whole numbers lose the decimals (97.0 → '97')."""
    rounded = round(value, places)
    if rounded == int(rounded):
        return number(int(rounded))
    whole, frac = f"{rounded:.{places}f}".split(".")
    return f"{number(int(whole))},{frac.rstrip('0')}"


def duration(seconds: float) -> str:
    """683 → '11 phút 23 giây': a programme's length as an official reads it."""
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} phút {rest:02d} giây"


def percent(value: float | None, places: int = 1) -> str:
    return "không có số liệu" if value is None else f"{decimal(value, places)}%"


def full_date(day: dt.date) -> str:
    """dt.date(2026, 11, 27) → 'thứ Sáu, ngày 27 tháng 11 năm 2026'."""
    return f"{WEEKDAYS[day.weekday()]}, ngày {day.day} tháng {day.month} năm {day.year}"


def change(current: float | None, previous: float | None, *, unit: str = "điểm phần trăm",
           places: int = 1) -> str:
    """Compare two figures in words: 'tăng 3,2 điểm phần trăm', 'giảm 12 hồ sơ', 'không đổi'."""
    if current is None or previous is None:
        return ""
    delta = round(current - previous, places)
    if delta == 0:
        return "không thay đổi"
    word = "tăng" if delta > 0 else "giảm"
    return f"{word} {decimal(abs(delta), places)} {unit}".strip()
