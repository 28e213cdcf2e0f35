# TEMPORARY placeholder until the normalize branch lands; not committed.
from __future__ import annotations

import unicodedata
from pathlib import Path


class Lexicon:
    pass
def builtin_lexicon() -> Lexicon:
    return Lexicon()
def load_lexicon(path: Path, *, base: Lexicon | None = None) -> Lexicon:
    return Lexicon()
def normalize(text: str, *, dialect: str = "north", lexicon: Lexicon | None = None) -> str:
    return unicodedata.normalize("NFC", text)
