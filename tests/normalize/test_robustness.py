"""Any input survives: Unicode oddities, huge lines, and normalising twice changes nothing."""

from __future__ import annotations

import time
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from broadcast.normalize import normalize
from tests.normalize.conftest import load_corpus


def test_nfd_input_gives_nfc_output() -> None:
    text = unicodedata.normalize("NFD", "Ủy ban nhân dân xã Hoài Hải tiếp nhận 12 hồ sơ.")
    out = normalize(text)
    assert out == unicodedata.normalize("NFC", out)
    assert out == "Ủy ban nhân dân xã Hoài Hải tiếp nhận mười hai hồ sơ."


def test_newlines_are_kept_and_nothing_else_splits_lines() -> None:
    assert normalize("UBND xã\n- 5 hồ sơ\n\nhết") == "Ủy ban nhân dân xã\nNăm hồ sơ\n\nhết"
    weird = "a\u2028b\u0085c\x0bd\re\x00f\u200bg 😀 中文 Привет"
    assert "\n" not in normalize(weird)


def test_empty_and_blank() -> None:
    assert normalize("") == ""
    assert normalize("   ") == ""


def test_long_line_cost_guard() -> None:
    """A cheap guard only: the 1 MB target (under 2 s) is measured in bench/normalize_speed.py.

    CPU time, not wall time: the test machine may be shared.
    """
    chunk = ("Ngày 27/11/2026, UBND xã tiếp nhận 1.245 hồ sơ (đạt 96,2%) theo 63/2010/NĐ-CP lúc 7h30; "
             "Đ/c Trần Văn B gọi 113, gửi thư về ubnd@tanphu.gov.vn, từ 01-05/12, 1,5 triệu đồng/người/tháng. ")
    line = chunk * (200_000 // len(chunk))
    start = time.process_time()
    out = normalize(line)
    elapsed = time.process_time() - start
    assert "\n" not in out
    assert elapsed < 2.0, elapsed


def test_pathological_runs_are_fast() -> None:
    cases = (
        "1" * 200_000, "1." * 100_000, "A" * 200_000, "-" * 200_000, "/1" * 100_000, "(" * 100_000,
        "a" * 200_000 + "@b.vn", "Gọi " + "1" * 200_000, "x." * 100_000 + "vn", " " * 200_000 + "-",
        "ngày " * 50_000 + "1/2", "Ab" * 100_000, "1h" * 100_000, "IV " * 60_000, "’" * 100_000,
    )
    for text in cases:
        start = time.process_time()
        normalize(text)
        assert time.process_time() - start < 2.0, text[:10]


# A generator of realistic administrative sentences built from the pieces the rules handle.
_PIECES = st.sampled_from([
    "UBND xã", "HĐND huyện", "TTHC", "CCHC", "Bộ phận TN&TKQ", "BHYT", "CCCD", "TP.HCM", "Q.1",
    "ngày 27/11/2026", "01/12", "tháng 4/2026", "quý III/2026", "1-7-2025", "7h30", "14h", "11h00",
    "13 giờ 30", "5/9 huyện", "4.427/6.283", "63/2010/NĐ-CP", "1291/QĐ-UBND", "86-KH/TU",
    "0912.345.678", "1900 9068", "96,2%", "3-5%", "2021-2025", "100.000 – 300.000 đồng",
    "20.000đ/hồ sơ", "2 lần/tuần", "thứ 2", "lần thứ 4", "khóa XV", "thế kỷ XXI", "120 m2", "15 ha",
    "(TTHC)", "“một cửa”", "VNeID", "COVID-19", "ABC", "I", "tiếp nhận", "hồ sơ", "đạt", "và",
    "Xin trân trọng thông báo./.", "- ", "a) ", ",", ".", ";", ":", "?", "1.000.005", "01", "0,5",
    "Đề án 06", "HN", "tổ chức HN", "dichvucong.gov.vn", "&", "+", "…", "😀", "\u0301",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=12))
def test_idempotent_on_generated_admin_text(pieces: list[str]) -> None:
    text = " ".join(pieces)
    once = normalize(text)
    assert normalize(once) == once
    assert not any(c.isdigit() for c in once)
    assert "\n" not in once


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_never_crashes(text: str) -> None:
    out = normalize(text)
    assert out.count("\n") == unicodedata.normalize("NFC", text).replace("\r\n", "\n").count("\n")
    assert out == unicodedata.normalize("NFC", out)


def test_corpus_outputs_are_fixed_points() -> None:
    for row in load_corpus():
        assert normalize(row["spoken"]) == row["spoken"], row["spoken"]
