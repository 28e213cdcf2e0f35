"""Legal document numbers: 63/2010/NĐ-CP, 1291/QĐ-UBND, 30c/NQ-CP, 86-KH/TU, 58/2014/QH13.

Reading chosen (the clearest for a listener, no "trên", no slashes, no bare letters):
number, then "năm" and the year when there is one, then the document type and the issuing
body expanded, separated by spaces:

    63/2010/NĐ-CP   -> sáu mươi ba năm hai nghìn không trăm mười nghị định chính phủ
    1291/QĐ-UBND    -> một nghìn hai trăm chín mươi mốt quyết định ủy ban nhân dân
    30c/NQ-CP       -> ba mươi xê nghị quyết chính phủ
    58/2014/QH13    -> năm mươi tám năm hai nghìn không trăm mười bốn quốc hội khóa mười ba

"Nghị định 144/2021" (type word, number, year, no symbol) -> "Nghị định một trăm bốn mươi bốn
năm hai nghìn không trăm hai mươi mốt".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from broadcast.normalize.abbreviations import LETTER_NAMES, spell
from broadcast.normalize.lexicon import Lexicon
from broadcast.normalize.numbers import int_words, numeral_words

_DOC = re.compile(
    r"(?P<n>[0-9](?<![\w/.,-][0-9])[0-9]{0,4})(?P<suffix>[a-zđ]?)(?:/(?P<y>(?:19|20)[0-9]{2}))?[/-]"
    r"(?P<sym>[A-ZĐ][A-Za-zĐđ]{0,9}[0-9]{0,3}(?:[-/&][A-ZĐ][A-Za-zĐđ]{0,9}[0-9]{0,3}){0,5})(?![\w&/-])"
)
_TYPE_YEAR = re.compile(r"(?P<n>[0-9](?<![\w/.,-][0-9])[0-9]{0,4})/(?P<y>(?:19|20)[0-9]{2})(?![0-9/])")
_TYPE_BEFORE = re.compile(
    r"(?:^|[^\w])(?i:nghị định|quyết định|thông tư|nghị quyết|luật|chỉ thị|công văn|kế hoạch|"
    r"báo cáo|thông báo|văn bản|số) $"
)
_PART = re.compile(r"([A-Za-zĐđ]+)([0-9]*)")
_SEP = re.compile(r"[-/]")
_AMP = re.compile(r"(&)")


def _symbol(symbol: str, lexicon: Lexicon, dialect: str) -> str:
    """Expand "NĐ-CP": the first part is a document type, the others issuing bodies."""
    words: list[str] = []
    for i, piece in enumerate(_SEP.split(symbol)):
        whole = lexicon.abbreviations.get(piece)
        if whole is not None and i:
            words.append(whole)
            continue
        for j, sub in enumerate(_AMP.split(piece)):
            if j % 2:
                words.append("và")
            else:
                words.append(_part(sub, lexicon, dialect, doctype=(i == 0 and j == 0)))
    return " ".join(w for w in words if w)


def _part(piece: str, lexicon: Lexicon, dialect: str, doctype: bool) -> str:
    part = _PART.fullmatch(piece)
    if part is None:
        return ""
    letters, digits = part.groups()
    found = lexicon.doctypes.get(letters) if doctype else None
    found = found or lexicon.abbreviations.get(letters) or lexicon.words.get(letters)
    words = [found if found is not None else spell(letters.upper())]
    if digits:
        if letters == "QH":
            words.append("khóa")
        words.append(int_words(int(digits), dialect))
    return " ".join(words)


def _doc(match: re.Match[str], lexicon: Lexicon, dialect: str) -> str:
    words = [numeral_words(match.group("n"), dialect)]
    if match.group("suffix"):
        words.append(LETTER_NAMES.get(match.group("suffix").upper(), match.group("suffix")))
    if match.group("y"):
        words += ["năm", int_words(int(match.group("y")), dialect)]
    words.append(_symbol(match.group("sym"), lexicon, dialect))
    return " ".join(words)


def document_numbers(text: str, lexicon: Lexicon, dialect: str) -> str:
    """Replace document numbers and "type number/year" references."""
    replace: Callable[[re.Match[str]], str] = lambda m: _doc(m, lexicon, dialect)  # noqa: E731
    text = _DOC.sub(replace, text)
    return _TYPE_YEAR.sub(lambda m: _type_year(m, dialect), text)


def _type_year(match: re.Match[str], dialect: str) -> str:
    """ "Nghị định 144/2021": number and year, only after a document-type word."""
    start = match.start()
    if _TYPE_BEFORE.search(match.string[max(0, start - 14) : start]) is None:
        return match.group(0)
    return f"{numeral_words(match.group('n'), dialect)} năm {int_words(int(match.group('y')), dialect)}"
