"""Turn feed HTML into clean NFC plain text."""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

_SKIP = {"script", "style", "noscript", "iframe", "object", "svg", "head", "template"}
_BREAKS = {"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
# Controls (category Cc: escape codes, bells…) become a space; format characters (Cf: zero-width, bidi
# overrides and isolates, BOM, soft hyphen…) are removed: inside a word they would split it, around a name
# they could reorder it on screen.
_CONTROL = re.compile(r"[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]")


def _visible(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def hygiene(text: str, *, keep_newlines: bool = False) -> str:
    """NFC, invisible format characters removed, control characters (escape codes…) turned into spaces.

    Every text that enters is passed through this before it is stored or shown: feeds, the FAQ bank,
    the inbox, web forms and command-line arguments.
    """
    text = unicodedata.normalize("NFC", _visible(text))
    if keep_newlines:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return "\n".join(_CONTROL.sub(" ", line) for line in text.split("\n"))
    return _CONTROL.sub(" ", text)


class _Stripper(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self.skipping:
            self.skipping -= 1
        elif tag in _BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def clean_text(raw: str) -> str:
    """HTML or text → one line of NFC text: tags, scripts and images gone, entities decoded."""
    if "<" in raw:
        stripper = _Stripper()
        stripper.feed(raw)
        stripper.close()
        raw = "".join(stripper.parts)
    text = html.unescape(raw)
    text = hygiene(text)
    return re.sub(r"\s+", " ", text).strip()
