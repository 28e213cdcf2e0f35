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
import difflib
import itertools
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadcast import toml_errors, vnformat
from broadcast.errors import DataError
from broadcast.models import FaqEntry
from broadcast.sources.select import aired_before
from broadcast.sources.text import hygiene

_REQUIRED = ("id", "question", "answer", "topic")
_KNOWN = set(_REQUIRED) | {"tags", "priority", "valid_from", "valid_until", "source", "answers_inbox"}


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(path.glob("*.toml"))
    return [path]


_ENTRY_HEADER = re.compile(r"^\s*\[\[\s*entry\s*\]\]")


def _date(value: Any, key: str, where: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, str) and (parsed := vnformat.parse_date(value)) is not None:
        return parsed
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise DataError(f"{where}: \"{key}\" phải là một ngày, ví dụ {key} = 2026-12-31 (không có ngoặc kép) "
                        f"hoặc {key} = \"31/12/2026\".")
    return value


def _entry(raw: Any, file: Path, index: int, line: int | None = None) -> FaqEntry:
    where = f"{file.name}, " + (f"dòng {line}, " if line else "") + f"mục [[entry]] thứ {index}"
    if not isinstance(raw, dict):
        raise DataError(f"{where}: phải là một bảng [[entry]].")
    if isinstance(raw.get("id"), str) and raw["id"].strip():
        where += f" (id {raw['id'].strip()})"
    unknown = set(raw) - _KNOWN
    if unknown:
        close = [m for key in sorted(unknown) for m in difflib.get_close_matches(key, _KNOWN, n=1)]
        hint = f" Có phải ý bạn là \"{close[0]}\"?" if close else ""
        raise DataError(f"{where}: trường không hợp lệ {', '.join(sorted(unknown))}.{hint} "
                        f"Các trường hợp lệ: {', '.join(sorted(_KNOWN))}.")
    for key in _REQUIRED:
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise DataError(f"{where}: thiếu trường \"{key}\" (chuỗi không rỗng). Hãy bổ sung.")
    tags = raw.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise DataError(f"{where}: \"tags\" phải là danh sách chuỗi, ví dụ [\"khai sinh\"].")
    answers = raw.get("answers_inbox", [])
    if not isinstance(answers, list) or not all(isinstance(t, str) for t in answers):
        raise DataError(f"{where}: \"answers_inbox\" phải là danh sách mã câu hỏi, ví dụ [\"hq-0001\"].")
    priority = raw.get("priority", 2)
    if isinstance(priority, bool) or not isinstance(priority, int) or not 1 <= priority <= 3:
        raise DataError(f"{where}: \"priority\" phải là 1, 2 hoặc 3 (không có ngoặc kép).")
    dates = {key: _date(raw.get(key), key, where) for key in ("valid_from", "valid_until")}

    def nfc(text: str) -> str:
        return hygiene(text, keep_newlines=True).strip()

    return FaqEntry(id=raw["id"].strip(), question=nfc(raw["question"]), answer=nfc(raw["answer"]),
                    topic=nfc(raw["topic"]), tags=tuple(nfc(t) for t in tags), priority=priority,
                    valid_from=dates["valid_from"], valid_until=dates["valid_until"],
                    source=nfc(str(raw.get("source", ""))), file=str(file),
                    answers_inbox=tuple(a.strip() for a in answers if a.strip()))


@dataclass(frozen=True)
class FaqBank:
    """The entries that could be read, and one warning per entry (or file) that could not."""

    entries: tuple[FaqEntry, ...]
    problems: tuple[str, ...] = ()


def _raw_entries(file: Path, text: str) -> tuple[list[tuple[Any, int | None]], list[str]]:
    """Each ``[[entry]]`` table with its line; a syntax error loses only the entry it is in.

    The whole file is parsed first; when that fails, each ``[[entry]]`` block
    is parsed on its own, so one unescaped quote drops one entry, not the file.
    """
    lines = text.splitlines()
    starts = [n for n, line in enumerate(lines, start=1) if _ENTRY_HEADER.match(line)]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        pass
    else:
        found = data.get("entry", [])
        if not isinstance(found, list):
            return [], [f"{file.name}: các câu hỏi phải viết thành từng mục [[entry]] (hai dấu ngoặc vuông)."]
        return [(raw, starts[k] if k < len(starts) else None) for k, raw in enumerate(found)], []
    out: list[tuple[Any, int | None]] = []
    problems: list[str] = []
    bounds = [1, *starts, len(lines) + 1]
    for first, after in itertools.pairwise(bounds):
        block = "\n".join(lines[first - 1:after - 1])
        try:
            data = tomllib.loads(block)
        except tomllib.TOMLDecodeError as exc:
            line, cause = toml_errors.explain(exc, block)
            at = first + (line or 1) - 1
            problems.append(f"{file.name}, dòng {at}: lỗi cú pháp TOML, bỏ qua mục này: {cause}. "
                            f"Hãy sửa dòng này; các mục khác vẫn được dùng.")
            continue
        out += [(raw, first) for raw in data.get("entry", [])]
    return out, problems


def load_faq(path: Path) -> FaqBank:
    """Every valid entry of the bank; an invalid entry is dropped alone, with a warning naming it."""
    entries: list[FaqEntry] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for file in _files(path):
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"Không đọc được tệp hỏi đáp {file}: {getattr(exc, 'strerror', None) or exc}. "
                            f"Hãy lưu tệp dạng văn bản UTF-8.")
            continue
        raws, broken = _raw_entries(file, text)
        problems += broken
        for index, (raw, line) in enumerate(raws, start=1):
            try:
                entry = _entry(raw, file, index, line)
            except DataError as exc:
                problems.append(f"{exc} Mục này bị bỏ qua, các mục khác vẫn được dùng.")
                continue
            if entry.id in seen:
                where = f"{file.name}, dòng {line}" if line else file.name
                problems.append(f"{where}: id \"{entry.id}\" đã dùng trong {Path(seen[entry.id]).name}; "
                                f"mục sau bị bỏ qua. Mỗi câu hỏi cần một id riêng.")
                continue
            seen[entry.id] = str(file)
            entries.append(entry)
    return FaqBank(entries=tuple(entries), problems=tuple(problems))


def read_faq(path: Path) -> list[FaqEntry]:
    """All entries of the bank, strictly: the first problem is raised as a DataError."""
    bank = load_faq(path)
    if bank.problems:
        raise DataError(bank.problems[0])
    return list(bank.entries)


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

