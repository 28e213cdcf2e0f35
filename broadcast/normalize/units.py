"""Units, money, percentages, ranges, ratios and rates: the symbols around numbers.

* ranges: a hyphen or dash between two numbers is "đến" (3-5%, 2021-2025, 100.000 – 300.000);
* ratios: a slash before a number is "trên" (5/9 huyện, 9.690 đài/10.599 xã), except a
  fraction of a whole after "bằng", "chiếm", "khoảng"... which is "phần" (chiếm 1/3);
* rates: a slash between a measured quantity and a word is "mỗi" (2 lần/tuần), and after money
  "một" (20.000đ/hồ sơ -> "hai mươi nghìn đồng một hồ sơ"); elsewhere a slash between words is
  "hoặc" (xã/phường);
* units and currency are read only right after a number ("5 ha", "20.000đ", "300.000 VNĐ").
"""

from __future__ import annotations

import re

UNITS: dict[str, str] = {
    "km²": "ki lô mét vuông", "km2": "ki lô mét vuông", "m²": "mét vuông", "m2": "mét vuông",
    "m³": "mét khối", "m3": "mét khối", "km/h": "ki lô mét một giờ", "ha": "héc ta",
    "km": "ki lô mét", "kg": "ki lô gam", "kV": "ki lô vôn", "kW": "ki lô oát",
    "kWh": "ki lô oát giờ", "MW": "mê ga oát", "cm": "xen ti mét", "mm": "mi li mét",
    "m": "mét", "g": "gam", "ml": "mi li lít", "°C": "độ xê", "GB": "gi ga bai", "MB": "mê ga bai",
    "Hz": "héc", "kHz": "ki lô héc", "MHz": "mê ga héc", "GHz": "gi ga héc", "kVA": "ki lô vôn am pe",
}
_UNIT = re.compile(
    r"([0-9]) ?(" + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True)) + r")(?![\w²³/])"
)
_UNIT_SLASH = re.compile(r"([0-9]) ?(km/h)(?![\w])")
# "200 kg/ha", "62 tạ/ha", "8.500 đồng/m3": a quantity or a price per unit is "một" + the unit.
_PER_UNIT = re.compile(
    r"([0-9] ?(?:[^\W\d_]{1,5}|[0-9]))/(" + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
    + r")(?![\w²³/])"
)
_SUPERSCRIPT_UNIT = re.compile(r"(?<![\w])(km²|m²|m³)(?![\w])")
_CURRENCY = re.compile(r"([0-9]) ?(?:đồng|đ|VNĐ|VND|vnđ|vnd)(?![\w])")
_PERCENT = re.compile(r" ?%")
_DEGREE_C = re.compile(r"(?<=độ )C(?![\w])")
# Each starts with the character it follows, so the engine scans in C (no leading look-behind).
_RANGE = re.compile(r"([0-9]h|[0-9%’]) ?[-–—] ?(?=[0-9])")
# The slash pass starts on the "/" itself (a literal the engine finds in C); the callback looks
# at the characters around it.
_SLASH = re.compile(r"/")
# "chỉ bằng 1/10", "chiếm 1/3": a fraction of a whole is "phần", a count out of a total "trên".
_FRACTION_BEFORE = re.compile(r"(?:^|[^\w])(?i:bằng|chiếm|khoảng|gần|hơn|còn|giảm|tăng|thêm) [0-9]+$")
# "1/2 số hộ", "3/4 diện tích": a part of a whole is "phần" (and a quarter is "phần tư").
_PART_OF = re.compile(r"([0-9])/([0-9]{1,2})(?= (?:số|tổng số|diện tích|dân số)(?!\w))")
_AND_OR = re.compile(r"(?<![\w])và/hoặc(?![\w])")
_MONEY_BEFORE = re.compile(r"(?:đồng|triệu|nghìn|ngàn|tỷ)\s*$")
_NUMBER_BEFORE = re.compile(r"[0-9][^\n0-9/]{0,24}$")


def units(text: str) -> str:
    """Measurement units and currency after numbers."""
    text = _UNIT_SLASH.sub(lambda m: m.group(1) + " " + UNITS[m.group(2)], text)
    if "/" in text:
        text = _PER_UNIT.sub(lambda m: m.group(1) + " một " + UNITS[m.group(2)], text)
    text = _UNIT.sub(lambda m: m.group(1) + " " + UNITS[m.group(2)], text)
    if "²" in text or "³" in text:
        text = _SUPERSCRIPT_UNIT.sub(lambda m: UNITS[m.group(1)], text)
    text = _CURRENCY.sub(r"\1 đồng", text)
    return _DEGREE_C.sub("xê", text) if "độ C" in text else text


def ranges(text: str) -> str:
    """A dash between numbers: "đến"."""
    return _RANGE.sub(r"\1 đến ", text)


def _slash(match: re.Match[str]) -> str:
    """One "/": a ratio or fraction before a number, a rate or an alternative between words."""
    text, start = match.string, match.start()
    prev, nxt = text[start - 1 : start], text[start + 1 : start + 2]
    if not (prev.isalnum() and (nxt.isalnum())):
        return match.group(0)
    before = text[max(0, start - 30) : start]
    if nxt.isdigit() and nxt.isascii():
        return " phần " if _FRACTION_BEFORE.search(before[-16:]) and prev.isdigit() else " trên "
    if prev.isdigit() or not nxt.isalpha():
        return match.group(0)
    if _MONEY_BEFORE.search(before) or _rate_chain(text, start):
        return " một "
    if _NUMBER_BEFORE.search(before):
        return " mỗi "
    return " hoặc "


def _rate_chain(text: str, start: int) -> bool:
    """ "đồng/người/tháng": the second slash of a rate after money is a rate too."""
    i = start - 1
    while i >= 0 and text[i].isalpha():
        i -= 1
    return i > 0 and text[i] == "/" and _MONEY_BEFORE.search(text[max(0, i - 30) : i]) is not None


def _part_of(match: re.Match[str]) -> str:
    whole = match.group(2).lstrip("0")
    return f"{match.group(1)} phần {'tư' if whole == '4' else whole}"


def slashes(text: str) -> str:
    """Ratios ("trên"), fractions ("phần"), rates ("mỗi", "một") and alternatives ("hoặc")."""
    text = _AND_OR.sub("và hoặc", text)
    text = _PART_OF.sub(_part_of, text)
    text = text.replace(" /", "/").replace("/ ", "/")
    return _SLASH.sub(_slash, text)


def percent(text: str) -> str:
    """The percent sign."""
    return _PERCENT.sub(" phần trăm", text)
