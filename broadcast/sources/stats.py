"""The one-stop shop's monthly figures, from a CSV export with Vietnamese number formats."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from broadcast.errors import DataError, SourceError
from broadcast.models import StatsPeriod, StatsReport

# Column header in the export → field. Lower-cased, spaces collapsed.
COLUMNS = {
    "period": ("kỳ báo cáo", "kỳ", "period", "tháng"),
    "received": ("hồ sơ tiếp nhận", "tiếp nhận", "received"),
    "on_time": ("giải quyết đúng hạn", "đúng hạn", "resolved_on_time", "on_time"),
    "late": ("giải quyết quá hạn", "quá hạn", "resolved_late", "late"),
    "online": ("nộp trực tuyến", "trực tuyến", "submitted_online", "online"),
    "satisfaction": ("hài lòng (%)", "hài lòng", "satisfaction", "satisfaction_pct"),
}
REQUIRED = ("period", "received", "on_time", "late", "online")


def parse_int(text: str) -> int:
    """'1.245' or '1 245' or '1245' → 1245."""
    cleaned = re.sub(r"[.\s\u00a0]", "", text.strip())
    if not re.fullmatch(r"\d+", cleaned):
        raise ValueError(text)
    return int(cleaned)


def parse_percent(text: str) -> float:
    """'96,2' or '96,2 %' or '96.2' → 96.2."""
    cleaned = text.strip().rstrip("%").strip().replace(",", ".")
    value = float(cleaned)
    if not 0 <= value <= 100:
        raise ValueError(text)
    return value


def parse_period(text: str) -> tuple[int, int]:
    """'11/2026', 'Tháng 11/2026' or '2026-11' → (2026, 11)."""
    t = text.strip().lower().removeprefix("tháng").strip()
    m = re.fullmatch(r"(\d{1,2})\s*[/.-]\s*(\d{4})", t) or None
    if m:
        month, year = int(m.group(1)), int(m.group(2))
    else:
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", t)
        if not m:
            raise ValueError(text)
        year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        raise ValueError(text)
    return year, month


def _header_map(header: list[str], path: Path) -> dict[str, int]:
    normal = [re.sub(r"\s+", " ", h.strip().lower()) for h in header]
    found: dict[str, int] = {}
    for key, names in COLUMNS.items():
        for i, h in enumerate(normal):
            if h in names:
                found[key] = i
                break
    missing = [COLUMNS[k][0] for k in REQUIRED if k not in found]
    if missing:
        raise DataError(f"{path.name}, dòng 1: thiếu cột {', '.join(repr(m) for m in missing)}. "
                        f"Hãy đặt tên cột như trong tệp mẫu.")
    return found


def read_stats(path: Path) -> list[StatsPeriod]:
    """Every row, validated; DataError names the file, the row and the column."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"Không đọc được tệp thống kê {path}: {exc}") from exc
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        raise DataError(f"{path.name}: tệp thống kê trống.")
    columns = _header_map(rows[0], path)
    header = rows[0]
    periods = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(key: str, row: list[str] = row) -> str:
            i = columns[key]
            return row[i] if i < len(row) else ""

        def bad(key: str, what: str, number: int = number, cell: Callable[[str], str] = cell) -> DataError:
            return DataError(f"{path.name}, dòng {number}, cột \"{header[columns[key]]}\": "
                             f"giá trị {cell(key)!r} không phải {what}. Hãy sửa ô này.")

        try:
            year, month = parse_period(cell("period"))
        except ValueError:
            raise bad("period", "kỳ báo cáo dạng tháng/năm, ví dụ 11/2026") from None
        values: dict[str, int] = {}
        for key in ("received", "on_time", "late", "online"):
            try:
                values[key] = parse_int(cell(key))
            except ValueError:
                raise bad(key, "một số nguyên (ví dụ 1.245)") from None
        satisfaction = None
        if "satisfaction" in columns and cell("satisfaction").strip():
            try:
                satisfaction = parse_percent(cell("satisfaction"))
            except ValueError:
                raise bad("satisfaction", "một tỷ lệ phần trăm từ 0 đến 100 (ví dụ 96,2)") from None
        if values["on_time"] + values["late"] > values["received"]:
            raise DataError(f"{path.name}, dòng {number}: số hồ sơ giải quyết (đúng hạn + quá hạn) lớn hơn "
                            f"số hồ sơ tiếp nhận. Hãy kiểm tra lại số liệu.")
        if values["online"] > values["received"]:
            raise bad("online", "nhỏ hơn hoặc bằng số hồ sơ tiếp nhận")
        periods.append(StatsPeriod(period=cell("period").strip(), year=year, month=month, satisfaction=satisfaction,
                                   file=str(path), row=number, **values))
    return periods


def report_for(periods: list[StatsPeriod], day: dt.date) -> StatsReport | None:
    """The latest period not after ``day``'s month, and the one before it."""
    eligible = sorted((p for p in periods if (p.year, p.month) <= (day.year, day.month)),
                      key=lambda p: (p.year, p.month))
    if not eligible:
        return None
    current = eligible[-1]
    previous = eligible[-2] if len(eligible) > 1 else None
    return StatsReport(current=current, previous=previous)
