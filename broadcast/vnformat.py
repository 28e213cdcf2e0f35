"""Writing numbers and dates the Vietnamese way, for the written script.

The script shows "1.245 hồ sơ", "96,2%", "thứ Sáu, ngày 27 tháng 11 năm 2026";
the normaliser later turns those into words for the voice.
"""

from __future__ import annotations

import datetime as dt
import re

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


COUNT_WORDS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười")


def count_words(value: int) -> str:
    """A small count as written in prose: 3 → 'ba'; from 11 on, digits ('12', '1.245')."""
    return COUNT_WORDS[value] if 0 <= value < len(COUNT_WORDS) else number(value)


def natural_list(items: list[str] | tuple[str, ...]) -> str:
    """['a', 'b', 'c'] → 'a, b và c'."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " và " + items[-1]


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


_DMY = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")


def parse_date(text: str) -> dt.date | None:
    """'27/11/2026' (also with - or .) or ISO '2026-11-27' → a date; None when it is neither."""
    match = _DMY.match(text)
    try:
        if match:
            return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def moment(value: dt.datetime | str, zone: dt.tzinfo | None = None) -> str:
    """A stored instant (aware datetime or ISO text, UTC) in the station's time: '02/12/2026 06:02'.

    A naive value is taken as UTC (how the database writes times).
    """
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return str(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    if zone is not None:
        value = value.astimezone(zone)
    return f"{value:%d/%m/%Y %H:%M}"


def short_hash(digest: str, length: int = 12) -> str:
    """A sha256 shortened for a phone screen; the full value stays in JSON and --verbose."""
    return digest[:length] + "…" if len(digest) > length else digest
