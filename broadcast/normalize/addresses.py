"""E-mail and web addresses, spelled the way Vietnamese listeners write letters down.

Each part between dots is spelled with the Vietnamese letter names ("ubnd" -> "u bê en đê"),
digits one by one, unless the lexicon's [web] table knows it as a word an announcer says
("gov" -> "gốp", "vn" -> "vê en", "dichvucong" -> "dịch vụ công"). "@" is "a còng", "." is
"chấm", "/" is "gạch chéo", "-" is "gạch ngang" and "_" is "gạch dưới":

    ubnd@tanphu.gov.vn   -> u bê en đê a còng tê a en pê hát u chấm gốp chấm vê en
    dichvucong.gov.vn    -> dịch vụ công chấm gốp chấm vê en

Patterns use possessive runs and a left boundary: a long run of letters is scanned once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from broadcast.normalize.abbreviations import LETTER_NAMES
from broadcast.normalize.numbers import DIGITS

_DOMAIN = re.compile(r"(?<![\w.@-])(?:https?://)?[a-z0-9-]++(?:\.[a-z0-9-]++)++(?:/[^\s]*+)?", re.IGNORECASE)
_USER = r"[A-Za-z0-9._+-]"
_HOST = r"([A-Za-z0-9-]++(?:\.[A-Za-z0-9-]++)++)"
_EMAIL = re.compile(r"(" + _USER + r"(?<!" + _USER + _USER + r")" + _USER + r"*+)@" + _HOST)
_TLD = frozenset({"vn", "com", "net", "org", "gov", "edu", "info"})
_TLD_GATE = re.compile(r"\.(?:vn|com|net|org|gov|edu|info)(?![\w]|\.[\w])", re.IGNORECASE)
# Letters of an address are said as people dictate them: "d" is "đê" and "n" is "en" there.
_ADDRESS_LETTERS = {**LETTER_NAMES, "D": "đê", "N": "en"}
_MARKS = {"-": "gạch ngang", "_": "gạch dưới", "+": "cộng"}
_PIECE = re.compile(r"[A-Za-z]+|[0-9]|[-_+]")
_PATH_TRAIL = re.compile(r"[.,;:!?)]+$")


def spell_part(part: str, words: Mapping[str, str]) -> str:
    """One part of an address: a known word, or its letters and digits one by one."""
    known = words.get(part.lower())
    if known is not None:
        return known
    out: list[str] = []
    for piece in _PIECE.findall(part):
        if piece in _MARKS:
            out.append(_MARKS[piece])
        elif piece.isdigit():
            out.append(DIGITS[int(piece)])
        else:
            found = words.get(piece.lower())
            out.append(found if found is not None else " ".join(_ADDRESS_LETTERS[c] for c in piece.upper()))
    return " ".join(out)


def _dotted(text: str, words: Mapping[str, str]) -> str:
    return " chấm ".join(spell_part(p, words) for p in text.split(".") if p)


def _email(match: re.Match[str], words: Mapping[str, str]) -> str:
    return f" {_dotted(match.group(1), words)} a còng {_dotted(match.group(2), words)} "


def _domain(match: re.Match[str], words: Mapping[str, str]) -> str:
    written = match.group(0)
    address = written.split("//", 1)[-1]
    host, _, path = address.partition("/")
    if host.rsplit(".", 1)[-1].lower() not in _TLD or host.replace(".", "").replace("-", "").isdigit():
        return written
    trail = _PATH_TRAIL.search(path)
    tail = trail.group(0) if trail else ""
    path = path[: len(path) - len(tail)]
    spoken = _dotted(host, words)
    for segment in (s for s in path.split("/") if s):
        spoken += " gạch chéo " + _dotted(segment, words)
    return f" {spoken} {tail}"


def addresses(line: str, words: Mapping[str, str]) -> str:
    """Spell the e-mail and web addresses of one line."""
    if "@" in line:
        line = _EMAIL.sub(lambda m: _email(m, words), line)
    if _TLD_GATE.search(line):
        line = _DOMAIN.sub(lambda m: _domain(m, words), line)
    return line
