"""One programme, one reading: the same written form must be said the same way in every segment.

The reading rules look at context (the word before a number, the clause around a service
number, what follows a document number), so one written form can come out two ways in one
programme: "Đề án 06" read "không sáu" in one segment and "sáu" in the next. This module
finds such pairs over a whole script so the build can warn the editor.

How a reading is found: the sentence is normalised as it stands, and again with the written
token replaced by a neutral placeholder word; the words that differ between the two are what
the token became in that context (with any words the rules add around it, such as "số" or
"ngày" before it, or the issuer after a document number).

What counts as the same written form:

* a token with letters (an abbreviation such as "CT", a document number "215/TB-UBND", an
  address, "Đ/c") is the same form wherever it stands;
* a number without letters ("06", "113", "30/4", "0912.345.678", or a Roman numeral) is the same form only after
  the same word ("Đề án 06", "gọi 113"): in Vietnamese the word before a number gives it its
  role, and "4 hộ" (bốn) and "tháng 4" (tư) are both right.

Two readings are the same when one is the other with context words added around it ("số hai
trăm mười lăm" and "hai trăm mười lăm của Ủy ban nhân dân xã" are the same reading of
"215/TB-UBND"); a difference in the number words or the spelled letters themselves is a conflict.
The cost is one normalisation of a sentence per candidate token, which is small for one programme.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from broadcast.normalize.core import normalize
from broadcast.normalize.lexicon import Lexicon, builtin_lexicon

PLACEHOLDER = "qqzx"
# Words that carry a number's value: an added one of these is a different reading, not context.
NUMBER_WORDS = frozenset(
    "không một mốt hai ba bốn tư năm lăm sáu bảy tám chín mười mươi trăm nghìn ngàn triệu tỷ "
    "lẻ linh phẩy chấm rưỡi nhất".split()
)
_TOKEN = re.compile(r"\S+")
_LEFT = "([{“‘\"'«"
_RIGHT = ")]}”’\"'».,;:!?…"
# Worth checking: a digit, a slash, an at sign, an ampersand, or two capitals (an abbreviation).
_WORTH = re.compile(r"[0-9/@&]|[A-ZĐ][^ ]*[A-ZĐ]")
_LETTER = re.compile(r"[^\W\d_]")
_ROMAN = re.compile(r"[IVXLC]+")
_ALNUM = re.compile(r"[^\W_]")
# Sentence ends inside a long line: after a word of four or more characters, so "TM.", "Ô." and
# "KT." stay with the name that follows them.
_SENTENCE_END = re.compile(r"(?<=\w{4}[.!?])\s+")
_CLAUSE_END = re.compile(r"(?<=[;:])\s+")
LONG = 300
_PUNCT = ".,;:!?()[]{}“”‘’\"'«»…-–—"


@dataclass(frozen=True)
class Reading:
    """How one occurrence of a written form is said, and in which segment."""

    segment: str
    spoken: str


@dataclass(frozen=True)
class Conflict:
    """A written form said two different ways in one programme."""

    written: str
    first: Reading
    second: Reading

    def message(self) -> str:
        where = (f"cả hai lần ở đoạn «{self.first.segment}»" if self.first.segment == self.second.segment
                 else f"ở đoạn «{self.first.segment}» và ở đoạn «{self.second.segment}»")
        return (f"Cùng một chữ viết “{self.written}” được đọc hai cách trong chương trình: "
                f"“{self.first.spoken}” và “{self.second.spoken}” ({where}). Hãy sửa bài cho thống nhất, "
                f"hoặc thêm cách đọc vào từ điển phát âm bằng lệnh broadcast lexicon add.")


@dataclass(frozen=True)
class _Occurrence:
    key: tuple[str, str]
    written: str
    words: tuple[str, ...]    # the reading as said (punctuation stripped)
    compare: tuple[str, ...]  # the same, case-folded, for comparison


def reading_conflicts(parts: Iterable[tuple[str, str]], *, dialect: str = "north", lexicon: Lexicon | None = None,
                      day_prefix: str = "") -> list[Conflict]:
    """Conflicts over ``parts``, (segment label, written text) in programme order; one per written form."""
    lex = builtin_lexicon() if lexicon is None else lexicon
    seen: dict[tuple[str, str], tuple[_Occurrence, str]] = {}
    reported: set[tuple[str, str]] = set()
    conflicts: list[Conflict] = []
    for label, text in parts:
        for occurrence in _occurrences(text, dialect, lex, day_prefix):
            if occurrence.key in reported:
                continue
            earlier = seen.get(occurrence.key)
            if earlier is None:
                seen[occurrence.key] = (occurrence, label)
            elif not same_reading(earlier[0].compare, occurrence.compare):
                reported.add(occurrence.key)
                conflicts.append(Conflict(earlier[0].written, Reading(earlier[1], " ".join(earlier[0].words)),
                                          Reading(label, " ".join(occurrence.words))))
    return conflicts


def same_reading(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """True when the readings are equal, or one is the other with only context words around it."""
    if a == b:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if not short:
        return False
    size = len(short)
    for start in range(len(long) - size + 1):
        if long[start:start + size] == short:
            extra = long[:start] + long[start + size:]
            if not any(word in NUMBER_WORDS for word in extra):
                return True
    return False


def _occurrences(text: str, dialect: str, lex: Lexicon, day_prefix: str) -> Iterator[_Occurrence]:
    for line in text.split("\n"):
        for sentence in _pieces(line):
            if _WORTH.search(sentence):
                yield from _sentence_occurrences(sentence, dialect, lex, day_prefix)


def _pieces(line: str) -> Iterator[str]:
    """The line in pieces of at most about LONG characters, so the cost stays linear in its length.

    A short line is one piece; a long one is cut at sentence ends, then at clause marks
    (; and :), then at spaces.
    """
    if len(line) <= LONG:
        yield line
        return
    for sentence in _SENTENCE_END.split(line):
        for clause in (_CLAUSE_END.split(sentence) if len(sentence) > LONG else [sentence]):
            while len(clause) > LONG:
                cut = clause.rfind(" ", LONG // 2, LONG)
                cut = cut if cut > 0 else LONG
                yield clause[:cut]
                clause = clause[cut:].lstrip()
            if clause:
                yield clause


def _sentence_occurrences(sentence: str, dialect: str, lex: Lexicon, day_prefix: str) -> Iterator[_Occurrence]:
    if PLACEHOLDER in sentence:
        return
    said: list[str] | None = None
    for start, end, before in _units(sentence):
        core = sentence[start:end]
        if said is None:
            said = normalize(sentence, dialect=dialect, lexicon=lex, day_prefix=day_prefix).split()
        other = sentence[:start] + PLACEHOLDER + sentence[end:]
        words = _reading(said, normalize(other, dialect=dialect, lexicon=lex, day_prefix=day_prefix).split())
        if not words:
            continue
        if _LETTER.search(core) and not _ROMAN.fullmatch(core):
            key, written = ("", core), core
        else:
            key, written = (before.casefold(), core), f"{before} {core}".strip()
        yield _Occurrence(key, written, words, tuple(w.casefold() for w in words))


def _units(sentence: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, word before) of each written form worth checking.

    Tokens that the rules read together are one form: "1900 9068" (a phone number in groups),
    "07h00 – 17h00" (a range): consecutive candidates joined by a space or a lone dash, with no
    punctuation between them ("113, 114" are two forms).
    """
    unit: list[int] | None = None   # [start, end] of the form being built
    before = previous = ""
    joinable = False                 # the last token was a candidate with nothing after it (a lone dash may follow)
    for match in _TOKEN.finditer(sentence):
        raw = match.group()
        if unit is not None and joinable and raw in ("-", "–", "—"):
            continue
        left = len(raw) - len(raw.lstrip(_LEFT))
        core = raw[left:].rstrip(_RIGHT)
        worth = bool(core) and _ALNUM.search(core) is not None and _WORTH.search(core) is not None
        if worth and unit is not None and joinable and left == 0:
            unit[1] = match.start() + len(core)
        else:
            if unit is not None:
                yield unit[0], unit[1], before
            unit = None
            if worth:
                unit, before = [match.start() + left, match.start() + left + len(core)], previous
        joinable = worth and len(core) == len(raw) - left
        previous = core
    if unit is not None:
        yield unit[0], unit[1], before


def _reading(said: list[str], marked: list[str]) -> tuple[str, ...]:
    """The words of ``said`` that stand where the placeholder stands in ``marked``."""
    index = next((i for i, word in enumerate(marked) if PLACEHOLDER in word.casefold()), None)
    if index is None:
        return ()
    opcodes = difflib.SequenceMatcher(None, marked, said, autojunk=False).get_opcodes()
    for position, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag in ("replace", "delete") and i1 <= index < i2:
            # Words the rules inserted right beside the token ("số", "ngày") belong to its reading.
            if position > 0 and opcodes[position - 1][0] == "insert":
                j1 = opcodes[position - 1][3]
            if position + 1 < len(opcodes) and opcodes[position + 1][0] == "insert":
                j2 = opcodes[position + 1][4]
            words = (w.strip(_PUNCT) for w in said[j1:j2])
            return tuple(w for w in words if w)
    return ()
