"""Give the month's one-stop figures from the site: an uploaded export or one typed month.

Either way a *pending* file is made first (a copy of the statistics file with
the month put in, or the upload itself) and read exactly as a build reads it,
collecting every bad row. Only when the officer confirms is the configured
statistics file replaced by it, atomically, keeping the previous version.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadcast.errors import DataError, SourceError
from broadcast.files import write_bytes
from broadcast.models import StatsPeriod, StatsReport
from broadcast.sources.decode import decode
from broadcast.sources.stats import COLUMNS, Cell, _header_map, parse_int, parse_percent, parse_period, read_stats

SUFFIXES = (".csv", ".xlsx")
FIELDS = ("period", "received", "on_time", "late", "online", "satisfaction")
HEADER = ("Kỳ báo cáo", "Hồ sơ tiếp nhận", "Giải quyết đúng hạn", "Giải quyết quá hạn", "Nộp trực tuyến",
          "Hài lòng (%)")
PENDING_TTL_S = 24 * 3600


@dataclass(frozen=True)
class StatsPreview:
    """A pending statistics file read as the build will read it."""

    token: str
    periods: tuple[StatsPeriod, ...]
    problems: tuple[str, ...]
    report: StatsReport | None      # the month the next programme speaks about, and the one before


def pending_folder(state: Path) -> Path:
    return state / "thong-ke-cho-luu"


def _pending_path(state: Path, token: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{32}\.(csv|xlsx)", token):
        raise DataError("Bản xem trước không còn (hoặc đường dẫn sai). Hãy tải lên hoặc nhập lại số liệu.")
    path = pending_folder(state) / token
    if not path.exists():
        raise DataError("Bản xem trước đã hết hạn. Hãy tải lên hoặc nhập lại số liệu.")
    return path


def _new_pending(state: Path, suffix: str, data: bytes) -> str:
    folder = pending_folder(state)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():  # forget previews nobody confirmed
        if old.is_file() and time.time() - old.stat().st_mtime > PENDING_TTL_S:
            old.unlink(missing_ok=True)
    token = f"{secrets.token_hex(16)}{suffix}"
    write_bytes(folder / token, data)
    return token


def preview(state: Path, token: str, *, columns: Any, month: tuple[int, int] | None = None) -> StatsPreview:
    """Read a pending file; ``month`` picks the period to report (default: the latest)."""
    path = _pending_path(state, token)
    problems: list[str] = []
    try:
        periods = read_stats(path, columns, problems=problems)
    except DataError as exc:  # a problem with the whole file (header, format): nothing to show
        return StatsPreview(token=token, periods=(), problems=(str(exc),), report=None)
    chosen = sorted((p for p in periods if month is None or (p.year, p.month) <= month),
                    key=lambda p: (p.year, p.month))
    report = StatsReport(current=chosen[-1], previous=chosen[-2] if len(chosen) > 1 else None) if chosen else None
    return StatsPreview(token=token, periods=tuple(periods), problems=tuple(problems), report=report)


def stage_upload(state: Path, data: bytes, *, name: str, target: Path) -> str:
    """Keep an uploaded export as a pending file; it must be of the same kind as the configured file."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise DataError(f"{name}: chỉ nhận tệp .csv hoặc .xlsx xuất từ phần mềm một cửa.")
    if suffix != target.suffix.lower():
        raise DataError(f"{name}: tệp thống kê của xã là {target.name} ({target.suffix}); hãy tải lên tệp "
                        f"{target.suffix}, hoặc đổi sources.statistics trong tệp cấu hình.")
    return _new_pending(state, suffix, data)


def stage_month(state: Path, target: Path, values: dict[str, str], *, columns: Any) -> tuple[str, tuple[int, int]]:
    """A pending copy of ``target`` with one month's figures put in (replacing that month's row if present)."""
    try:
        year, month = parse_period(values.get("period", ""))
    except ValueError:
        raise DataError(f"Ô \"Kỳ báo cáo\": \"{values.get('period', '')}\" không phải tháng/năm. "
                        f"Hãy ghi dạng 11/2026.") from None
    cells = {k: values.get(k, "").strip() for k in FIELDS}
    cells["period"] = f"{month:02d}/{year}"
    if target.suffix.lower() == ".xlsx":
        data = _xlsx_with_month(target, cells, (year, month), columns)
    else:
        data = _csv_with_month(target, cells, (year, month), columns)
    return _new_pending(state, target.suffix.lower() or ".csv", data), (year, month)


def confirm(state: Path, token: str, target: Path) -> Path | None:
    """Replace the statistics file with the pending one; returns where the previous version was kept."""
    path = _pending_path(state, token)
    kept = None
    if target.exists():
        history = state / "thong-ke-cu"
        history.mkdir(parents=True, exist_ok=True)
        kept = history / f"{dt.datetime.now():%Y%m%d-%H%M%S}-{target.name}"
        shutil.copy2(target, kept)
    try:
        write_bytes(target, path.read_bytes())
    except OSError as exc:
        raise SourceError(f"Không ghi được tệp thống kê {target}: {exc.strerror}. Hãy kiểm tra quyền ghi "
                          f"thư mục và dung lượng ổ đĩa.") from exc
    path.unlink(missing_ok=True)
    return kept


def _header_index(rows: list[list[Any]], columns: Any) -> tuple[int, dict[str, int]]:
    wanted = {k: str(getattr(columns, k, "") or "") for k in COLUMNS}
    for index, row in enumerate(rows[:10]):
        found = _header_map([Cell(v) for v in row], wanted)
        if all(k in found for k in ("period", "received", "on_time", "late", "online")):
            return index, found
    raise DataError("Tệp thống kê hiện có không có dòng tiêu đề đủ các cột (Kỳ báo cáo, Hồ sơ tiếp nhận, "
                    "Giải quyết đúng hạn, Giải quyết quá hạn, Nộp trực tuyến). Hãy tải lên tệp xuất mới.")


def _same_month(value: Any, month: tuple[int, int]) -> bool:
    try:
        return parse_period(value) == month
    except (ValueError, TypeError):
        return False


def _csv_with_month(target: Path, cells: dict[str, str], month: tuple[int, int], columns: Any) -> bytes:
    if target.exists():
        text, _, _ = decode(target.read_bytes())
        try:
            dialect: Any = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        rows = [list(r) for r in csv.reader(text.splitlines(), dialect)]
        delimiter = dialect.delimiter
    else:
        rows, delimiter = [list(HEADER)], ","
    head, found = _header_index(rows, columns)
    if "satisfaction" not in found and cells["satisfaction"]:
        rows[head].append(HEADER[-1])
        found["satisfaction"] = len(rows[head]) - 1
    width = len(rows[head])
    new_row = [""] * width
    for i, row in enumerate(rows[head + 1:], start=head + 1):
        if row and _same_month(row[found["period"]] if found["period"] < len(row) else "", month):
            new_row = row + [""] * (width - len(row))
            rows[i] = new_row
            break
    else:
        rows.append(new_row)
    for key, index in found.items():
        new_row[index] = cells.get(key, "")
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8-sig")  # Excel opens a UTF-8 file with BOM correctly


def _number(key: str, value: str) -> Any:
    """A typed figure as an Excel number when it is one; else the text, for the preview to name."""
    try:
        if key == "satisfaction":
            return parse_percent(value) if value else None
        return parse_int(value) if key != "period" else value
    except ValueError:
        return value


def _xlsx_with_month(target: Path, cells: dict[str, str], month: tuple[int, int], columns: Any) -> bytes:
    import openpyxl

    if target.exists():
        book = openpyxl.load_workbook(target)
    else:
        book = openpyxl.Workbook()
        book.active.append(list(HEADER))
    sheet_name = str(getattr(columns, "sheet", "") or "")
    ws = book[sheet_name] if sheet_name and sheet_name in book.sheetnames else book.worksheets[0]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    head, found = _header_index(rows, columns)
    if "satisfaction" not in found and cells["satisfaction"]:
        ws.cell(row=head + 1, column=len(rows[head]) + 1, value=HEADER[-1])
        found["satisfaction"] = len(rows[head])
    target_row = next((i + 1 for i, row in enumerate(rows[head + 1:], start=head + 1)
                       if found["period"] < len(row) and _same_month(row[found["period"]], month)), ws.max_row + 1)
    for key, index in found.items():
        value = _number(key, cells.get(key, ""))
        cell = ws.cell(row=target_row, column=index + 1, value=value)
        if key == "satisfaction":
            cell.number_format = "0.0"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
