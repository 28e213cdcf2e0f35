"""Legal document numbers, read the way Vietnamese radio reads them.

A document number is a number (with leading zeros, a letter, a year) and a code: the document
type first ("QĐ", "NĐ", "TB"), then the issuing bodies ("UBND", "CP", "QH13"). The announcer says
the document type once, the number with its written zeros, the year, and the issuer once,
as "của ...":

    Thông tư 01/2022/TT-BTP           -> Thông tư số không một năm hai nghìn không trăm hai mươi hai
                                          của Bộ Tư pháp
    Nghị định 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ
                                       -> Nghị định số một trăm mười tám năm ... ngày ... của Chính phủ
    theo 63/2010/NĐ-CP                 -> theo nghị định số sáu mươi ba năm ... của Chính phủ
    Luật ... số 42/2013/QH13           -> ... số bốn mươi hai năm ... của Quốc hội khóa mười ba

* the type code is not read when the type word is written just before ("Quyết định số 17/QĐ-...");
  otherwise the type word is said first;
* the issuer is left out when the text itself names it right after ("... ngày 9/7/2025 của UBND
  xã"); codes that are neither a type nor a known issuer (a department's unit code) are left out,
  unless the code has nothing else ("mẫu số 14-HSB" keeps its letters);
* "Nghị định 144/2021" (type word, number, year) gets its "số" too.

The type codes and the issuers come from the lexicon's [doctypes] and [issuers] tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from broadcast.normalize.abbreviations import LETTER_NAMES, spell
from broadcast.normalize.lexicon import Lexicon
from broadcast.normalize.numbers import int_words

_DOC = re.compile(
    r"(?P<n>[0-9](?<![\w/.,-][0-9])[0-9]{0,4})(?P<suffix>[a-zđ]?)(?:/(?P<y>(?:19|20)[0-9]{2}))?(?P<sep> ?[/-] ?)"
    r"(?P<sym>[A-ZĐ][A-Za-zĐđ]{0,9}[0-9]{0,3}(?:[-/&] ?[A-ZĐ][A-Za-zĐđ]{0,9}[0-9]{0,3}){0,5})(?![\w&/-])"
)
_TYPE_YEAR = re.compile(r"(?P<n>[0-9](?<![\w/.,-][0-9])[0-9]{0,4})/(?P<y>(?:19|20)[0-9]{2})(?![0-9/])")
_PARTS = re.compile(r" ?[-/] ?")
_PART = re.compile(r"([A-Za-zĐđ]+)([0-9]*)")
_AMP = re.compile(r"(&)")
_SO_BEFORE = re.compile(r"(?:^|[^\w])(?i:s[ốô])\s*:?\s*$")
# "... ngày 9/7/2025 của UBND xã": the text names the issuer itself.
_OF_FOLLOWS = re.compile(
    r"\s*,?\s*(?:[Nn]gày\s+(?:[0-9]{1,2}\s*[/.-]\s*[0-9]{1,2}\s*[/.-]\s*[0-9]{2,4}"
    r"|[0-9]{1,2}\s+tháng\s+[0-9]{1,2}(?:\s+năm\s+[0-9]{4})?)\s*)?của(?!\w)"
)


@dataclass(frozen=True)
class _Tables:
    typed_before: re.Pattern[str]  # a document-type word just before the number


@lru_cache(maxsize=32)
def _tables(lexicon: Lexicon) -> _Tables:
    words = sorted({w.lower() for w in lexicon.doctypes.values()}, key=len, reverse=True)
    alternation = "|".join(re.escape(w) for w in words) or "(?!)"
    typed = re.compile(r"(?:^|[^\w])(?i:" + alternation + r")(?P<so>\s+(?i:s[ốô]))?\s*:?\s*$")
    return _Tables(typed)


def number_words(written: str, dialect: str) -> str:
    """A document number keeps its written zeros: "01" -> "không một", "215" -> "hai trăm mười lăm"."""
    digits = written.replace(".", "")
    stripped = digits.lstrip("0")
    words = ["không"] * (len(digits) - len(stripped))
    if stripped:
        words.append(int_words(int(stripped), dialect))
    return " ".join(words)


def _issuer(part: str, lexicon: Lexicon, dialect: str) -> str | None:
    """Reading of one issuing body ("CP", "QH13"), or None when it is not a known issuer."""
    if part in lexicon.issuers:
        return lexicon.issuers[part]
    found = _PART.fullmatch(part)
    if found is None or found.group(1) not in lexicon.issuers:
        return None
    reading = lexicon.issuers[found.group(1)]
    return f"{reading} khóa {int_words(int(found.group(2)), dialect)}" if found.group(2) else reading


def _doctype(part: str, lexicon: Lexicon) -> str | None:
    found = _PART.fullmatch(part)
    return lexicon.doctypes.get(part) or (lexicon.doctypes.get(found.group(1)) if found else None)


def _spelled(part: str, lexicon: Lexicon, dialect: str) -> str:
    """A code that is not a type or an issuer, when nothing else is there: its letters."""
    words: list[str] = []
    for j, sub in enumerate(_AMP.split(part)):
        if j % 2:
            words.append("và")
            continue
        found = _PART.fullmatch(sub)
        if found is None:
            continue
        letters, digits = found.groups()
        known = lexicon.abbreviations.get(letters) or lexicon.words.get(letters)
        words.append(known if known is not None else spell(letters.upper()))
        if digits:
            words.append(int_words(int(digits), dialect))
    return " ".join(words)


def _doc(match: re.Match[str], lexicon: Lexicon, dialect: str) -> str:
    text = match.string
    parts = _PARTS.split(match.group("sym"))
    doctype = _doctype(parts[0], lexicon)
    rest = parts[1:] if doctype else parts
    if " " in match.group(0) and doctype is None and _issuer(parts[0], lexicon, dialect) is None:
        return match.group(0)  # "phường 2 - TP": a spaced dash is a number only before a known code
    before = text[max(0, match.start() - 40) : match.start()]
    typed = _tables(lexicon).typed_before.search(before)
    words: list[str] = []
    if typed is not None:
        if typed.group("so") is None:
            words.append("số")
    elif doctype is not None and _SO_BEFORE.search(before) is None:
        words += [doctype, "số"]
    words.append(number_words(match.group("n"), dialect))
    if match.group("suffix"):
        words.append(LETTER_NAMES.get(match.group("suffix").upper(), match.group("suffix")))
    if match.group("y"):
        words += ["năm", int_words(int(match.group("y")), dialect)]
    if _OF_FOLLOWS.match(text, match.end()) is None:
        issuers = [r for r in (_issuer(p, lexicon, dialect) for p in rest) if r is not None]
        if issuers:
            words += ["của", " và ".join(issuers)]
        elif doctype is None:
            words += [_spelled(p, lexicon, dialect) for p in rest]
    return " ".join(w for w in words if w)


def _type_year(match: re.Match[str], lexicon: Lexicon, dialect: str) -> str:
    """ "Nghị định 144/2021": number and year, only after a document-type word or "số"."""
    start = match.start()
    before = match.string[max(0, start - 40) : start]
    typed = _tables(lexicon).typed_before.search(before)
    if typed is None and _SO_BEFORE.search(before) is None:
        return match.group(0)
    lead = "số " if typed is not None and typed.group("so") is None else ""
    return f"{lead}{number_words(match.group('n'), dialect)} năm {int_words(int(match.group('y')), dialect)}"


def document_numbers(text: str, lexicon: Lexicon, dialect: str) -> str:
    """Replace document numbers and "type number/year" references."""
    text = _DOC.sub(lambda m: _doc(m, lexicon, dialect), text)
    if "/" not in text:
        return text
    return _TYPE_YEAR.sub(lambda m: _type_year(m, lexicon, dialect), text)
