"""Every row of the table in issue 13, "Spoken Vietnamese, part two", read as the announcer column says."""

from __future__ import annotations

import pytest

from broadcast.normalize import normalize

ROWS = [
    ("Hỗ trợ 1,5 triệu đồng/người/tháng.", "Hỗ trợ một phẩy năm triệu đồng một người một tháng."),
    ("Nhà số 25 đường 30/4.", "Nhà số hai mươi lăm đường Ba mươi tháng Tư."),
    ("Từ 01-05/12 cắt điện.", "Từ ngày một đến ngày năm tháng mười hai cắt điện."),
    ("Ngày 5-6/12 tiêm chủng.", "Ngày năm đến ngày sáu tháng mười hai tiêm chủng."),
    ("Gọi đường dây nóng của xã 1022.", "Gọi đường dây nóng của xã một không hai hai."),
    ("113, 114, 115", "Một một ba, một một bốn, một một năm"),
    ("Đ/c Trần Văn B phụ trách v/v triển khai.", "Đồng chí Trần Văn B phụ trách về việc triển khai."),
    ("Thông báo số 215/TB-UBND", "Thông báo số hai trăm mười lăm của Ủy ban nhân dân xã"),
    ("Thông tư 01/2022/TT-BTP", "Thông tư số không một năm hai nghìn không trăm hai mươi hai của Bộ Tư pháp"),
    ("Nghị định 118/2025/NĐ-CP ngày 9/6/2025 của Chính phủ",
     "Nghị định số một trăm mười tám năm hai nghìn không trăm hai mươi lăm ngày chín tháng sáu năm hai nghìn "
     "không trăm hai mươi lăm của Chính phủ"),
    ("Trung tâm PVHCC, KP.3, QL1A, ông A (SN 1960), ĐT liên hệ",
     "Trung tâm phục vụ hành chính công, khu phố ba, quốc lộ một A, ông A, sinh năm một nghìn chín trăm sáu "
     "mươi, điện thoại liên hệ"),
    ("Có 1/2 số hộ; trạm trực 24/24h.", "Có một phần hai số hộ; trạm trực hai mươi tư trên hai mươi tư giờ."),
    ("Đề án 06 đạt kết quả. Xã làm tốt Đề án 06.", "Đề án không sáu đạt kết quả. Xã làm tốt Đề án không sáu."),
    ("ubnd@tanphu.gov.vn", "u bê en đê a còng tê a en pê hát u chấm gốp chấm vê en"),
    ("HTX, CCB, TTXVN", "Hợp tác xã, cựu chiến binh, Thông tấn xã Việt Nam"),
]


@pytest.mark.parametrize(("written", "spoken"), ROWS)
def test_issue13_table_row_reads_as_the_announcer_does(written: str, spoken: str) -> None:
    assert normalize(written) == spoken
    assert "hoặc" not in normalize(written)
