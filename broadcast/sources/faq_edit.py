"""Write FAQ entries back into the bank's TOML files, keeping comments and layout.

The site's FAQ pages and the CLI share these functions. A page remembers the
fingerprint (sha256) of the file it was read from; a write whose fingerprint no
longer matches the file on disk is refused, so an edit made in a text editor
(or by another officer) meanwhile is never overwritten. Every write goes through
the same validation as reading (``faq._entry``) and is atomic.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from broadcast.errors import ConflictError, DataError, SourceError
from broadcast.files import write_text
from broadcast.models import FaqEntry
from broadcast.sources.faq import _entry, read_faq
from broadcast.sources.text import clean_text


@dataclass(frozen=True)
class FaqDraft:
    """What an editor typed for one entry (all text already cleaned)."""

    id: str
    topic: str
    question: str
    answer: str
    tags: tuple[str, ...] = ()
    priority: int = 2
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    source: str = ""
    answers_inbox: tuple[str, ...] = field(default=())


def fingerprint(path: Path) -> str:
    """sha256 of the file's bytes ('' when it does not exist yet)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return ""
    except OSError as exc:
        raise SourceError(f"Không đọc được tệp hỏi đáp {path}: {exc.strerror}. Hãy kiểm tra quyền đọc tệp.") from exc


def slug(text: str) -> str:
    """ASCII, lower-case, hyphenated: "Đất đai" → "dat-dai"."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = plain.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "hoi-dap"


def new_id(bank: Path, topic: str, question: str) -> str:
    """A readable id not used anywhere in the bank: topic slug + first words of the question."""
    taken = {e.id for e in read_faq(bank)} if bank.exists() else set()
    base = f"{slug(topic)}-{'-'.join(slug(question).split('-')[:4])}"[:60].strip("-")
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def file_for_topic(bank: Path, topic: str) -> Path:
    """The bank file whose entries share ``topic``; else a new file named after it."""
    if bank.is_dir():
        for entry in read_faq(bank):
            if entry.topic.casefold() == topic.casefold():
                return Path(entry.file)
        return bank / f"{slug(topic)}.toml"
    return bank


def _check_fresh(path: Path, expected: str) -> None:
    now = fingerprint(path)
    if now != expected:
        when = ""
        if path.exists():
            stamp = dt.datetime.fromtimestamp(path.stat().st_mtime)
            when = f" lúc {stamp:%d/%m/%Y %H:%M}"
        raise ConflictError(f"Tệp {path.name} đã được sửa{when}, sau khi bạn mở trang này. Không lưu để khỏi "
                            f"ghi đè thay đổi đó: hãy tải lại trang, xem bản mới rồi sửa lại.")


def _load(path: Path) -> tomlkit.TOMLDocument:
    if not path.exists():
        return tomlkit.document()
    try:
        return tomlkit.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"Không đọc được tệp hỏi đáp {path}: {exc}. Hãy kiểm tra tệp.") from exc
    except TOMLKitError as exc:
        raise DataError(f"{path.name}: lỗi cú pháp TOML ({exc}). Hãy sửa tệp bằng tay trước.") from exc


def _text(value: str) -> Any:
    return tomlkit.string(value, multiline="\n" in value)


def _fill(table: Any, draft: FaqDraft) -> None:
    """Set the draft's fields on a tomlkit table in a stable order, dropping the empty optional ones."""
    values: dict[str, Any] = {
        "id": draft.id, "topic": draft.topic, "tags": list(draft.tags), "priority": draft.priority,
        "valid_from": draft.valid_from, "valid_until": draft.valid_until,
        "question": _text(draft.question), "answer": _text(draft.answer), "source": draft.source,
        "answers_inbox": list(draft.answers_inbox),
    }
    for key, value in values.items():
        empty = value is None or value == [] or (key == "source" and not value)
        if empty:
            if key in table:
                del table[key]
        elif key not in table or table[key] != value:
            table[key] = value


def _validate(document: tomlkit.TOMLDocument, path: Path) -> None:
    seen: set[str] = set()
    for index, raw in enumerate(document.unwrap().get("entry", []), start=1):
        entry = _entry(raw, path, index)
        if entry.id in seen:
            raise DataError(f"{path.name}: id \"{entry.id}\" bị trùng. Mỗi câu hỏi cần một id riêng.")
        seen.add(entry.id)


def _write(path: Path, document: tomlkit.TOMLDocument) -> None:
    _validate(document, path)
    text = tomlkit.dumps(document)
    if not text.endswith("\n"):
        text += "\n"
    write_text(path, unicodedata.normalize("NFC", text))


def _entries(document: tomlkit.TOMLDocument) -> Any:
    if "entry" not in document:
        document["entry"] = tomlkit.aot()
    return document["entry"]


def add_entry(bank: Path, draft: FaqDraft, *, expected: str) -> Path:
    """Append ``draft`` to the file of its topic; ``expected`` is that file's fingerprint when the form opened."""
    if bank.exists() and any(e.id == draft.id for e in read_faq(bank)):
        raise DataError(f"Mã \"{draft.id}\" đã có trong ngân hàng hỏi đáp. Hãy chọn mã khác.")
    path = file_for_topic(bank, draft.topic)
    _check_fresh(path, expected)
    document = _load(path)
    if not path.exists():
        document.add(tomlkit.comment(f"Hỏi – đáp lĩnh vực {draft.topic.lower()}."))
        document.add(tomlkit.nl())
    table = tomlkit.table()
    _fill(table, draft)
    _entries(document).append(table)
    _write(path, document)
    return path


def find(bank: Path, entry_id: str) -> FaqEntry:
    for entry in read_faq(bank):
        if entry.id == entry_id:
            return entry
    raise DataError(f"Không có câu hỏi mã \"{entry_id}\" trong ngân hàng hỏi đáp {bank}.")


def update_entry(path: Path, entry_id: str, draft: FaqDraft, *, expected: str) -> None:
    """Replace the fields of entry ``entry_id`` in ``path``; comments and the other entries stay as they are."""
    _check_fresh(path, expected)
    document = _load(path)
    for table in _entries(document):
        if str(table.get("id", "")).strip() == entry_id:
            _fill(table, draft)
            _write(path, document)
            return
    raise DataError(f"{path.name}: không còn câu hỏi mã \"{entry_id}\" (có thể đã bị xóa). Hãy tải lại trang.")


def draft_of(entry: FaqEntry, **changes: Any) -> FaqDraft:
    fields: dict[str, Any] = {"id": entry.id, "topic": entry.topic, "question": entry.question, "answer": entry.answer,
              "tags": entry.tags, "priority": entry.priority, "valid_from": entry.valid_from,
              "valid_until": entry.valid_until, "source": entry.source, "answers_inbox": entry.answers_inbox}
    fields.update(changes)
    return FaqDraft(**fields)


def retire(bank: Path, entry_id: str, *, day: dt.date, expected: str) -> FaqEntry:
    """Stop airing an entry from ``day`` on: valid_until becomes the day before."""
    entry = find(bank, entry_id)
    update_entry(Path(entry.file), entry_id, draft_of(entry, valid_until=day - dt.timedelta(days=1)),
                 expected=expected)
    return entry


def restore(bank: Path, entry_id: str, *, expected: str) -> FaqEntry:
    """Put a retired entry back on the air (no end date)."""
    entry = find(bank, entry_id)
    update_entry(Path(entry.file), entry_id, draft_of(entry, valid_until=None), expected=expected)
    return entry


def parse_draft(form: dict[str, str], *, entry_id: str) -> FaqDraft:
    """A draft from form fields; DataError names the field to fix."""
    def text(key: str, label: str, *, required: bool = True) -> str:
        value = clean_text(form.get(key, "")) if key != "answer" else _multiline(form.get(key, ""))
        if required and not value:
            raise DataError(f"Ô \"{label}\" còn trống. Hãy điền rồi lưu lại.")
        return value

    def date(key: str, label: str) -> dt.date | None:
        value = form.get(key, "").strip()
        if not value:
            return None
        match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
        try:
            if match:
                return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
            return dt.date.fromisoformat(value)
        except ValueError:
            raise DataError(f"Ô \"{label}\": \"{value}\" không phải ngày. Hãy ghi dạng 31/12/2026.") from None

    priority = form.get("priority", "2").strip()
    if priority not in ("1", "2", "3"):
        raise DataError("Ô \"Mức ưu tiên\" phải là 1, 2 hoặc 3.")
    tags = tuple(t for t in (clean_text(x) for x in form.get("tags", "").split(",")) if t)
    inbox = tuple(t for t in (clean_text(x) for x in form.get("answers_inbox", "").split(",")) if t)
    return FaqDraft(id=entry_id, topic=text("topic", "Lĩnh vực"), question=text("question", "Câu hỏi"),
                    answer=text("answer", "Câu trả lời"), tags=tags, priority=int(priority),
                    valid_from=date("valid_from", "Áp dụng từ ngày"),
                    valid_until=date("valid_until", "Áp dụng đến ngày"),
                    source=text("source", "Căn cứ", required=False), answers_inbox=inbox)


def _multiline(raw: str) -> str:
    """An answer keeps its paragraphs; each line is cleaned like any other text."""
    lines = [clean_text(line) for line in raw.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
