"""The as-played log as a table: for the terminal, CSV and XLSX (what a commune hands to its regulator)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from broadcast.files import write_bytes, write_text
from broadcast.onair.items import PRIORITIES
from broadcast.onair.log import OUTPUT_LABELS, RESULTS, Aired

HEADERS = ("Ngày", "Bắt đầu", "Kết thúc", "Thời lượng (giây)", "Đầu ra", "Nội dung", "Loại", "Mã", "Mức ưu tiên",
           "Giờ phát theo lịch", "Lần thử", "Kết quả", "Mã kiểm tra sha256", "Ghi chú")


def table(rows: list[Aired]) -> list[list[str | float | int]]:
    out: list[list[str | float | int]] = []
    for r in rows:
        first = r.started or r.ended
        out.append([f"{first:%d/%m/%Y}" if first else "", f"{r.started:%H:%M:%S}" if r.started else "",
                    f"{r.ended:%H:%M:%S}" if r.ended else "", round(r.duration_s, 1),
                    OUTPUT_LABELS.get(r.output, r.output), r.title,
                    "số phát" if r.kind == "episode" else "thông báo", r.ref_id, PRIORITIES.get(r.priority, r.priority),
                    r.slot.replace("T", " ")[:16], r.attempt, RESULTS.get(r.result, r.result), r.sha256, r.detail])
    return out


def text(rows: list[Aired]) -> str:
    if not rows:
        return "Chưa có lần phát nào trong khoảng thời gian này.\n"
    lines = []
    for row in table(rows):
        day, start, end, seconds, output, title, _kind, _id, priority, _slot, attempt, result, *_ = row
        lines.append(f"{day} {start or '--:--:--'}–{end or '…'}  {output:<14} {result:<26} "
                     f"{seconds:>7} giây  {title} ({priority}, lần {attempt})")
    return "\n".join(lines) + "\n"


def write_csv(rows: list[Aired], path: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(table(rows))
    write_text(path, "\ufeff" + buffer.getvalue())   # a BOM: Excel then opens the Vietnamese text right


def write_xlsx(rows: list[Aired], path: Path, *, title: str) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Nhật ký phát sóng"
    sheet.append([title])
    sheet.append(list(HEADERS))
    for row in table(rows):
        sheet.append(row)
    for column, width in zip("ABCDEFGHIJKLMN", (12, 10, 10, 10, 16, 40, 10, 6, 10, 18, 8, 24, 66, 50), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    write_bytes(path, buffer.getvalue())
