"""Dates in every written form, read as "ngày D tháng M năm Y".

Forms: 27/11/2026, 27.11.2026, 1-7-2025, 01 / 10 / 17 (two-digit year read as written),
"ngày 1/8" and "01/12" (a day and month only when something shows it is a date: "ngày" or a
part of the day ("sáng", "tối") or "trước/sau/vào" before it, a leading zero, brackets around
it, or a verb after it at the start of a line; "5/9 huyện" stays a ratio), "tháng 10/2026",
"quý III/2026" (quarters are cardinals: "quý bốn"). Month 4 is "tư".
"ngày" is never doubled: "ngày 27/11/2026" -> "ngày hai mươi bảy tháng ...". Days are plain
numbers ("ngày một", not "mùng một"): written "mùng 5" keeps its "mùng".
"""

from __future__ import annotations

import re

from broadcast.normalize.numbers import int_words, roman_value

# Patterns start with a character class (the left-boundary look-behind comes after the first
# character), so the regex engine skips ahead in C instead of trying every position.
_D = r"(?P<d>[0-9](?<![0-9/.,-][0-9])[0-9]?)"
_FULL = re.compile(
    _D + r" ?(?P<sep>[/.]) ?(?P<m>[0-9]{1,2}) ?(?P=sep) ?(?P<y>[0-9]{4}|[0-9]{2})(?![0-9]|[/.,][0-9])"
)
_HYPHEN = re.compile(_D + r"-(?P<m>[0-9]{1,2})-(?P<y>[0-9]{4})(?![0-9]|[-/.,][0-9])")
_HYPHEN_DAY_MONTH = re.compile(_D + r"-(?P<m>[0-9]{1,2})(?![0-9]|[-/.,][0-9])")
_DAY_MONTH = re.compile(_D + r" ?/ ?(?P<m>[0-9]{1,2})(?![0-9]|[/.,][0-9])")
_DAY_WORD_BEFORE = re.compile(r"(?:^|[^\w])(?:[Nn]gày|NGÀY|[Mm]ùng|[Mm]ồng) $")
# "Sáng 25/11": a part of the day before a day/month makes it a date ("sáng ngày 25 tháng 11").
_PART_OF_DAY_BEFORE = re.compile(r"(?:^|[^\w])(?i:sáng|trưa|chiều|tối|đêm|hôm|vào|trước|sau) $")
# "26/3 sẽ là ngày rét nhất": a day/month opening the line and followed by a verb is a date.
_VERB_AFTER = re.compile(r" (?:sẽ|là|đã|vừa|được|tới)(?!\w)")
_MONTH_YEAR = re.compile(r"(?P<kw>[Tt]háng)(?<![\w].....) (?P<m>[0-9]{1,2}) ?[/.-] ?(?P<y>[0-9]{4})(?![0-9])")
_QUARTER = re.compile(r"(?P<kw>[Qq]uý)(?<![\w]...) (?P<q>IV|I{1,3}|[1-4])(?: ?[/-] ?(?P<y>[0-9]{4}))?(?![\w/])")
# "các ngày 03/12, 10/12 và 31/12/2026": a list of days is dated as a whole when one item shows it.
_ITEM = r"[0-9]{1,2}/[0-9]{1,2}(?:/[0-9]{4})?"
_DATE_LIST = re.compile(
    r"(?<![\w/.,])(?P<run>" + _ITEM + r"(?:(?:, và |, | và | hoặc )" + _ITEM + r")+)(?![\w/]|[.,][0-9])"
)
_LIST_SEP = re.compile(r"(, và |, | và | hoặc )")
# "đường 30/4", "phố 3/2": a street named after a day is a name: "đường Ba mươi tháng Tư".
_NAMED_DAY = re.compile(r"(?P<kw>[Đđ]ường|[Pp]hố|[Qq]uảng trường|[Cc]ầu)(?<![\w].....) " + _D[:-1] +
                        r") ?/ ?(?P<m>[0-9]{1,2})(?![0-9]|[/.,][0-9])")
# "Quốc khánh 2/9": a holiday's day and month, without "ngày".
_HOLIDAY_DAY = re.compile(r"(?P<kw>[Qq]uốc khánh|[Gg]iải phóng miền Nam) " + _D[:-1] +
                          r") ?/ ?(?P<m>[0-9]{1,2})(?![0-9]|[/.,][0-9])")
# "Từ 01-05/12", "Ngày 5-6/12": days within one month.
_DAY_RANGE = re.compile(_D + r" ?[-–] ?(?P<d2>[0-9]{1,2})/(?P<m>[0-9]{1,2})(?:/(?P<y>[0-9]{4}))?(?![0-9]|[/.,][0-9])")
# "các ngày 3, 10 và 17/12": bare days, the month written once at the end.
_DAY_RUN = re.compile(
    r"(?<=[Nn]gày )(?P<run>[0-9]{1,2}(?:(?:, và |, |; | và )[0-9]{1,2})+)/(?P<m>[0-9]{1,2})(?:/(?P<y>[0-9]{4}))?"
    r"(?![0-9]|[/.,][0-9])"
)
_RUN_SEP = re.compile(r"(, và |, |; | và )")
_MONTH_FOUR = re.compile(r"(?P<kw>[Tt]háng)(?<![\w].....) 0?4(?![0-9]|[/.,][0-9])")


def month_words(m: int, dialect: str) -> str:
    """Month names are numbers, except April: "tháng tư"."""
    return "tư" if m == 4 else int_words(m, dialect)


def _valid(d: int, m: int) -> bool:
    return 1 <= d <= 31 and 1 <= m <= 12


def _say(match: re.Match[str], dialect: str, with_year: bool) -> str:
    d, m = int(match.group("d")), int(match.group("m"))
    if not _valid(d, m):
        return match.group(0)
    lead = "" if _after_day_word(match) else "ngày "
    out = f"{lead}{int_words(d, dialect)} tháng {month_words(m, dialect)}"
    if with_year:
        out += f" năm {int_words(int(match.group('y')), dialect)}"
    return out


def _after_day_word(match: re.Match[str]) -> bool:
    """Whether "ngày" (or "mùng") is written just before: then it is not said twice."""
    start = match.start()
    return _DAY_WORD_BEFORE.search(match.string[max(0, start - 6) : start]) is not None


def _opens(match: re.Match[str]) -> bool:
    """A day/month at the very start of the line, followed by a verb."""
    text = match.string
    return not text[: match.start()].strip() and _VERB_AFTER.match(text, match.end()) is not None


def _after_part_of_day(match: re.Match[str]) -> bool:
    start = match.start()
    return _PART_OF_DAY_BEFORE.search(match.string[max(0, start - 7) : start]) is not None


def hyphen_dates(text: str, dialect: str) -> str:
    """1-7-2025 and "ngày 1-7": before ranges so the hyphens are not read as "đến"."""
    text = _HYPHEN.sub(lambda m: _say(m, dialect, True), text)
    return _HYPHEN_DAY_MONTH.sub(lambda m: _say(m, dialect, False) if _after_day_word(m) else m.group(0), text)


def _day_month(match: re.Match[str], dialect: str) -> str:
    d, m = match.group("d"), match.group("m")
    leading_zero = d.startswith("0") or m.startswith("0")
    context = _after_day_word(match) or _after_part_of_day(match) or _in_brackets(match) or _opens(match)
    if leading_zero or context:
        return _say(match, dialect, False)
    return match.group(0)


def _in_brackets(match: re.Match[str]) -> bool:
    text = match.string
    before = text[max(0, match.start() - 8) : match.start()].rstrip()[-1:]
    after = text[match.end() : match.end() + 8].lstrip()[:1]
    return before == "(" and after == ")"


def _quarter(match: re.Match[str], dialect: str) -> str:
    q = match.group("q")
    value = int(q) if q.isdigit() else roman_value(q) or 0
    out = f"{match.group('kw')} {int_words(value, dialect)}"
    if match.group("y"):
        out += f" năm {int_words(int(match.group('y')), dialect)}"
    return out


def _month_year(match: re.Match[str], dialect: str) -> str:
    m = int(match.group("m"))
    if not 1 <= m <= 12:
        return match.group(0)
    return f"{match.group('kw')} {month_words(m, dialect)} năm {int_words(int(match.group('y')), dialect)}"


def _date_list(match: re.Match[str], dialect: str) -> str:
    """Read every item of a list of days when one of them is clearly a date."""
    parts = _LIST_SEP.split(match.group("run"))
    items = [tuple(int(n) for n in p.split("/")) for p in parts[::2]]
    if not all(_valid(i[0], i[1]) for i in items):
        return match.group(0)
    evidence = (any(len(i) == 3 for i in items) or any(p.startswith("0") or "/0" in p for p in parts[::2])
                or _after_day_word(match) or _after_part_of_day(match))
    if not evidence:
        return match.group(0)
    words = []
    for k, part in enumerate(parts):
        if k % 2:
            words.append(part)
            continue
        d, m, *year = items[k // 2]
        said = f"{int_words(d, dialect)} tháng {month_words(m, dialect)}"
        if year:
            said += f" năm {int_words(year[0], dialect)}"
        words.append(said if k or _after_day_word(match) else f"ngày {said}")
    return "".join(words)


def _capital(words: str) -> str:
    return words[:1].upper() + words[1:]


def _named_day(match: re.Match[str], dialect: str) -> str:
    d, m = int(match.group("d")), int(match.group("m"))
    if not _valid(d, m):
        return match.group(0)
    return f"{match.group('kw')} {_capital(int_words(d, dialect))} tháng {_capital(month_words(m, dialect))}"


def _holiday_day(match: re.Match[str], dialect: str) -> str:
    d, m = int(match.group("d")), int(match.group("m"))
    if not _valid(d, m):
        return match.group(0)
    return f"{match.group('kw')} {int_words(d, dialect)} tháng {month_words(m, dialect)}"


def _day_range(match: re.Match[str], dialect: str) -> str:
    d, d2, m = int(match.group("d")), int(match.group("d2")), int(match.group("m"))
    if not (_valid(d, m) and _valid(d2, m) and d < d2):
        return match.group(0)
    lead = "" if _after_day_word(match) else "ngày "
    out = f"{lead}{int_words(d, dialect)} đến ngày {int_words(d2, dialect)} tháng {month_words(m, dialect)}"
    if match.group("y"):
        out += f" năm {int_words(int(match.group('y')), dialect)}"
    return out


def _day_run(match: re.Match[str], dialect: str) -> str:
    parts = _RUN_SEP.split(match.group("run"))
    m = int(match.group("m"))
    if not all(_valid(int(p), m) for p in parts[::2]):
        return match.group(0)
    words = [p if k % 2 else int_words(int(p), dialect) for k, p in enumerate(parts)]
    out = "".join(words) + f" tháng {month_words(m, dialect)}"
    if match.group("y"):
        out += f" năm {int_words(int(match.group('y')), dialect)}"
    return out


def day_ranges(text: str, dialect: str) -> str:
    """Days within one month ("01-05/12") and months with a hyphenated year ("tháng 7-2021").

    Runs before the hyphen is read as "đến" between numbers.
    """
    if "/" in text:
        text = _DAY_RANGE.sub(lambda m: _day_range(m, dialect), text)
    if "háng" in text:
        text = _MONTH_YEAR.sub(lambda m: _month_year(m, dialect), text)
    return text


def dates(text: str, dialect: str) -> str:
    """All slash and dot dates, month/year, quarters and "tháng 4"."""
    if "/" in text:
        text = _NAMED_DAY.sub(lambda m: _named_day(m, dialect), text)
        text = _HOLIDAY_DAY.sub(lambda m: _holiday_day(m, dialect), text)
        text = _DAY_RUN.sub(lambda m: _day_run(m, dialect), text)
        text = _DATE_LIST.sub(lambda m: _date_list(m, dialect), text)
    if "/" in text or "." in text:
        text = _FULL.sub(lambda m: _say(m, dialect, True), text)
    month = "háng" in text
    if month:
        text = _MONTH_YEAR.sub(lambda m: _month_year(m, dialect), text)
    if "uý" in text:
        text = _QUARTER.sub(lambda m: _quarter(m, dialect), text)
    if "/" in text:
        text = _DAY_MONTH.sub(lambda m: _day_month(m, dialect), text)
    if month and ("háng 4" in text or "háng 04" in text):
        text = _MONTH_FOUR.sub(lambda m: f"{m.group('kw')} tư", text)
    return text


DAY_PREFIXES: frozenset[str] = frozenset({"", "mùng"})
# Days one to ten of a date, already in words: "ngày năm tháng mười hai", "ngày một đến ngày năm".
_EARLY_DAY = re.compile(
    r"(?<![\w])([Nn]gày) (một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)(?= tháng(?!\w)| đến ngày(?!\w))"
)


def check_day_prefix(prefix: str) -> None:
    if prefix not in DAY_PREFIXES:
        raise ValueError(f"unknown day prefix {prefix!r}: use '' or 'mùng'")


def day_prefix(text: str, prefix: str) -> str:
    """ "mùng" before days one to ten of a date, where the station asks for it."""
    if not prefix or "gày" not in text:
        return text
    return _EARLY_DAY.sub(lambda m: f"{m.group(1)} {prefix} {m.group(2)}", text)

