"""The FAQ bank: TOML files an editor can open and edit by hand.

Each file holds ``[[entry]]`` tables with id, question, answer, topic and
optional tags, priority (1 high … 3 low), valid_from/valid_until (so an answer
that quotes a replaced law expires), source (legal basis) and answers_inbox
(ids of citizens' questions from the inbox that this entry answers). A tag
``thang-8`` marks an entry as seasonal: it goes first in August.

``rotate`` picks each episode's entries from the bank and the aired history.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadcast.errors import DataError, SourceError
from broadcast.models import FaqEntry
from broadcast.sources.select import aired_before
from broadcast.sources.text import hygiene

_REQUIRED = ("id", "question", "answer", "topic")
_KNOWN = set(_REQUIRED) | {"tags", "priority", "valid_from", "valid_until", "source", "answers_inbox"}


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
    answers = raw.get("answers_inbox", [])
    if not isinstance(answers, list) or not all(isinstance(t, str) for t in answers):
        raise DataError(f"{where} (id {raw['id']}): \"answers_inbox\" phải là danh sách mã câu hỏi, "
                        f"ví dụ [\"hq-0001\"].")
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
        return hygiene(text, keep_newlines=True).strip()

    return FaqEntry(id=raw["id"].strip(), question=nfc(raw["question"]), answer=nfc(raw["answer"]),
                    topic=nfc(raw["topic"]), tags=tuple(nfc(t) for t in tags), priority=priority,
                    valid_from=dates["valid_from"], valid_until=dates["valid_until"],
                    source=nfc(str(raw.get("source", ""))), file=str(file),
                    answers_inbox=tuple(a.strip() for a in answers if a.strip()))


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


def seasonal(entry: FaqEntry, month: int) -> bool:
    """True when one of the entry's tags names ``month``: "thang-8", "tháng 8", "thang-08"."""
    for tag in entry.tags:
        plain = unicodedata.normalize("NFD", tag.casefold()).encode("ascii", "ignore").decode()
        match = re.fullmatch(r"thang[\s_-]*0?(\d{1,2})", plain.strip())
        if match and int(match.group(1)) == month:
            return True
    return False


# An entry that expired this recently is named in the warnings, so the editor updates it to the new
# law; after that it stays silently off the air rather than nagging every week.
EXPIRY_NOTICE = dt.timedelta(weeks=8)


@dataclass(frozen=True)
class FaqChoice:
    """The entries for one episode, and what the editor should know about the bank."""

    entries: tuple[FaqEntry, ...]
    expired: tuple[str, ...] = ()
    resting: int = 0
    short: int = 0      # how many fewer than asked could be chosen

    def warnings(self, rest_weeks: int) -> list[str]:
        out = []
        if self.expired:
            shown = ", ".join(self.expired[:5]) + (" …" if len(self.expired) > 5 else "")
            out.append(f"Hỏi – đáp: {len(self.expired)} câu vừa hết hiệu lực (valid_until) nên không phát: {shown}. "
                       f"Hãy cập nhật câu trả lời theo văn bản mới.")
        if self.short:
            out.append(f"Hỏi – đáp: chỉ còn {len(self.entries)} câu chưa phát trong {rest_weeks} tuần qua "
                       f"(thiếu {self.short}). Hãy bổ sung câu hỏi mới vào ngân hàng hỏi đáp.")
        return out


def rotate(entries: Iterable[FaqEntry], *, day: dt.date, count: int, rest_weeks: int,
           history: Mapping[str, dt.date]) -> FaqChoice:
    """Entries for the episode of ``day``: valid, not aired in the last ``rest_weeks`` weeks.

    Order: entries tagged for this month first, then never-aired ones, then by
    priority (1 first), then the longest-rested, then id. Never repeats an
    entry inside the rest window, even if that leaves the episode short.
    """
    entries = list(entries)
    valid = current(entries, day)
    expired = tuple(e.id for e in entries
                    if e.valid_until is not None and day - EXPIRY_NOTICE <= e.valid_until < day)
    rest = dt.timedelta(weeks=rest_weeks)
    eligible: list[tuple[FaqEntry, dt.date | None]] = []
    resting = 0
    for entry in valid:
        last = aired_before((entry.ref,), history, day)
        if last is not None and day - last < rest:
            resting += 1
            continue
        eligible.append((entry, last))
    eligible.sort(key=lambda pair: (not seasonal(pair[0], day.month), pair[1] is not None, pair[0].priority,
                                    pair[1] or dt.date.min, pair[0].id))
    chosen = tuple(entry for entry, _ in eligible[:count])
    return FaqChoice(entries=chosen, expired=expired, resting=resting, short=count - len(chosen))

