"""Turn feed HTML into clean NFC plain text."""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

_SKIP = {"script", "style", "noscript", "iframe", "object", "svg", "head", "template"}
_BREAKS = {"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
_CONTROL = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u2028\u2029\ufeff]")


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
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", text))
    return re.sub(r"\s+", " ", text).strip()
