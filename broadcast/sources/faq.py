"""The FAQ bank: TOML files an editor can open and edit by hand.

Each file holds ``[[entry]]`` tables with id, question, answer, topic and
optional tags, priority (1 high … 3 low), valid_from/valid_until (so an answer
that quotes a replaced law expires) and source (legal basis).
"""

from __future__ import annotations

import datetime as dt
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

from broadcast.errors import DataError, SourceError
from broadcast.models import FaqEntry

_REQUIRED = ("id", "question", "answer", "topic")
_KNOWN = set(_REQUIRED) | {"tags", "priority", "valid_from", "valid_until", "source"}


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(path.glob("*.toml"))
    return [path]


def _entry(raw: Any, file: Path, index: int) -> FaqEntry:
    where = f"{file.name}, mục [[entry]] thứ {index}"
    if not isinstance(raw, dict):
        raise DataError(f"{where}: phải là một bảng [[entry]].")
    unknown = set(raw) - _KNOWN
    if unknown:
        raise DataError(f"{where}: trường không hợp lệ {', '.join(sorted(unknown))}. "
                        f"Các trường hợp lệ: {', '.join(sorted(_KNOWN))}.")
    for key in _REQUIRED:
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise DataError(f"{where}: thiếu trường \"{key}\" (chuỗi không rỗng). Hãy bổ sung.")
    tags = raw.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise DataError(f"{where} (id {raw['id']}): \"tags\" phải là danh sách chuỗi, ví dụ [\"khai sinh\"].")
    priority = raw.get("priority", 2)
    if isinstance(priority, bool) or not isinstance(priority, int) or not 1 <= priority <= 3:
        raise DataError(f"{where} (id {raw['id']}): \"priority\" phải là 1, 2 hoặc 3.")
    dates: dict[str, dt.date | None] = {}
    for key in ("valid_from", "valid_until"):
        value = raw.get(key)
        if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
            raise DataError(f"{where} (id {raw['id']}): \"{key}\" phải là ngày dạng 2026-12-31 (không có ngoặc kép).")
        dates[key] = value

    def nfc(text: str) -> str:
        return unicodedata.normalize("NFC", text.strip())

    return FaqEntry(id=raw["id"].strip(), question=nfc(raw["question"]), answer=nfc(raw["answer"]),
                    topic=nfc(raw["topic"]), tags=tuple(nfc(t) for t in tags), priority=priority,
                    valid_from=dates["valid_from"], valid_until=dates["valid_until"],
                    source=nfc(str(raw.get("source", ""))), file=str(file))


def read_faq(path: Path) -> list[FaqEntry]:
    """All entries of the bank; DataError names the file and the entry to fix."""
    entries: list[FaqEntry] = []
    seen: dict[str, str] = {}
    for file in _files(path):
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except OSError as exc:
            raise SourceError(f"Không đọc được tệp hỏi đáp {file}: {exc.strerror}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise DataError(f"{file.name}: lỗi cú pháp TOML: {exc}. Hãy sửa dòng được nêu.") from exc
        for index, raw in enumerate(data.get("entry", []), start=1):
            entry = _entry(raw, file, index)
            if entry.id in seen:
                raise DataError(f"{file.name}: id \"{entry.id}\" đã dùng trong {Path(seen[entry.id]).name}. "
                                f"Mỗi câu hỏi cần một id riêng.")
            seen[entry.id] = str(file)
            entries.append(entry)
    return entries


def current(entries: list[FaqEntry], day: dt.date) -> list[FaqEntry]:
    """Entries valid on ``day``: an answer past valid_until is never aired."""
    return [e for e in entries
            if (e.valid_from is None or e.valid_from <= day) and (e.valid_until is None or day <= e.valid_until)]


def choose(entries: list[FaqEntry], count: int) -> list[FaqEntry]:
    """Highest priority first, then by id for a stable order."""
    return sorted(entries, key=lambda e: (e.priority, e.id))[:count]
