"""Vietnamese number words.

Rules an announcer follows, in the order they matter:

* units after "mươi" (20 and up): 1 -> "mốt", 4 -> "tư", 5 -> "lăm"; after "mười": 5 -> "lăm"
  (14 stays "mười bốn");
* a zero tens digit after a spoken hundred: "lẻ" (north) / "linh" (south): 105 -> "một trăm lẻ năm";
* inside a larger number every three-digit group after the first is read in full, so
  2026 -> "hai nghìn không trăm hai mươi sáu";
* a group that follows one or more *all-zero* groups is read the short way, as an announcer
  does: 1.000.005 -> "một triệu lẻ năm", 1.000.025 -> "một triệu không trăm hai mươi lăm";
* thousands are "nghìn" in the north and "ngàn" in the south;
* leading zeros are not read (05 -> "năm"); numbers longer than 18 digits are read digit by digit.
"""

from __future__ import annotations

import re
from functools import lru_cache

DIGITS: tuple[str, ...] = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
DIALECTS: frozenset[str] = frozenset({"north", "south"})
_MAX_DIGITS = 18


def check_dialect(dialect: str) -> None:
    """Reject an unknown dialect early, with a clear message."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}: use 'north' or 'south'")


def _odd(dialect: str) -> str:
    return "linh" if dialect == "south" else "lẻ"


def _thousand(dialect: str) -> str:
    return "ngàn" if dialect == "south" else "nghìn"


def _tens_units(t: int, u: int, after_hundred: bool, dialect: str) -> list[str]:
    """Words for the last two digits of a group."""
    if t == 0:
        if u == 0:
            return []
        return [_odd(dialect), DIGITS[u]] if after_hundred else [DIGITS[u]]
    words = ["mười"] if t == 1 else [DIGITS[t], "mươi"]
    if u == 0:
        return words
    if u == 5:
        return [*words, "lăm"]
    if t >= 2 and u == 1:
        return [*words, "mốt"]
    if t >= 2 and u == 4:
        return [*words, "tư"]
    return [*words, DIGITS[u]]


def _group(n: int, full: bool, dialect: str) -> list[str]:
    """Words for 0 < n < 1000; ``full`` reads a zero hundreds digit as "không trăm"."""
    h, rest = divmod(n, 100)
    t, u = divmod(rest, 10)
    words: list[str] = []
    if h or full:
        words += [DIGITS[h], "trăm"]
    return words + _tens_units(t, u, bool(words), dialect)


_BILLION = 10**9  # "tỷ"


@lru_cache(maxsize=8192)
def int_words(n: int, dialect: str = "north") -> str:
    """Spoken form of a non-negative integer (digit by digit past 18 digits).

    Above a billion the part before "tỷ" is read as a number of its own:
    1.234.567.890.123 -> "một nghìn hai trăm ba mươi tư tỷ năm trăm sáu mươi bảy triệu ...".
    """
    if n < 0:
        return "âm " + int_words(-n, dialect)
    if n == 0:
        return "không"
    if len(str(n)) > _MAX_DIGITS:
        return digit_words(str(n))
    if n < _BILLION:
        return " ".join(_block(n, dialect, after_billion=False))
    high, low = divmod(n, _BILLION)
    words = [int_words(high, dialect), "tỷ"]
    if low:
        words += _block(low, dialect, after_billion=True)
    return " ".join(words)


def _block(n: int, dialect: str, *, after_billion: bool) -> list[str]:
    """Words for 0 < n < 1e9, either alone or continuing after "... tỷ"."""
    groups = (n // 1_000_000, n // 1000 % 1000, n % 1000)
    names = ("triệu", _thousand(dialect), "")
    words: list[str] = []
    started, gap = after_billion, False
    for g, name in zip(groups, names, strict=True):
        if g == 0:
            gap = gap or started
            continue
        if not started:
            part = _group(g, False, dialect)
        elif gap and g < 10:
            part = [_odd(dialect), DIGITS[g]]
        else:
            part = _group(g, True, dialect)
        words += part
        if name:
            words.append(name)
        started, gap = True, False
    return words


def digit_words(digits: str) -> str:
    """Read a string of digits one by one (phone numbers, codes)."""
    return " ".join(DIGITS[int(c)] for c in digits if c.isdigit())


def numeral_words(text: str, dialect: str = "north") -> str:
    """Spoken form of a written integer that may carry leading zeros or dot separators."""
    digits = text.replace(".", "")
    if len(digits) > _MAX_DIGITS:
        return digit_words(digits)
    return int_words(int(digits), dialect)


def fraction_words(digits: str, dialect: str = "north") -> str:
    """Digits after the decimal comma: leading zeros as "không", the rest as a number.

    Up to three significant digits are read as a number (3,75 -> "bảy mươi lăm"); longer tails
    are read digit by digit, as announcers do for long decimals.
    """
    stripped = digits.lstrip("0")
    zeros = ["không"] * (len(digits) - len(stripped))
    if not stripped:
        return " ".join(zeros) or "không"
    if len(stripped) > 3:
        return " ".join([*zeros, digit_words(stripped)])
    return " ".join([*zeros, int_words(int(stripped), dialect)])


def decimal_words(whole: str, frac: str, dialect: str = "north") -> str:
    """A decimal written with a comma: 96,2 -> "chín mươi sáu phẩy hai"."""
    return f"{numeral_words(whole, dialect)} phẩy {fraction_words(frac, dialect)}"


def ordinal_words(n: int, dialect: str = "north") -> str:
    """Ordinal after "thứ": 1 -> "nhất", 4 -> "tư", otherwise the cardinal."""
    if n == 1:
        return "nhất"
    if n == 4:
        return "tư"
    return int_words(n, dialect)


_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_value(token: str) -> int | None:
    """Value of a well-formed Roman numeral, or None (so "CD", "DC", "MC" are not numbers)."""
    if not token or any(c not in _ROMAN_VALUES for c in token):
        return None
    total = 0
    for i, c in enumerate(token):
        v = _ROMAN_VALUES[c]
        nxt = _ROMAN_VALUES[token[i + 1]] if i + 1 < len(token) else 0
        total += -v if v < nxt else v
    if total <= 0 or total >= 400 or to_roman(total) != token:
        return None
    return total


_ROMAN_STEPS = ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def to_roman(n: int) -> str:
    """Canonical Roman numeral, used to validate parsed input."""
    out = []
    for value, sym in _ROMAN_STEPS:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


# A written number: digits, possibly with "." thousands separators or "." section dots and a
# decimal comma. Digits only ASCII; the pattern is linear (no nested quantifiers on one char).
_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
_THOUSANDS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")


def _number(match: re.Match[str], dialect: str) -> str:
    written = match.group(0)
    pieces = written.split(",")
    if len(pieces) > 2:
        return " " + ", ".join(_whole(p, dialect) for p in pieces) + " "
    spoken = _whole(pieces[0], dialect)
    if len(pieces) == 2:
        spoken += " phẩy " + fraction_words(pieces[1].replace(".", ""), dialect)
    return f" {spoken} "


def _whole(written: str, dialect: str) -> str:
    if "." not in written or _THOUSANDS.fullmatch(written):
        return numeral_words(written, dialect)
    return " chấm ".join(numeral_words(p, dialect) for p in written.split("."))


# Programme names keep their written zero: "Đề án 06" is said "Đề án không sáu".
_NAMED_CODE = re.compile(r"(?<=[Đđ]ề án )0[0-9]{1,2}(?![0-9]|[.,][0-9])")


def spell_numbers(text: str, dialect: str = "north") -> str:
    """Every remaining written number, as words."""
    text = _NAMED_CODE.sub(lambda m: digit_words(m.group(0)), text)
    return _NUMBER.sub(lambda m: _number(m, dialect), text)
