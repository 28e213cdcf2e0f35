"""The normaliser: written Vietnamese administrative text -> what the announcer says.

Each line goes through the rule families in a fixed order; the order matters because each
family consumes the characters the later ones would misread:

    hygiene -> the lexicon's written forms with punctuation -> document numbers -> phone numbers
    -> hyphen dates -> ranges -> dates -> times
    -> units and money -> ratios and rates -> abbreviations -> ordinals and Roman numerals
    -> percent and symbols -> numbers -> punctuation and spacing

Every family is one or two precompiled regular expressions applied once, so the cost is linear
in the length of the text.
"""

from __future__ import annotations

import re

from broadcast.normalize import addresses, cleanup, dates, legal, ordinals, phones, times, units
from broadcast.normalize.abbreviations import Expander
from broadcast.normalize.lexicon import Lexicon, builtin_lexicon
from broadcast.normalize.numbers import check_dialect, spell_numbers


def normalize(text: str, *, dialect: str = "north", lexicon: Lexicon | None = None, day_prefix: str = "") -> str:
    """Spoken form of ``text``: NFC, one output line per input line.

    ``dialect`` "south" keeps the southern number words (ngàn, linh); ``day_prefix`` "mùng"
    reads days one to ten of a date as "ngày mùng năm tháng mười hai".
    """
    check_dialect(dialect)
    dates.check_day_prefix(day_prefix)
    lex = builtin_lexicon() if lexicon is None else lexicon
    expander = Expander(lex)
    lines = cleanup.pre_clean(text).split("\n")
    return "\n".join(_line(line, dialect, lex, expander, day_prefix) for line in lines)


_DIGIT = re.compile(r"[0-9]")
_DASHES = re.compile(r"[-–—]")
_CAPITAL = re.compile(r"[A-ZĐ]")


def _line(line: str, dialect: str, lex: Lexicon, expander: Expander, day_prefix: str) -> str:
    line = addresses.addresses(cleanup.pre_line(line), lex.web)
    if not line.strip():
        return ""
    sentence_case = cleanup.starts_sentence(line)
    line = expander.literals(line)
    # Each family runs only when the characters it needs are there (a C-level check), so
    # plain prose costs a handful of scans.
    digits = _DIGIT.search(line) is not None
    dashes = _DASHES.search(line) is not None
    if digits:
        if "/" in line or dashes:
            line = legal.document_numbers(line, lex, dialect)
        line = phones.phones(line)
        if dashes:
            line = dates.day_ranges(line, dialect)
            line = dates.hyphen_dates(line, dialect)
            line = units.ranges(line)
    if digits or "uý" in line or "UÝ" in line:
        line = dates.dates(line, dialect)
    if digits:
        line = times.times(line, dialect)
        line = units.units(line)
    elif "²" in line or "³" in line:
        line = units.units(line)
    if "/" in line:
        line = units.slashes(line)
    line = expander(line)
    if digits or _CAPITAL.search(line):
        line = ordinals.ordinals(line, dialect)
    if "%" in line:
        line = units.percent(line)
    line = cleanup.symbols(line)
    if digits:
        line = spell_numbers(line, dialect)
    line = cleanup.post_line(line)
    if digits:
        line = dates.day_prefix(line, day_prefix)
    return cleanup.capitalize_first(line) if sentence_case else line
