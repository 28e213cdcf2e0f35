"""One-stop statistics from CSV and XLSX, with Vietnamese formats, errors, and derived figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from broadcast.compose import _stats_context
from broadcast.config import StatsColumnSettings
from broadcast.errors import DataError
from broadcast.sources.stats import figures, read_stats, report_for, staleness

from .conftest import to_cp1258

HEADER = ["Kỳ báo cáo", "Hồ sơ tiếp nhận", "Giải quyết đúng hạn", "Giải quyết quá hạn", "Nộp trực tuyến",
          "Hài lòng (%)"]


def write_csv(path: Path, rows: list[list[str]], *, sep: str = ",", encoding: str = "utf-8") -> Path:
    def quote(cell: str) -> str:
        return f'"{cell}"' if sep in cell or "," in cell else cell

    text = "\n".join(sep.join(quote(c) for c in row) for row in [HEADER, *rows]) + "\n"
    path.write_bytes(to_cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[object]], *, title_rows: int = 0, header: list[str] = HEADER,
               percent_col: bool = False) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for k in range(title_rows):
        sheet.append([f"BÁO CÁO KẾT QUẢ GIẢI QUYẾT TTHC (trang {k + 1})"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
        if percent_col:
            sheet.cell(row=sheet.max_row, column=6).number_format = "0.0%"
    book.save(path)
    return path


ROWS = [["09/2026", "1.020", "990", "4", "520", "95,1"],
        ["10/2026", "1.112", "1.080", "2", "612", "96,4 %"]]


def test_csv_with_vietnamese_number_formats(tmp_path: Path) -> None:
    periods = read_stats(write_csv(tmp_path / "s.csv", ROWS))
    assert [(p.year, p.month, p.received, p.on_time, p.satisfaction) for p in periods] == [
        (2026, 9, 1020, 990, 95.1), (2026, 10, 1112, 1080, 96.4)]


def test_excel_csv_with_semicolons_in_windows_1258(tmp_path: Path) -> None:
    periods = read_stats(write_csv(tmp_path / "s.csv", ROWS, sep=";", encoding="cp1258"))
    assert periods[1].received == 1112 and periods[1].satisfaction == 96.4


def test_xlsx_numbers_dates_percent_cells_and_title_rows(tmp_path: Path) -> None:
    rows: list[list[object]] = [[dt.datetime(2026, 9, 1), 1020, 990, 4, 520, 0.951],
                                ["Tháng 10/2026", 1112.0, 1080, 2, 612, 0.964]]
    periods = read_stats(write_xlsx(tmp_path / "s.xlsx", rows, title_rows=2, percent_col=True))
    assert [(p.period, p.received, p.online, p.satisfaction, p.row) for p in periods] == [
        ("09/2026", 1020, 520, 95.1, 4), ("Tháng 10/2026", 1112, 612, 96.4, 5)]


def test_configured_column_names(tmp_path: Path) -> None:
    header = ["Tháng báo cáo", "Tổng hồ sơ nhận", "Trả đúng hẹn", "Trả trễ hẹn", "Qua mạng", "Điểm hài lòng"]
    path = write_xlsx(tmp_path / "s.xlsx", [["11/2026", 10, 8, 1, 5, 90]], header=header)
    with pytest.raises(DataError, match=r"thiếu cột .*stats_columns.received"):
        read_stats(path)
    columns = StatsColumnSettings(period="Tháng báo cáo", received="Tổng hồ sơ nhận", on_time="Trả đúng hẹn",
                                  late="Trả trễ hẹn", online="qua  mạng", satisfaction="Điểm hài lòng")
    [period] = read_stats(path, columns)
    assert (period.received, period.on_time, period.late, period.online, period.satisfaction) == (10, 8, 1, 5, 90)


@pytest.mark.parametrize(("row", "message"), [
    (["10/2026", "1.1x2", "1", "0", "1", ""], r"s\.csv, dòng 3, cột \"Hồ sơ tiếp nhận\" \(B\): giá trị '1.1x2'"),
    (["13/2026", "10", "1", "0", "1", ""], r"dòng 3, cột \"Kỳ báo cáo\" \(A\)"),
    (["10/2026", "10", "1", "0", "1", "120"], r"dòng 3, cột \"Hài lòng \(%\)\" \(F\)"),
    (["10/2026", "10", "9", "5", "1", ""], r"dòng 3, cột \"Giải quyết đúng hạn\" và \"Giải quyết quá hạn\""),
    (["10/2026", "10", "1", "0", "11", ""], r"dòng 3, cột \"Nộp trực tuyến\" \(E\)"),
    (["09/2026", "10", "1", "0", "1", ""], r"dòng 3, cột \"Kỳ báo cáo\": kỳ 9/2026 đã có ở dòng 2"),
    (["10/2026", "", "1", "0", "1", ""], r"dòng 3, cột \"Hồ sơ tiếp nhận\" \(B\): ô trống"),
])
def test_csv_errors_name_file_row_and_column(tmp_path: Path, row: list[str], message: str) -> None:
    with pytest.raises(DataError, match=message):
        read_stats(write_csv(tmp_path / "s.csv", [ROWS[0], row]))


def test_xlsx_errors_name_file_row_and_column(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "mot-cua.xlsx", [["10/2026", 100, 90, 2, 50, 96], ["11/2026", 100, 90.5, 2, 50, 96]],
                      title_rows=1)
    with pytest.raises(DataError, match=r"mot-cua.xlsx, dòng 4, cột \"Giải quyết đúng hạn\" \(C\): giá trị '90.5'"):
        read_stats(path)


def test_unsupported_format_and_missing_sheet(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"\.ods"):
        read_stats(tmp_path / "s.ods")
    path = write_xlsx(tmp_path / "s.xlsx", [["11/2026", 10, 8, 1, 5, 90]])
    with pytest.raises(DataError, match="Tháng 11"):
        read_stats(path, StatsColumnSettings(sheet="Tháng 11"))


def test_derived_figures_and_comparisons(tmp_path: Path) -> None:
    rows = [["09/2026", "1.000", "900", "100", "500", "95"], ["10/2026", "1.245", "1.214", "7", "934", "97,6"]]
    report = report_for(read_stats(write_csv(tmp_path / "s.csv", rows)), dt.date(2026, 11, 27))
    assert report is not None
    stats = figures(report)
    assert stats["on_time_rate"] == pytest.approx(100 * 1214 / 1221)
    assert stats["online_rate"] == pytest.approx(100 * 934 / 1245)
    assert stats["on_time_comparison"] == "tăng 9,4 điểm phần trăm so với tháng trước"   # 99,43 − 90
    assert stats["online_comparison"] == "tăng 25 điểm phần trăm so với tháng trước"      # 75,02 − 50
    assert stats["received_comparison"] == "tăng 245 hồ sơ so với tháng trước"
    assert stats["satisfaction_change"] == "tăng 2,6 điểm phần trăm"
    assert _stats_context(report) == stats
    assert staleness(report, dt.date(2026, 11, 27)) is None
    assert "10/2026" in (staleness(report, dt.date(2027, 1, 5)) or "")


def test_a_missing_month_is_named_in_the_comparison(tmp_path: Path) -> None:
    rows = [["08/2026", "100", "90", "0", "50", ""], ["10/2026", "100", "95", "0", "40", ""]]
    report = report_for(read_stats(write_csv(tmp_path / "s.csv", rows)), dt.date(2026, 10, 30))
    assert report is not None
    stats = figures(report)
    assert stats["online_comparison"] == "giảm 10 điểm phần trăm so với tháng 8/2026"
    assert stats["satisfaction_comparison"] == ""
