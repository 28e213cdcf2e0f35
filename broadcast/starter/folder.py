"""Write a commune's ready folder: config.toml, faq/, thong-ke.xlsx.

Nothing that exists is ever overwritten: an officer who runs ``broadcast init``
twice keeps every file they edited, and is told which ones were kept.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import textwrap
from pathlib import Path
from typing import Any

from broadcast.config.loader import _section_types, _toml_value
from broadcast.files import write_bytes, write_text
from broadcast.starter.answers import Answers

STATS_FILE = "thong-ke.xlsx"
FAQ_DIR = "faq"
FAQ_FILE = "mau.toml"
STATS_HEADER = ("Kỳ báo cáo", "Hồ sơ tiếp nhận", "Giải quyết đúng hạn", "Giải quyết quá hạn", "Nộp trực tuyến",
                "Hài lòng (%)", "Văn bản xin lỗi")


def _help(section: str, key: str) -> str:
    fields = {f.name: f for f in dataclasses.fields(_section_types()[section])}
    return str(fields[key].metadata["help"])


def _commented(section: str, values: dict[str, Any]) -> list[str]:
    out = [f"[{section}]"]
    for key, value in values.items():
        out += ["# " + line for line in textwrap.wrap(_help(section, key), 96)]
        out.append(f"{key} = {_toml_value(value)}")
    return [*out, ""]


def config_text(answers: Answers) -> str:
    """config.toml for one commune: the settings an officer changes, each with its Vietnamese help."""
    head = f"""\
# Cấu hình chuyên mục Cải cách hành chính của {answers.commune}, tạo bằng "broadcast init".
# Sửa tệp này bằng Notepad (lưu dạng UTF-8). Dòng bắt đầu bằng # là lời giải thích, không có tác dụng.
# Chữ phải nằm trong ngoặc kép "..."; số và true/false thì không. Muốn có dấu ngoặc kép trong một
# đoạn chữ, hãy dùng ngoặc kép cong “ ” hoặc viết \\". Đường dẫn trên Windows viết bằng dấu gạch
# chéo xuôi: "D:/truyen-thanh/thong-ke.xlsx". Mọi khóa khác (giọng đọc, âm thanh…) đã có giá trị
# mặc định; lệnh "broadcast config show" in toàn bộ cấu hình kèm lời giải thích.

"""
    parts = [
        _commented("station", {"commune": answers.commune, "name": answers.station_name,
                               "dialect": answers.dialect, "timezone": "Asia/Ho_Chi_Minh"}),
        _commented("column", {"title": "Cải cách hành chính", "target_minutes": answers.minutes,
                              "news_items": 5, "faq_items": 3}),
        [*_commented("sources", {"statistics": STATS_FILE, "faq": FAQ_DIR})[:-1],
            "# Danh sách nguồn tin (RSS) của cổng thông tin tỉnh, xã… mỗi địa chỉ trong ngoặc kép,",
            "# cách nhau bằng dấu phẩy. Ví dụ:",
            '#   feeds = ["https://vnexpress.net/rss/thoi-su.rss", "https://congthongtin.example.vn/rss"]',
            "# Để trống [] thì chuyên mục chỉ có kết quả giải quyết hồ sơ và hỏi – đáp.",
            "feeds = []", ""],
        _commented("review", {"host": "127.0.0.1", "port": 8080}),
        ["# Lịch chạy tự động (lệnh \"broadcast schedule\", cài bằng \"broadcast schedule install\").",
         "# Dạng cron \"phút giờ ngày tháng thứ\": thứ 1 = thứ Hai … 6 = thứ Bảy, 0 = Chủ nhật.",
         *_commented("schedule", {"build": answers.build_cron(), "remind": answers.remind_cron(),
                                  "publish": answers.publish_cron(), "policy": "hold"})],
    ]
    return head + "\n".join(line for part in parts for line in part)


FAQ_STARTER = """\
# Ngân hàng hỏi – đáp của xã. Mỗi câu là một mục [[entry]]; thêm câu mới bằng cách chép cả
# khối dưới đây rồi sửa. Mỗi tệp .toml trong thư mục faq/ đều được đọc. Một mục viết sai chỉ
# làm mất mục đó (bản dựng sẽ báo tệp, dòng và cách sửa); các mục khác vẫn được dùng.
#
#   id          mã riêng của câu, không dấu, không trùng (bắt buộc)
#   topic       lĩnh vực, ví dụ "Hộ tịch" (bắt buộc)
#   question    câu hỏi, đọc nguyên văn trên sóng (bắt buộc)
#   answer      câu trả lời; dài thì đặt trong ba dấu ngoặc kép \"\"\" ... \"\"\" (bắt buộc)
#   tags        các từ khóa; "thang-9" để ưu tiên phát trong tháng 9
#   priority    1 (ưu tiên) … 3 (ít ưu tiên); mặc định 2
#   valid_from  ngày bắt đầu được phát, ví dụ 2026-01-01 hoặc "01/01/2026"
#   valid_until ngày hết hiệu lực (khi văn bản pháp luật thay đổi), ví dụ 2027-12-31
#   source      căn cứ pháp lý
#   answers_inbox  mã các câu hỏi của người dân (lệnh "broadcast inbox") mà câu này trả lời
#
# Trong đoạn chữ, không gõ dấu " trần: dùng ngoặc kép cong “ ” hoặc viết \\".

[[entry]]
id = "khai-sinh-dung-han"
topic = "Hộ tịch"
tags = ["khai sinh", "trẻ em"]
priority = 1
valid_from = 2025-07-01
valid_until = "31/12/2027"
question = "Con tôi mới sinh. Tôi phải làm giấy khai sinh cho cháu trong bao lâu và có mất tiền không?"
answer = \"\"\"Cha hoặc mẹ đăng ký khai sinh cho con trong vòng 60 ngày kể từ ngày sinh. Bà con mang giấy \
chứng sinh và thẻ căn cước đến Bộ phận Một cửa của Ủy ban nhân dân xã. Đăng ký đúng hạn thì không mất lệ phí. \
Bà con cũng có thể nộp hồ sơ trên ứng dụng VNeID mà không cần đến trụ sở.\"\"\"
source = "Luật Hộ tịch năm 2014"

[[entry]]
id = "can-cuoc-doi-the"
topic = "Căn cước"
tags = ["căn cước", "định danh điện tử"]
priority = 2
question = "Thẻ căn cước công dân cũ của tôi còn dùng được không?"
answer = \"\"\"Thẻ căn cước công dân đã cấp vẫn dùng được đến hết thời hạn in trên thẻ. Bà con không phải \
đổi thẻ sớm. Khi thẻ hết hạn, bà con làm thủ tục cấp thẻ căn cước mới tại Công an xã.\"\"\"
source = "Luật Căn cước năm 2023"
"""


def workbook(today: dt.date) -> bytes:
    """thong-ke.xlsx: the columns the statistics reader expects and one example month (last month)."""
    from openpyxl import Workbook  # late: only init writes spreadsheets
    from openpyxl.styles import Font

    last = (today.replace(day=1) - dt.timedelta(days=1))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Thống kê"
    sheet.append(list(STATS_HEADER))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append([f"{last.month:02d}/{last.year}", 420, 401, 3, 275, 96.5, 3])
    for column, width in zip("ABCDEFG", (14, 18, 22, 20, 18, 14, 18), strict=True):
        sheet.column_dimensions[column].width = width
    note = book.create_sheet("Hướng dẫn")
    for line in ("Mỗi tháng một dòng ở trang \"Thống kê\". Kỳ báo cáo ghi dạng tháng/năm, ví dụ 11/2026.",
                 "Dòng mẫu là số liệu giả định: hãy thay bằng số liệu thật của Bộ phận Một cửa.",
                 "Số ghi không có dấu chấm phân cách (1245, không phải 1.245); tỷ lệ hài lòng ghi 96,5 hoặc 96.5.",
                 "Cột \"Văn bản xin lỗi\": số văn bản xin lỗi đã thật sự gửi người dân vì hồ sơ trễ hạn. "
                 "Chỉ khi cột này có số, chương trình mới đọc câu xin lỗi."):
        note.append([line])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_folder(folder: Path, answers: Answers, *, today: dt.date) -> tuple[list[Path], list[Path]]:
    """Write the files that do not exist yet; (written, kept)."""
    planned: list[tuple[Path, bytes]] = [
        (folder / "config.toml", config_text(answers).encode("utf-8")),
        (folder / FAQ_DIR / FAQ_FILE, FAQ_STARTER.encode("utf-8")),
        (folder / STATS_FILE, workbook(today)),
    ]
    written, kept = [], []
    for path, data in planned:
        if path.exists():
            kept.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".toml":
            write_text(path, data.decode("utf-8"))
        else:
            write_bytes(path, data)
        written.append(path)
    return written, kept
