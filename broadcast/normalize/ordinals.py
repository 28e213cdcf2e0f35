"""Ordinals and Roman numerals in context.

"thứ 1" -> "thứ nhất", "thứ 4" -> "thứ tư", other ordinals are cardinals ("thứ 2" -> "thứ hai").
Roman numerals are read only after a word that takes them (khóa XV, Chương II, thế kỷ XXI,
lần thứ XIII, quý IV -> "quý bốn"): a lone "I", "CD" or "DC" elsewhere is left alone.
"""

from __future__ import annotations

import re

from broadcast.normalize.numbers import int_words, ordinal_words, roman_value

_ORDINAL = re.compile(r"(?P<kw>(?<![\w])(?:[Tt]hứ|THỨ))\s+(?P<n>[0-9]{1,3})(?![0-9]|[.,][0-9])")
_KEYWORDS = r"(?i:khóa|khoá|chương|quý|thế kỷ|thế kỉ|phần|mục|phụ lục|thứ|kỳ|đợt|cấp|loại|tập|đại hội|giai đoạn)"
_KEYWORD_BEFORE = re.compile(r"(?:^|[^\w])(?P<kw>" + _KEYWORDS + r") $")


def roman_in_context(before: str, token: str) -> bool:
    """Whether ``token`` is a Roman numeral read as a number here ("khóa XV"), not an acronym."""
    return roman_value(token) is not None and _KEYWORD_BEFORE.search(before[-12:]) is not None


# Starts on the numeral itself (a character class), the keyword is checked in the callback.
_ROMAN_TOKEN = re.compile(r"[IVXLC](?<![\w][IVXLC])[IVXLC]{0,7}(?![\w])")


def _roman_token(match: re.Match[str], dialect: str) -> str:
    start = match.start()
    before = match.string[max(0, start - 12) : start]
    found = _KEYWORD_BEFORE.search(before)
    value = roman_value(match.group(0)) if match.group(0) not in ("C", "L") else None  # "loại C"
    if found is None or value is None:
        return match.group(0)
    keyword = found.group("kw").lower()
    return ordinal_words(value, dialect) if keyword == "thứ" else int_words(value, dialect)


def ordinals(text: str, dialect: str) -> str:
    """Arabic ordinals after "thứ" and Roman numerals after their keywords."""
    text = _ROMAN_TOKEN.sub(lambda m: _roman_token(m, dialect), text)
    if "hứ" not in text and "HỨ" not in text:
        return text
    return _ORDINAL.sub(lambda m: f"{m.group('kw')} {ordinal_words(int(m.group('n')), dialect)}", text)
