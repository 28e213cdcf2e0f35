"""The one-stop shop's monthly figures, from a CSV or XLSX export.

Exports come from different software and hands: a title row or two above the
header, columns named as the commune likes (``[stats_columns]`` in the config),
Vietnamese number formats in text ("1.245", "96,2 %"), real numbers and
percent-formatted cells in Excel, CSV saved by Excel in Windows-1258 with ";"
between fields. Every bad cell stops the read with a DataError naming the
file, the row and the column. Rates and changes are computed here
(``figures``), never copied from the export, so a typo cannot reach the air.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadcast import vnformat
from broadcast.errors import DataError, SourceError
from broadcast.models import StatsPeriod, StatsReport

# Usual header names of each field, lower-cased with spaces collapsed.
COLUMNS = {
    "period": ("kỳ báo cáo", "kỳ", "period", "tháng", "thời gian"),
    "received": ("hồ sơ tiếp nhận", "tiếp nhận", "tổng số hồ sơ tiếp nhận", "số hồ sơ tiếp nhận", "received"),
    "on_time": ("giải quyết đúng hạn", "đúng hạn", "trả đúng hạn", "resolved_on_time", "on_time"),
    "late": ("giải quyết quá hạn", "quá hạn", "trả quá hạn", "resolved_late", "late"),
    "online": ("nộp trực tuyến", "trực tuyến", "hồ sơ trực tuyến", "submitted_online", "online"),
    "satisfaction": ("hài lòng (%)", "hài lòng", "tỷ lệ hài lòng (%)", "tỷ lệ hài lòng", "satisfaction",
                     "satisfaction_pct"),
    "apologies": ("văn bản xin lỗi", "thư xin lỗi", "số văn bản xin lỗi", "xin lỗi", "apologies"),
}
REQUIRED = ("period", "received", "on_time", "late", "online")
_HEADER_SEARCH_ROWS = 10


def _norm(text: object) -> str:
    return re.sub(r"\s+", " ", str(text or "").strip().lower())


def parse_int(value: object) -> int:
    """'1.245', '1 245', '1245', '1,245' or an Excel number 1245.0 → 1245."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        if value != int(value) or value < 0:
            raise ValueError(value)
        return int(value)
    text = str(value).strip()
    if re.fullmatch(r"\d{1,3}(,\d{3})+", text):
        text = text.replace(",", "")
    cleaned = re.sub(r"[.\s\u00a0]", "", text)
    if not re.fullmatch(r"\d+", cleaned):
        raise ValueError(value)
    return int(cleaned)


def parse_percent(value: object, *, fraction: bool = False) -> float:
    """'96,2', '96,2 %', '96.2' or a number → 96.2; ``fraction`` for Excel cells formatted as percent (0.962)."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        number = float(value) * (100 if fraction else 1)
    else:
        text = str(value).strip().rstrip("%").strip().replace("\u00a0", "")
        if not re.fullmatch(r"\d{1,3}([.,]\d+)?", text):
            raise ValueError(value)
        number = float(text.replace(",", "."))
    if not 0 <= number <= 100:
        raise ValueError(value)
    return round(number, 6)


def parse_period(value: object) -> tuple[int, int]:
    """'11/2026', 'Tháng 11/2026', 'T11/2026', '2026-11' or an Excel date → (2026, 11)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year, value.month
    t = _norm(value).removeprefix("tháng").removeprefix("t").strip()
    m = re.fullmatch(r"(\d{1,2})\s*[/.-]\s*(\d{4})", t) or re.fullmatch(r"(\d{1,2})\s*năm\s*(\d{4})", t)
    if m:
        month, year = int(m.group(1)), int(m.group(2))
    else:
        m = re.fullmatch(r"(\d{4})\s*[-/]\s*(\d{1,2})", t)
        if not m:
            raise ValueError(value)
        year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ValueError(value)
    return year, month


@dataclass(frozen=True)
class Cell:
    value: Any
    percent_format: bool = False   # an Excel cell shown as a percentage: the value is a fraction


Row = tuple[int, list[Cell]]   # (row number as the editor sees it, cells)


def _csv_rows(path: Path, data: bytes) -> Iterator[Row]:
    from broadcast.sources.decode import decode

    text, _, _ = decode(data)
    try:
        dialect: Any = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(text.splitlines(), dialect)
    try:
        for row in reader:
            yield reader.line_num, [Cell(c) for c in row]
    except csv.Error as exc:
        raise DataError(f"{path.name}, dòng {reader.line_num}: dòng CSV hỏng ({exc}). Hãy mở lại bằng Excel và "
                        f"lưu dạng CSV.") from exc


def _xlsx_rows(path: Path, sheet: str) -> Iterator[Row]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise SourceError(f"Không mở được tệp Excel {path.name}: {exc}. Hãy lưu lại dạng .xlsx.") from exc
    try:
        if sheet:
            if sheet not in book.sheetnames:
                raise DataError(f"{path.name}: không có trang tính \"{sheet}\" (stats_columns.sheet). "
                                f"Các trang có: {', '.join(book.sheetnames)}.")
            ws = book[sheet]
        else:
            ws = book.worksheets[0]
        for number, row in enumerate(ws.iter_rows(), start=1):
            yield number, [Cell(c.value, "%" in str(getattr(c, "number_format", "") or "")) for c in row]
    finally:
        book.close()


def _rows(path: Path, sheet: str) -> Iterator[Row]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path, sheet)
    if suffix in (".csv", ".txt"):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SourceError(f"Không đọc được tệp thống kê {path}: {exc.strerror}") from exc
        return _csv_rows(path, data)
    raise DataError(f"{path.name}: định dạng tệp thống kê không hỗ trợ ({suffix or 'không có đuôi'}). "
                    f"Hãy xuất ra .csv hoặc .xlsx.")


def _header_map(cells: list[Cell], wanted: Mapping[str, str]) -> dict[str, int]:
    normal = [_norm(c.value) for c in cells]
    found: dict[str, int] = {}
    for key, names in COLUMNS.items():
        chosen = (_norm(wanted[key]),) if wanted.get(key) else names
        for i, h in enumerate(normal):
            if h and h in chosen:
                found[key] = i
                break
    return found


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_stats(path: Path, columns: Any = None, *, problems: list[str] | None = None) -> list[StatsPeriod]:
    """Every period in the export, validated; DataError names the file, the row and the column.

    ``columns`` is a ``StatsColumnSettings`` (or None for the usual names). With
    ``problems`` (a preview before saving), a bad row is described there and
    skipped instead of stopping the read, so the officer sees every bad row at once.
    """
    wanted = {k: str(getattr(columns, k, "") or "") for k in COLUMNS}
    sheet = str(getattr(columns, "sheet", "") or "")
    rows = _rows(path, sheet)
    header: list[Cell] | None = None
    found: dict[str, int] = {}
    best: tuple[int, list[Cell], dict[str, int]] | None = None
    for number, cells in rows:
        found = _header_map(cells, wanted)
        if best is None or len(found) > len(best[2]):
            best = (number, cells, found)
        if all(k in found for k in REQUIRED):
            header = cells
            break
        if number >= _HEADER_SEARCH_ROWS:
            break
    if header is None:
        if best is None:
            raise DataError(f"{path.name}: tệp thống kê trống.")
        number, _, found = best
        missing = [f"\"{wanted[k] or COLUMNS[k][0]}\" (stats_columns.{k})" for k in REQUIRED if k not in found]
        raise DataError(f"{path.name}, dòng {number}: thiếu cột {', '.join(missing)}. Hãy đặt tên cột như trong "
                        f"tệp mẫu hoặc khai báo tên cột trong mục [stats_columns] của tệp cấu hình.")
    names = {k: str(header[i].value).strip() for k, i in found.items()}
    periods: list[StatsPeriod] = []
    seen: dict[tuple[int, int], int] = {}
    for number, cells in rows:
        if not any(str(c.value if c.value is not None else "").strip() for c in cells):
            continue
        try:
            period = _period_of(path, number, cells, found, names, seen)
        except DataError as exc:
            if problems is None:
                raise
            problems.append(str(exc))
            continue
        seen[(period.year, period.month)] = number
        periods.append(period)
    return periods


def _period_of(path: Path, number: int, cells: list[Cell], found: dict[str, int], names: dict[str, str],
               seen: dict[tuple[int, int], int]) -> StatsPeriod:
    """One data row, validated."""

    def cell(key: str) -> Cell:
        i = found[key]
        return cells[i] if i < len(cells) else Cell(None)

    def bad(key: str, what: str) -> DataError:
        value = cell(key).value
        shown = "ô trống" if value is None or str(value).strip() == "" else f"giá trị {str(value)!r}"
        return DataError(f"{path.name}, dòng {number}, cột \"{names[key]}\" ({_column_letter(found[key])}): "
                         f"{shown} không phải {what}. Hãy sửa ô này.")

    try:
        year, month = parse_period(cell("period").value)
    except ValueError:
        raise bad("period", "kỳ báo cáo dạng tháng/năm, ví dụ 11/2026") from None
    values: dict[str, int] = {}
    for key in ("received", "on_time", "late", "online"):
        try:
            values[key] = parse_int(cell(key).value)
        except (ValueError, TypeError):
            raise bad(key, "một số nguyên không âm (ví dụ 1.245)") from None
    satisfaction = None
    if "satisfaction" in found and str(cell("satisfaction").value or "").strip():
        try:
            satisfaction = parse_percent(cell("satisfaction").value, fraction=cell("satisfaction").percent_format)
        except (ValueError, TypeError):
            raise bad("satisfaction", "một tỷ lệ phần trăm từ 0 đến 100 (ví dụ 96,2)") from None
    apologies = None
    if "apologies" in found and str(cell("apologies").value or "").strip():
        try:
            apologies = parse_int(cell("apologies").value)
        except (ValueError, TypeError):
            raise bad("apologies", "một số nguyên không âm (số văn bản xin lỗi đã gửi)") from None
    if values["on_time"] + values["late"] > values["received"]:
        raise DataError(f"{path.name}, dòng {number}, cột \"{names['on_time']}\" và \"{names['late']}\": "
                        f"số hồ sơ giải quyết (đúng hạn + quá hạn = {values['on_time'] + values['late']}) lớn hơn "
                        f"số hồ sơ tiếp nhận ({values['received']}). Hãy kiểm tra lại số liệu.")
    if values["online"] > values["received"]:
        raise bad("online", f"nhỏ hơn hoặc bằng số hồ sơ tiếp nhận ({values['received']})")
    if (year, month) in seen:
        raise DataError(f"{path.name}, dòng {number}, cột \"{names['period']}\": kỳ {month}/{year} đã có ở dòng "
                        f"{seen[(year, month)]}. Mỗi tháng chỉ được một dòng.")
    raw_period = cell("period").value
    period = f"{month:02d}/{year}" if isinstance(raw_period, (dt.date, dt.datetime)) else str(raw_period).strip()
    return StatsPeriod(period=period, year=year, month=month, satisfaction=satisfaction,
                       file=str(path), row=number, apologies=apologies, **values)


def report_for(periods: list[StatsPeriod], day: dt.date) -> StatsReport | None:
    """The latest period not after ``day``'s month, and the one before it."""
    eligible = sorted((p for p in periods if (p.year, p.month) <= (day.year, day.month)),
                      key=lambda p: (p.year, p.month))
    if not eligible:
        return None
    current = eligible[-1]
    previous = eligible[-2] if len(eligible) > 1 else None
    return StatsReport(current=current, previous=previous)


def months_between(a: StatsPeriod, b: StatsPeriod) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def staleness(report: StatsReport, day: dt.date) -> str | None:
    """A warning when the latest figures are older than last month's."""
    cur = report.current
    behind = (day.year - cur.year) * 12 + day.month - cur.month
    if behind > 1:
        return (f"{Path(cur.file).name}: số liệu mới nhất là tháng {cur.month}/{cur.year}, cũ hơn tháng trước. "
                f"Hãy cập nhật số liệu của Bộ phận một cửa.")
    return None


def figures(report: StatsReport) -> dict[str, Any]:
    """Everything the results template may say, derived from the raw counts.

    ``*_change`` is the bare comparison ("tăng 3,2 điểm phần trăm"), ``compared_to``
    names the earlier period ("so với tháng trước", or "so với tháng 8/2026" when
    a month is missing), and ``*_comparison`` joins the two.
    """
    cur, prev = report.current, report.previous
    if prev is None:
        compared_to = ""
    elif months_between(prev, cur) == 1:
        compared_to = "so với tháng trước"
    else:
        compared_to = f"so với tháng {prev.month}/{prev.year}"
    changes = {
        "received_change": vnformat.change(cur.received, prev.received if prev else None, unit="hồ sơ", places=0),
        "on_time_change": vnformat.change(cur.on_time_rate, prev.on_time_rate if prev else None),
        "online_change": vnformat.change(cur.online_rate, prev.online_rate if prev else None),
        "satisfaction_change": vnformat.change(cur.satisfaction, prev.satisfaction if prev else None),
    }
    comparisons = {k.replace("_change", "_comparison"): f"{v} {compared_to}" if v else "" for k, v in changes.items()}
    return {
        "period": cur.period, "month": cur.month, "year": cur.year,
        "received": cur.received, "resolved": cur.resolved, "on_time": cur.on_time, "late": cur.late,
        "online": cur.online, "on_time_rate": cur.on_time_rate, "online_rate": cur.online_rate,
        "satisfaction": cur.satisfaction, "apologies": cur.apologies, "previous": prev, "compared_to": compared_to,
        **changes, **comparisons,
    }
