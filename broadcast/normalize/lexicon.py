"""The lexicon: what written short forms and foreign words sound like.

A commune keeps its own TOML file that adds to, or overrides, the built-in one:

.. code-block:: toml

    [abbreviations]          # written form -> spoken form, whole tokens, case-sensitive
    "UBND" = "ủy ban nhân dân"
    "ĐH" = "Đức Hạnh"
    "ấp 3/2" = "ấp Ba tháng Hai"   # any written form: slashes, digits, spaces

    [words]                  # word or phrase -> respelling, matched in any letter case
    "VNeID" = "vê en e ai đi"

    [web]                    # part of an e-mail or web address said as a word, lowercase
    "tanphu" = "tân phú"

    [doctypes]               # document-type part of a document number: "NĐ" in "63/2010/NĐ-CP"
    "TTr" = "tờ trình"

    [issuers]                # issuing body of a document number, read "của ...": "CP" in "NĐ-CP"
    "UBND" = "Ủy ban nhân dân xã"

    [prefixes]               # "X." short forms, read only when a name or number follows: "Q.1"
    "Q." = "quận"

    [contextual.HN]          # reading chosen by the word just before it
    default = "Hà Nội"
    "hội nghị" = ["tổ chức", "dự"]

Every section is optional. A written form may hold any characters: keys with a slash, a digit
or a space are matched first, longest first, before any reading rule can take them apart; the
others are whole tokens. An entry that is never read as written is listed, with its line, by
:func:`broadcast.normalize.edit.shadowed_entries` (reported at start-up). Spoken forms should be
lowercase words (proper names keep their capitals) and contain no digits, so that normalising
twice changes nothing. A file that cannot
be used raises :class:`broadcast.errors.ConfigError` naming the file and the line, in Vietnamese.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from broadcast.errors import ConfigError

SECTIONS: tuple[str, ...] = ("abbreviations", "words", "web", "doctypes", "issuers", "prefixes", "contextual")
_LINE_IN_MESSAGE = re.compile(r"line (\d+)")
_HEADER = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")


@dataclass(frozen=True, eq=False)
class Contextual:
    """An abbreviation read differently depending on the preceding word(s)."""

    default: str
    after: Mapping[str, str] = field(default_factory=dict)  # preceding phrase (lowercase) -> spoken


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Immutable set of readings; matchers built from it are cached by the normaliser."""

    abbreviations: Mapping[str, str] = field(default_factory=dict)
    words: Mapping[str, str] = field(default_factory=dict)
    web: Mapping[str, str] = field(default_factory=dict)  # lowercase parts of addresses said as words
    doctypes: Mapping[str, str] = field(default_factory=dict)
    issuers: Mapping[str, str] = field(default_factory=dict)
    prefixes: Mapping[str, str] = field(default_factory=dict)
    contextual: Mapping[str, Contextual] = field(default_factory=dict)

    def merged(self, other: Lexicon) -> Lexicon:
        """A new lexicon: ``other`` adds to and overrides ``self``."""
        return Lexicon(
            abbreviations={**self.abbreviations, **other.abbreviations},
            words={**self.words, **other.words},
            web={**self.web, **other.web},
            doctypes={**self.doctypes, **other.doctypes},
            issuers={**self.issuers, **other.issuers},
            prefixes={**self.prefixes, **other.prefixes},
            contextual={**self.contextual, **other.contextual},
        )


@cache
def builtin_lexicon() -> Lexicon:
    """The lexicon shipped with the package (loaded once)."""
    source = resources.files("broadcast.normalize").joinpath("lexicon.toml")
    text = source.read_text(encoding="utf-8")
    return _parse(text, "lexicon.toml")


def load_lexicon(path: Path, *, base: Lexicon | None = None) -> Lexicon:
    """Read a commune's lexicon file on top of ``base`` (the built-in lexicon by default)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"Không tìm thấy tệp từ điển {path}. Hãy kiểm tra lại đường dẫn trong cấu hình."
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(
            f"Tệp {path} không phải văn bản UTF-8. Hãy lưu lại tệp với mã hóa UTF-8."
        ) from None
    except OSError as err:
        raise ConfigError(f"Không đọc được tệp {path} ({err.strerror}). Hãy kiểm tra quyền đọc tệp.") from None
    own = _parse(text, str(path))
    return (builtin_lexicon() if base is None else base).merged(own)


def _parse(text: str, name: str) -> Lexicon:
    """Parse and validate lexicon TOML; every problem names the line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        found = _LINE_IN_MESSAGE.search(str(err))
        line = found.group(1) if found else "?"
        if "overwrite" in str(err):
            raise ConfigError(
                f"Tệp {name}, dòng {line}: từ này đã được khai báo ở dòng trên trong cùng mục. "
                f"Hãy giữ lại một dòng duy nhất cho mỗi từ."
            ) from None
        raise ConfigError(
            f"Tệp {name}, dòng {line}: sai cú pháp TOML ({err}). Hãy đặt mỗi mục trên một dòng "
            f'dạng "VIẾT TẮT" = "cách đọc", dùng dấu ngoặc kép thẳng và tên mục trong ngoặc vuông.'
        ) from None
    lines = text.splitlines()
    fields: dict[str, Any] = {}
    for section, value in data.items():
        if section not in SECTIONS:
            raise ConfigError(
                f"Tệp {name}, dòng {_find_section(lines, section)}: mục [{section}] không được hỗ trợ. "
                f"Hãy dùng một trong các mục: {', '.join('[' + s + ']' for s in SECTIONS)}."
            )
        if not isinstance(value, dict):
            raise ConfigError(
                f"Tệp {name}, dòng {_find_key(lines, None, section)}: {section} phải là một mục "
                f"trong ngoặc vuông. Hãy viết [{section}] trên một dòng riêng rồi liệt kê các từ bên dưới."
            )
        if section == "contextual":
            fields[section] = _contextual(value, lines, name)
        else:
            fields[section] = _flat(section, value, lines, name)
    return Lexicon(**fields)


def _flat(section: str, table: dict[str, Any], lines: list[str], name: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, spoken in table.items():
        if isinstance(spoken, str) and key.strip() and spoken.strip():
            out[key.strip()] = " ".join(spoken.split())
            continue
        where = f"Tệp {name}, dòng {_find_key(lines, section, key)}"  # only on the error path
        if not key.strip():
            raise ConfigError(f"{where}: có một từ viết tắt rỗng (\"\"). Hãy điền từ viết tắt hoặc xóa dòng này.")
        if not isinstance(spoken, str):
            raise ConfigError(
                f'{where}: cách đọc của "{key}" phải là chữ trong dấu ngoặc kép. '
                f'Hãy sửa thành: "{key}" = "cách đọc".'
            )
        raise ConfigError(f'{where}: cách đọc của "{key}" đang để trống. Hãy điền cách đọc hoặc xóa dòng này.')
    return out


def _contextual(table: dict[str, Any], lines: list[str], name: str) -> dict[str, Contextual]:
    out: dict[str, Contextual] = {}
    for key, rule in table.items():
        section = f"contextual.{key}"
        where = f"Tệp {name}, dòng {_find_section(lines, section)}"
        if not isinstance(rule, dict) or not isinstance(rule.get("default"), str):
            raise ConfigError(
                f'{where}: mục [contextual.{key}] cần dòng default = "cách đọc mặc định". Hãy thêm dòng này.'
            )
        after: dict[str, str] = {}
        for spoken, before in rule.items():
            if spoken == "default":
                continue
            if not isinstance(before, list) or not all(isinstance(b, str) and b.strip() for b in before):
                raise ConfigError(
                    f"Tệp {name}, dòng {_find_key(lines, section, spoken)}: \"{spoken}\" phải đi với một danh "
                    f'sách từ đứng trước. Hãy sửa thành: "{spoken}" = ["tổ chức", "dự"].'
                )
            for b in before:
                after[" ".join(b.lower().split())] = spoken
        out[key] = Contextual(default=rule["default"], after=after)
    return out


def _find_section(lines: list[str], section: str) -> int | str:
    """1-based line of ``[section]``, or "?" when it cannot be found."""
    for number, line in enumerate(lines, 1):
        found = _HEADER.match(line)
        if found and found.group(1).replace('"', "").replace(" ", "") == section.replace(" ", ""):
            return number
    return "?"


def _find_key(lines: list[str], section: str | None, key: str) -> int | str:
    """1-based line where ``key =`` is written inside ``section`` (None: top level)."""
    current: str | None = None
    pattern = re.compile(r'^\s*(?:"' + re.escape(key) + r'"|\'' + re.escape(key) + r"'|" + re.escape(key) + r")\s*=")
    for number, line in enumerate(lines, 1):
        header = _HEADER.match(line)
        if header:
            current = header.group(1).replace('"', "").replace(" ", "")
            continue
        if current == (section.replace(" ", "") if section else None) and pattern.match(line):
            return number
    return _find_section(lines, f"{section}.{key}") if section else "?"  # written as [section.key]
