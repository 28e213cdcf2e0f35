"""Abbreviations, loanwords and spelled-out acronyms.

Order of preference for a token: a multi-word lexicon phrase ("PAR INDEX"), then the whole token
in the lexicon ("TP.HCM", "LĐ-TB&XH"), then a contextual reading ("HN"), then a compound split at
"-" and "&" whose parts are looked up one by one, and finally an unknown all-capitals token of
two to six letters spelled with Vietnamese letter names ("ABC" -> "a bê xê"). Capitals that form
a plausible Vietnamese syllable next to other capitals ("THÔNG BÁO", "XA BA") are a heading, not
an acronym, and are left alone. Spoken forms are lowercase unless the lexicon says otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from broadcast.normalize.lexicon import Lexicon
from broadcast.normalize.ordinals import roman_in_context

LETTER_NAMES: dict[str, str] = {
    "A": "a", "B": "bê", "C": "xê", "D": "dê", "Đ": "đê", "E": "e", "F": "ép", "G": "giê",
    "H": "hát", "I": "i", "J": "gi", "K": "ca", "L": "e lờ", "M": "em mờ", "N": "en nờ",
    "O": "o", "P": "pê", "Q": "quy", "R": "e rờ", "S": "ét xì", "T": "tê", "U": "u", "V": "vê",
    "W": "vê kép", "X": "ích xì", "Y": "i dài", "Z": "dét",
}

# A token: word characters, possibly joined by "-", "&" or "." (no spaces). Only tokens that hold
# a capital (the anchor) are looked at; ordinary lowercase words never reach Python code.
_TOKEN_BODY = re.compile(r"[^\W_]+(?:[-&.][^\W_]+)*")
_CAPITAL = re.compile(r"[A-ZĐ]")
_CAPS = re.compile(r"[A-ZĐ]{2,6}")
_RUNS = re.compile(r"[0-9]+|[^\W\d_]+")
_COMPOUND_SPLIT = re.compile(r"([-&])")
_SYLLABLE = re.compile(
    r"(?:NGH|NG|NH|CH|GH|GI|KH|PH|QU|TH|TR|[BCDĐGHKLMNPRSTVX])?"
    r"(?:UYE|UYA|IEU|UOI|UOU|YEU|OAI|OAY|OEO|UAY|IE|YE|UO|UA|UE|UI|UY|OA|OE|OI|AI|AO|AU|AY|EO|EU|IA|IU|UU|[AEIOUY])"
    r"(?:NG|NH|CH|[CMNPT])?"
)
_PAREN = re.compile(r"\(([^()\n]{1,60})\)")
# A written form with anything but letters, "&", "." and "-" ("Đ/c", "v/v", "đường 30/4", "24/24h",
# "PAR INDEX") is matched before any reading rule, or the rules would take its characters first.
_PLAIN_KEY = re.compile(r"[^\W\d_]+(?:[-&.][^\W\d_]+)*")
_KEY_CHARS = re.compile(r"[^\w]+")


def spell(token: str) -> str:
    """Spell capital letters with their Vietnamese names: "DVC" -> "dê vê xê"."""
    return " ".join(LETTER_NAMES.get(c, c.lower()) for c in token)


def _boundary_pattern(keys: list[str], flags: int = 0) -> re.Pattern[str] | None:
    if not keys:
        return None
    alternation = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
    return re.compile(r"(?<![\w&.-])(?:" + alternation + r")(?![\w&-])", flags)


@dataclass(frozen=True)
class _Matchers:
    """Everything precompiled from one lexicon."""

    phrases: re.Pattern[str] | None
    literals: re.Pattern[str] | None
    prefixes: re.Pattern[str] | None
    phrase_readings: dict[str, str]
    words_folded: dict[str, str]
    dotted_keys: tuple[str, ...]
    phrase_needles: tuple[str, ...]  # casefolded keys: the phrase pass runs only if one occurs
    literal_needles: tuple[str, ...]
    prefix_needles: tuple[str, ...]


@lru_cache(maxsize=32)
def _matchers(lexicon: Lexicon) -> _Matchers:
    # The phrase pass takes what the capital-letter token pass cannot see: keys with spaces,
    # keys without capitals (a commune's "tp") and every loanword (matched in any case).
    literal_exact = [k for k in lexicon.abbreviations if not _PLAIN_KEY.fullmatch(k)]
    literal_folded = [k for k in lexicon.words if not _PLAIN_KEY.fullmatch(k)]
    exact = [k for k in lexicon.abbreviations if _PLAIN_KEY.fullmatch(k) and not _CAPITAL.search(k)]
    folded_keys = [k for k in lexicon.words if _PLAIN_KEY.fullmatch(k)]
    readings = {k: lexicon.abbreviations[k] for k in exact + literal_exact}
    for k, v in lexicon.words.items():
        readings.setdefault(k.casefold(), v)
    phrases = _alternation(exact, folded_keys, r"(?<![\w&.-])", r"(?![\w&-])")
    literals = _alternation(literal_exact, literal_folded, r"(?<![\w])(?<![0-9][/.,])", r"(?![\w]|[/.,][0-9])")
    prefixes = None
    if lexicon.prefixes:
        alternation = "|".join(re.escape(k) for k in sorted(lexicon.prefixes, key=len, reverse=True))
        prefixes = re.compile(r"(?<![^\W\d_])(" + alternation + r") ?(?=\w)")
    folded = {k.casefold(): v for k, v in lexicon.words.items()}
    dotted = tuple(k for k in lexicon.abbreviations if "." in k)
    needles = tuple({k.casefold() for k in exact} | {k.casefold() for k in folded_keys})
    literal_needles = tuple({k.casefold() for k in literal_exact} | {k.casefold() for k in literal_folded})
    return _Matchers(phrases, literals, prefixes, readings, folded, dotted, needles, literal_needles,
                     tuple(lexicon.prefixes))


def _alternation(exact: list[str], folded: list[str], left: str, right: str) -> re.Pattern[str] | None:
    """One pattern for all keys, longest first; ``folded`` keys match in any letter case."""
    if not exact and not folded:
        return None
    alternatives = [(k, re.escape(k)) for k in exact] + [(k, "(?i:" + re.escape(k) + ")") for k in folded]
    alternatives.sort(key=lambda pair: len(pair[0]), reverse=True)
    return re.compile(left + "(?:" + "|".join(a for _, a in alternatives) + ")" + right)


class Expander:
    """Expands the abbreviations of one text with one lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.m = _matchers(lexicon)

    def __call__(self, text: str) -> str:
        text = self.drop_restated(text)
        text = self._phrases(text)
        if _CAPITAL.search(text) is None and "-" not in text and "&" not in text:
            return text
        if self.m.prefixes is not None and any(p in text for p in self.m.prefix_needles):
            text = self.m.prefixes.sub(self._prefix, text)
        return self._tokens(text)

    def _tokens(self, text: str) -> str:
        """Expand every token that holds a capital letter.

        The scan jumps from capital to capital (a character class the engine finds in C) and
        widens each hit to its whole token, so ordinary lowercase words cost nothing.
        """
        pieces: list[str] = []
        last = 0
        anchor = _CAPITAL.search(text)
        while anchor is not None:
            start = anchor.start()
            while start > last and (text[start - 1].isalnum() or _joined(text, start - 1)):
                start -= 1
            token = _TOKEN_BODY.match(text, start)
            if token is None:  # cannot happen: the anchor itself is a word character
                break
            pieces.append(text[last:start])
            pieces.append(self._token(token))
            last = token.end()
            anchor = _CAPITAL.search(text, last)
        pieces.append(text[last:])
        return "".join(pieces)

    def literals(self, text: str) -> str:
        """Written forms with punctuation, digits or spaces, read before any other rule."""
        text = self.drop_restated(text)
        if self.m.literals is None:
            return text
        folded = text.casefold()
        if not any(n in folded for n in self.m.literal_needles):
            return text
        return self.m.literals.sub(self._phrase, text)

    def _phrases(self, text: str) -> str:
        """The phrase pass, skipped (by fast substring checks) when no key occurs at all."""
        if self.m.phrases is None:
            return text
        folded = text.casefold()
        if not any(n in folded for n in self.m.phrase_needles):
            return text
        return self.m.phrases.sub(self._phrase, text)

    def _phrase(self, match: re.Match[str]) -> str:
        key = match.group(0)
        found = self.m.phrase_readings.get(key)
        return found if found is not None else self.m.phrase_readings.get(key.casefold(), key)

    def _prefix(self, match: re.Match[str]) -> str:
        """"Q.1", "TX. Hương Thủy": only before a capital or a digit, never inside "TP.HCM"."""
        text, start, end = match.string, match.start(), match.end()
        nxt = text[end : end + 1]
        if not (nxt.isupper() or nxt.isdigit()) or any(text.startswith(k, start) for k in self.m.dotted_keys):
            return match.group(0)
        return self.lexicon.prefixes[match.group(1)] + " "

    def lookup(self, token: str, before: str = "") -> str | None:
        """Reading of one whole token from the lexicon, or None."""
        if token in self.lexicon.abbreviations:
            return self.lexicon.abbreviations[token]
        rule = self.lexicon.contextual.get(token)
        if rule is not None:
            tail = " ".join(before.lower().split()[-3:])
            for phrase, spoken in rule.after.items():
                if tail.endswith(phrase):
                    return spoken
            return rule.default
        return self.m.words_folded.get(token.casefold())

    def _token(self, match: re.Match[str]) -> str:
        token = match.group(0)
        if token.islower() or (token[1:].islower() and token.isalpha()):
            # Fast path for ordinary words ("hồ", "Ngày"): only the word table can apply.
            if token in self.lexicon.abbreviations:
                return self.lexicon.abbreviations[token]
            return self.m.words_folded.get(token.casefold(), token)
        text = match.string
        start = match.start()
        found = self.lookup(token, text[max(0, start - 40) : start])
        if found is not None:
            return found
        if "-" in token or "&" in token:
            return self._compound(token, text, start)
        if "." in token:
            # "TP.thứ", "2.2": each part on its own, the dot kept for the punctuation pass.
            return ".".join(self._single(part, text, start, match.end()) for part in token.split("."))
        return self._single(token, text, match.start(), match.end())

    def _compound(self, token: str, text: str, start: int) -> str:
        parts = _COMPOUND_SPLIT.split(token)
        if all(p.islower() for p in parts[::2]):
            return token  # an ordinary hyphenated word: the punctuation pass handles the hyphen
        out: list[str] = []
        issuers = self.lexicon.issuers
        for i, part in enumerate(parts):
            if i % 2:
                # "HĐND-UBND": two bodies joined by a hyphen are both meant ("và").
                both = part == "-" and parts[i - 1] in issuers and parts[i + 1] in issuers
                out.append("và" if part == "&" or both else "")
                continue
            found = self.lookup(part)
            out.append(found if found is not None else self._single(part, text, start, start))
        return " ".join(p for p in out if p)

    def _single(self, token: str, text: str, start: int, end: int) -> str:
        found = self.lookup(token)
        if found is not None:
            return found
        runs = _RUNS.findall(token)
        if len(runs) > 1:
            # Letters glued to digits ("B2", "QH13", "9UBND"): read each run on its own, and
            # leave the digits to the number pass.
            return " ".join(self._single(run, text, start, end) for run in runs)
        if not _CAPS.fullmatch(token):
            return token
        if _SYLLABLE.fullmatch(token) and _next_to_caps(text, start, end):
            return token
        if roman_in_context(text[max(0, start - 12) : start], token):
            return token  # "khóa XV": the ordinal pass reads it
        return spell(token)

    def drop_restated(self, text: str) -> str:
        """Drop "(TTHC)" right after "thủ tục hành chính": the announcer does not say it twice."""
        if "(" not in text:
            return text
        return _PAREN.sub(self._paren, text)

    def _paren(self, match: re.Match[str]) -> str:
        inner = match.group(1)
        if not any(c.isupper() for c in inner):
            return match.group(0)
        expanded = _key(self._expand_plain(inner))
        if not expanded or expanded == _key(inner):
            return match.group(0)
        before = _key(match.string[max(0, match.start() - 120) : match.start()])
        if before.endswith(" " + expanded) or before == expanded:
            return ""
        return match.group(0)

    def _expand_plain(self, text: str) -> str:
        return self._tokens(self._phrases(self._literals_only(text)))

    def _literals_only(self, text: str) -> str:
        return text if self.m.literals is None else self.m.literals.sub(self._phrase, text)


def _joined(text: str, i: int) -> bool:
    """Whether text[i] is a "-", "&" or "." joining two word characters."""
    return text[i] in "-&." and i > 0 and text[i - 1].isalnum() and text[i + 1 : i + 2].isalnum()


def _key(text: str) -> str:
    """Comparison key: lowercase words only."""
    return " ".join(_KEY_CHARS.sub(" ", text.lower()).split())


def _next_to_caps(text: str, start: int, end: int) -> bool:
    """Whether a neighbouring word is also written in capitals (a heading)."""
    left = text[max(0, start - 30) : start].split()
    right = text[end : end + 30].split()
    near = ([left[-1]] if left else []) + ([right[0]] if right else [])
    return any(len(w) > 1 and w.isupper() and w.isalpha() for w in (n.strip(".,;:!?\"'()") for n in near))


def expand(text: str, lexicon: Lexicon) -> str:
    """Expand every abbreviation and loanword of ``text``."""
    return Expander(lexicon)(text)
