"""Citizens' questions waiting for an answer on air.

The commune collects questions (a notebook at the one-stop desk, a Zalo group,
a form) and exports them as CSV. ``broadcast inbox import`` keeps them in a
JSON file (``sources.inbox``); a question counts as answered once an FAQ entry
lists its id in ``answers_inbox``. ``pending_questions`` is what the review
page shows, so the editor knows what the bank still owes the commune.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from filelock import FileLock

from broadcast.config import Settings
from broadcast.errors import DataError, SourceError
from broadcast.files import write_json
from broadcast.sources.decode import decode
from broadcast.sources.text import hygiene

HEADERS = {
    "id": ("mã", "mã câu hỏi", "số", "stt", "id"),
    "question": ("câu hỏi", "nội dung", "nội dung câu hỏi", "question"),
    "received": ("ngày", "ngày gửi", "ngày nhận", "ngày hỏi", "date"),
    "asker": ("người hỏi", "họ tên", "họ và tên", "người gửi", "name"),
    "place": ("thôn", "thôn/xóm", "địa chỉ", "nơi ở", "village"),
}


WAITING, CLOSED, DUPLICATE = "waiting", "closed", "duplicate"
STATUS_NAMES = {WAITING: "đang chờ", CLOSED: "đã đóng", DUPLICATE: "trùng câu khác"}


@dataclass(frozen=True)
class InboxQuestion:
    """One citizen's question as imported."""

    id: str
    question: str
    received: dt.date | None = None
    asker: str = ""
    place: str = ""
    status: str = WAITING       # WAITING, CLOSED (with a reason) or DUPLICATE (of another question)
    note: str = ""              # the reason it was closed, or the id it duplicates
    closed_at: dt.date | None = None


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", hygiene(text)).strip()


def _date(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if m:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return dt.date.fromisoformat(text)


def read_csv(path: Path) -> list[InboxQuestion]:
    """Questions from a CSV export; DataError names the file, the row and the column."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"Không đọc được tệp câu hỏi {path}: {exc.strerror}") from exc
    return parse_csv(data, name=path.name)


def parse_csv(data: bytes, *, name: str) -> list[InboxQuestion]:
    """Questions from the bytes of a CSV export (an upload); ``name`` is the file name the officer knows."""
    text, _, _ = decode(data)
    lines = text.splitlines()
    if not lines:
        raise DataError(f"{name}: tệp câu hỏi trống.")
    try:
        dialect: Any = csv.Sniffer().sniff(lines[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(lines, dialect)
    header = [_norm(h) for h in next(reader)]
    cols = {key: header.index(name) for key, names in HEADERS.items() for name in names if name in header}
    if "question" not in cols:
        raise DataError(f"{name}, dòng 1: thiếu cột \"Câu hỏi\". Hãy đặt tên cột chứa câu hỏi là \"Câu hỏi\".")
    out: list[InboxQuestion] = []
    for row in reader:
        number = reader.line_num
        if not any(c.strip() for c in row):
            continue

        def get(key: str, row: list[str] = row) -> str:
            i = cols.get(key)
            return row[i] if i is not None and i < len(row) else ""

        question = _clean(get("question"))
        if not question:
            raise DataError(f"{name}, dòng {number}, cột \"Câu hỏi\": ô trống. Hãy ghi câu hỏi hoặc xóa dòng này.")
        try:
            received = _date(get("received"))
        except ValueError:
            raise DataError(f"{name}, dòng {number}, cột \"Ngày\": {get('received')!r} không phải ngày "
                            f"(dạng 27/11/2026). Hãy sửa ô này.") from None
        ident = _clean(get("id"))
        if not ident:
            digest = hashlib.sha1(f"{question}|{received}".encode()).hexdigest()[:8]
            ident = f"hq-{digest}"
        out.append(InboxQuestion(id=ident, question=question, received=received, asker=_clean(get("asker")),
                                 place=_clean(get("place"))))
    return out


def load(path: Path) -> list[InboxQuestion]:
    """The stored inbox; an absent file is an empty inbox."""
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [InboxQuestion(id=q["id"], question=q["question"], received=_iso(q.get("received")),
                              asker=q.get("asker", ""), place=q.get("place", ""),
                              status=q.get("status", WAITING) if q.get("status") in STATUS_NAMES else WAITING,
                              note=q.get("note", ""), closed_at=_iso(q.get("closed_at")))
                for q in data["questions"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SourceError(f"Tệp hộp thư câu hỏi {path} bị hỏng ({exc}). Hãy khôi phục bản sao lưu "
                          f"hoặc xóa tệp rồi nhập lại.") from exc


def _iso(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def save(path: Path, questions: list[InboxQuestion]) -> None:
    rows = [{**asdict(q), "received": q.received.isoformat() if q.received else None,
             "closed_at": q.closed_at.isoformat() if q.closed_at else None} for q in questions]
    write_json(path, {"version": 2, "questions": rows})


def _locked(inbox: Path) -> FileLock:
    """One writer of the inbox file at a time (the site's threads, the CLI, the scheduler)."""
    inbox.parent.mkdir(parents=True, exist_ok=True)
    return FileLock(str(inbox) + ".lock", timeout=30)


def import_csv(inbox: Path, csv_path: Path) -> tuple[int, int]:
    """Add the CSV's questions to the inbox; returns (added, already there). Nothing is written on error."""
    return import_questions(inbox, read_csv(csv_path))


def import_questions(inbox: Path, incoming: list[InboxQuestion]) -> tuple[int, int]:
    """Add questions not yet in the inbox; returns (added, already there)."""
    with _locked(inbox):
        return _import_locked(inbox, incoming)


def _import_locked(inbox: Path, incoming: list[InboxQuestion]) -> tuple[int, int]:
    stored = load(inbox)
    known = {q.id for q in stored}
    added: list[InboxQuestion] = []
    for question in incoming:
        if question.id not in known:
            known.add(question.id)
            added.append(question)
    if added:
        save(inbox, stored + added)
    return len(added), len(incoming) - len(added)


def answered_ids(settings: Settings) -> set[str]:
    """Inbox ids that some FAQ entry answers."""
    from broadcast.sources.faq import load_faq

    if settings.sources.faq is None:
        return set()
    return {i for entry in load_faq(settings.sources.faq).entries for i in entry.answers_inbox}


def pending_questions(settings: Settings) -> list[InboxQuestion]:
    """Questions still waiting for an answer, oldest first (for the review page and ``inbox list``)."""
    answered = answered_ids(settings)
    waiting = [q for q in load(settings.sources.inbox) if q.id not in answered and q.status == WAITING]
    return sorted(waiting, key=lambda q: (q.received or dt.date.max, q.id))


def close(inbox: Path, question_id: str, *, reason: str, day: dt.date, duplicate_of: str = "") -> InboxQuestion:
    """Close a question with a reason, or as a duplicate of another one (which stays open)."""
    with _locked(inbox):
        stored = load(inbox)
        ids = {q.id for q in stored}
        if question_id not in ids:
            raise DataError(f"Không có câu hỏi mã \"{question_id}\" trong hộp thư {inbox.name}.")
        if duplicate_of:
            if duplicate_of == question_id or duplicate_of not in ids:
                raise DataError(f"Không gộp được: mã \"{duplicate_of}\" không phải một câu hỏi khác trong hộp thư. "
                                f"Hãy chọn đúng mã câu hỏi giữ lại.")
            status, note = DUPLICATE, duplicate_of
        else:
            note = reason.strip()
            if not note:
                raise DataError("Hãy ghi lý do đóng câu hỏi (ví dụ: đã trả lời trực tiếp tại Bộ phận Một cửa).")
            status = CLOSED
        changed = [replace(q, status=status, note=note, closed_at=day) if q.id == question_id else q
                   for q in stored]
        save(inbox, changed)
        return next(q for q in changed if q.id == question_id)


def reopen(inbox: Path, question_id: str) -> None:
    with _locked(inbox):
        stored = load(inbox)
        save(inbox, [replace(q, status=WAITING, note="", closed_at=None) if q.id == question_id else q
                     for q in stored])
