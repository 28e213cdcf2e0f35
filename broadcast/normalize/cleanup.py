"""Text hygiene before and after the reading rules.

Before: NFC, control and invisible characters, emoji and pictographs removed; list markers
("- ", "+ ", "•", "a)", "1.", "1.1.", "II.") and the closing "./." dropped; footnote marks "[2]"
dropped; quotes dropped (an apostrophe inside a name such as "H'Mông" stays); symbols that are
words ("&", "+", "=") spelled. Web and e-mail addresses are read in :mod:`addresses`.
After: brackets become commas, dashes between words become a comma pause, and spacing around
the kept sentence punctuation (. , ; : ? !) is made regular. Nothing here backtracks: every
pattern is a simple character class run.
"""

from __future__ import annotations

import re
import unicodedata

_DROP_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "So", "Sk", "Zl", "Zp"})
_KEEP_SYMBOLS = frozenset("°\n")
_LIST_MARKER = re.compile(
    r"^[ \t]*(?:(?:[-–—•●▪◦·*+>][ \t]*|[a-zđ]\)[ \t]*|[0-9]{1,2}[.)][ \t]+|[0-9]{1,2}(?:\.[0-9]{1,2})+\.[ \t]+"
    r"|[IVX]{1,5}\.[ \t]+)[ \t]*)+"
)
_CLOSING = re.compile(r"\s*\./\.\s*$|\s*/\.\s*$")
_FOOTNOTE = re.compile(r"[ \t]*\[[0-9]{1,3}\]")
_QUOTES = re.compile(r"[“”„‟\"«»‹›「」『』'‘’`]")
_QUOTE_GATE = re.compile(r"[“”„‟\"«»‹›「」『』'‘’`]")
_ELLIPSIS = re.compile(r"…|\.{2,}")
_WORD_SYMBOLS = (("&", " và "), ("+", " cộng "), ("=", " bằng "), ("@", " a còng "), ("~", " khoảng "), ("°", " độ "))

_BRACKET_TABLE = {ord(c): " , " for c in "()[]{}"}
_DASH = re.compile(r"( ?)([-–—]++)( ?)")
_OTHER = re.compile(r"[^\w\s.,;:?!'’]|_")
_BRACKET_GATE = re.compile(r"[()\[\]{}]")
_PUNCT_RUN = re.compile(r"([.,;:?!])(?:[ \t]*[.,;:?!])+")
_NO_SPACE_AFTER = re.compile(r"([,;:?!])(?=[^\W\d_])|(\.)(?=[^\W\d_]{2})")
_SPACES = re.compile(r"[ \t]{2,}")


def pre_clean(text: str) -> str:
    """Unicode hygiene for the whole input (newlines kept).

    The table is built from the distinct characters only, then applied in C by str.translate,
    so a megabyte costs one pass.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n")
    table: dict[int, str] = {}
    for c in set(text):
        if c in _KEEP_SYMBOLS:
            continue
        category = unicodedata.category(c)
        if category == "Cf":
            table[ord(c)] = ""  # zero-width and bidi marks vanish: "TT\u200bHC" is "TTHC"
        elif c in "\t\u00a0" or category in _DROP_CATEGORIES:
            table[ord(c)] = " "
    return text.translate(table) if table else text


def pre_line(line: str) -> str:
    """Per-line: markers, closing marks, footnotes, quotes, ellipses."""
    line = _SPACES.sub(" ", line)
    line = _LIST_MARKER.sub("", line)
    line = _CLOSING.sub(".", line) if line.rstrip().endswith("/.") else line
    if "[" in line:
        line = _FOOTNOTE.sub("", line)
    if _QUOTE_GATE.search(line):
        line = _QUOTES.sub(_quote, line)
    if "…" in line or ".." in line:
        line = _ELLIPSIS.sub(", ", line)
    return line


def _quote(match: re.Match[str]) -> str:
    """Quotes go; an apostrophe inside a name ("H'Mông", "Đắk R'lấp") stays."""
    text, i = match.string, match.start()
    if match.group(0) in "'’" and text[i - 1 : i].isalpha() and text[i + 1 : i + 2].isalpha():
        return match.group(0)
    return ""


def symbols(line: str) -> str:
    """Symbols that are read as words, once abbreviations (which may hold "&") are expanded."""
    for mark, spoken in _WORD_SYMBOLS:
        if mark in line:
            line = line.replace(mark, spoken)  # spacing is tidied by post_line
    return line


def post_line(line: str) -> str:
    """Brackets, dashes, stray symbols and spacing of the finished line."""
    if _BRACKET_GATE.search(line):
        line = line.translate(_BRACKET_TABLE)
    if "-" in line or "–" in line or "—" in line:
        line = _DASH.sub(_dash, line)
    line = _OTHER.sub(" ", line)
    line = _SPACES.sub(" ", line)
    for mark in ".,;:?!":
        if " " + mark in line:
            line = line.replace(" " + mark, mark)  # spaces are single here: no regex needed
    line = _PUNCT_RUN.sub(_keep_strongest, line)
    line = _NO_SPACE_AFTER.sub(lambda m: (m.group(1) or m.group(2)) + " ", line)
    line = line.lstrip(" \t,;:.").rstrip(" \t,")
    return _LIST_MARKER.sub("", line) if line[:1] in "IVX" else line


def _dash(match: re.Match[str]) -> str:
    """A spaced dash or an en/em dash is a pause; a bare hyphen joins words ("chính trị-xã hội")."""
    before, dashes, after = match.groups()
    return ", " if before or after or dashes.strip("-") else " "


_STRENGTH = {",": 0, ":": 1, ";": 2, ".": 3, "!": 3, "?": 4}


def _keep_strongest(match: re.Match[str]) -> str:
    marks = [c for c in match.group(0) if c in _STRENGTH]
    return max(marks, key=lambda c: _STRENGTH[c])


_FIRST_ALNUM = re.compile(r"[^\W_]")


def starts_sentence(line: str) -> bool:
    """Whether the written line begins with a capital or a number (a sentence start)."""
    first = _FIRST_ALNUM.search(line)
    if first is None:
        return False
    return first.group(0).isupper() or first.group(0).isdigit()


def capitalize_first(line: str) -> str:
    """Capitalise the first letter only; the rest keeps its case."""
    first = _FIRST_ALNUM.search(line)
    if not first:
        return line
    i = first.start()
    return line[:i] + line[i].upper() + line[i + 1 :]
