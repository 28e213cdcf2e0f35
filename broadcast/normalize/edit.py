"""A pronunciation fix in one step: add a reading to the commune lexicon, and check entries.

``add_entry`` is what ``broadcast lexicon add`` and the review site call: it writes the commune's
lexicon file keeping the officer's comments and layout (tomlkit), refuses an entry the
normaliser could not use, and returns the lexicon as it now reads. ``shadowed_entries`` lists
the entries of a commune file that can never be read as written (a reading rule or the hygiene
pass takes the text first), each with its line, so start-up can report them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import tomlkit
from tomlkit.exceptions import TOMLKitError

from broadcast import files
from broadcast.errors import ConfigError
from broadcast.normalize.core import normalize
from broadcast.normalize.lexicon import Lexicon, _find_key, _parse, builtin_lexicon, load_lexicon

SECTIONS_FOR_ADD = ("abbreviations", "words")
_HEADER = (
    "Từ điển phát âm của xã: cách viết -> cách đọc. Mỗi dòng một mục, dạng \"cách viết\" = \"cách đọc\".\n"
    "[abbreviations]: viết đúng từng chữ hoa, chữ thường; [words]: không phân biệt chữ hoa, chữ thường."
)


@dataclass(frozen=True)
class Added:
    """The result of one addition: where it went and how the sample now reads."""

    path: Path
    section: str
    line: int | str
    replaced: str | None  # the reading it replaced, if the written form was already there
    lexicon: Lexicon
    sample: str
    reading: str


@dataclass(frozen=True)
class Shadowed:
    """A commune entry that is never read as written."""

    path: Path
    line: int | str
    written: str
    spoken: str
    heard: str  # what the normaliser says for the written form instead

    def message(self) -> str:
        return (
            f'Tệp {self.path}, dòng {self.line}: mục "{self.written}" không bao giờ được dùng — '
            f'"{self.written}" vẫn được đọc là "{self.heard}" thay vì "{self.spoken}". '
            f"Hãy viết mục này đúng như trong văn bản (cả dấu câu) hoặc xóa dòng này."
        )


def _clean(text: str, what: str) -> str:
    text = " ".join(unicodedata.normalize("NFC", text).split())
    if not text:
        raise ConfigError(f"{what} đang để trống. Hãy nhập {what} trong dấu ngoặc kép.")
    return text


def add_entry(path: Path, written: str, spoken: str, *, section: str = "abbreviations",
              sample: str | None = None, dialect: str = "north") -> Added:
    """Add (or replace) ``written`` -> ``spoken`` in the commune lexicon file at ``path``."""
    written = _clean(written, "cách viết")
    spoken = _clean(spoken, "cách đọc")
    if section not in SECTIONS_FOR_ADD:
        raise ConfigError(f"Mục [{section}] không dùng được ở đây. Hãy chọn abbreviations hoặc words.")
    if re.search(r"[0-9]", spoken):
        raise ConfigError(
            f'Cách đọc "{spoken}" có chữ số. Hãy viết số bằng chữ, ví dụ "ba mươi tháng tư" thay vì "30/4".'
        )
    path = Path(path)
    document = _load(path)
    table = document.get(section)
    if table is None:
        table = tomlkit.table()
        document[section] = table
    elif not isinstance(table, dict):
        raise ConfigError(f"Tệp {path}: {section} phải là một mục trong ngoặc vuông. Hãy sửa tệp rồi thử lại.")
    replaced = table.get(written)
    table[written] = spoken
    text = tomlkit.dumps(document)
    own = _parse(text, str(path))  # the same checks as at start-up, before anything is written
    files.write_text(path, text)
    lexicon = builtin_lexicon().merged(own)
    shown = sample if sample is not None else written
    return Added(path=path, section=section, line=_find_key(text.splitlines(), section, written),
                 replaced=str(replaced) if replaced is not None else None, lexicon=lexicon,
                 sample=shown, reading=normalize(shown, dialect=dialect, lexicon=lexicon))


def _load(path: Path) -> tomlkit.TOMLDocument:
    if not path.exists():
        document = tomlkit.document()
        for line in _HEADER.splitlines():
            document.add(tomlkit.comment(line))
        return document
    try:
        return tomlkit.parse(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"Tệp {path} không phải văn bản UTF-8. Hãy lưu lại tệp với mã hóa UTF-8.") from None
    except TOMLKitError as exc:
        raise ConfigError(f"Tệp {path}: sai cú pháp TOML ({exc}). Hãy sửa tệp rồi thử lại.") from None
    except OSError as exc:
        raise ConfigError(f"Không đọc được tệp {path} ({exc.strerror}). Hãy kiểm tra quyền đọc tệp.") from None


def shadowed_entries(path: Path, *, dialect: str = "north") -> list[Shadowed]:
    """Entries of the commune file at ``path`` that are never read as they are written."""
    path = Path(path)
    lexicon = load_lexicon(path)
    text = path.read_text(encoding="utf-8")
    own = _parse(text, str(path))
    lines = text.splitlines()
    found: list[Shadowed] = []
    for section, table in (("abbreviations", own.abbreviations), ("words", own.words)):
        for written, spoken in table.items():
            heard = normalize(written, dialect=dialect, lexicon=lexicon)
            if _key(heard) != _key(spoken):
                found.append(Shadowed(path, _find_key(lines, section, written), written, spoken, heard))
    return found


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())
