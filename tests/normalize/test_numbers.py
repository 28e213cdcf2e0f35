"""The number-word rules, as a table."""

from __future__ import annotations

import pytest

from broadcast.normalize.numbers import decimal_words, int_words, numeral_words, ordinal_words, roman_value

TABLE = [
    (0, "không"), (1, "một"), (5, "năm"), (10, "mười"), (11, "mười một"), (14, "mười bốn"),
    (15, "mười lăm"), (20, "hai mươi"), (21, "hai mươi mốt"), (24, "hai mươi tư"), (25, "hai mươi lăm"),
    (31, "ba mươi mốt"), (100, "một trăm"), (101, "một trăm lẻ một"), (105, "một trăm lẻ năm"),
    (110, "một trăm mười"), (115, "một trăm mười lăm"), (1000, "một nghìn"),
    (1005, "một nghìn không trăm lẻ năm"), (2026, "hai nghìn không trăm hai mươi sáu"),
    (1245, "một nghìn hai trăm bốn mươi lăm"), (10599, "mười nghìn năm trăm chín mươi chín"),
    (904497, "chín trăm lẻ bốn nghìn bốn trăm chín mươi bảy"), (1_000_000, "một triệu"),
    (1_000_005, "một triệu lẻ năm"), (1_000_025, "một triệu không trăm hai mươi lăm"),
    (1_005_000, "một triệu không trăm lẻ năm nghìn"), (12_000_000_000, "mười hai tỷ"),
    (2_096_499, "hai triệu không trăm chín mươi sáu nghìn bốn trăm chín mươi chín"),
    (1_000_000_000_000, "một nghìn tỷ"),
    (1_000_000_005, "một tỷ lẻ năm"),
    (1_005_000_000, "một tỷ không trăm lẻ năm triệu"),
    (1_234_567_890_123, "một nghìn hai trăm ba mươi tư tỷ năm trăm sáu mươi bảy triệu tám trăm chín mươi nghìn "
                        "một trăm hai mươi ba"),
]


@pytest.mark.parametrize(("n", "spoken"), TABLE)
def test_int_words(n: int, spoken: str) -> None:
    assert int_words(n) == spoken


def test_south_dialect_words() -> None:
    assert int_words(1005, "south") == "một ngàn không trăm linh năm"
    assert int_words(105, "south") == "một trăm linh năm"
    assert int_words(24, "south") == "hai mươi tư"


def test_written_numerals() -> None:
    assert numeral_words("01") == "một"
    assert numeral_words("12.000.000.000") == "mười hai tỷ"
    assert numeral_words("1" * 25) == " ".join(["một"] * 25)


def test_decimals() -> None:
    assert decimal_words("96", "2") == "chín mươi sáu phẩy hai"
    assert decimal_words("3", "75") == "ba phẩy bảy mươi lăm"
    assert decimal_words("0", "05") == "không phẩy không năm"


def test_ordinals_and_roman() -> None:
    assert ordinal_words(1) == "nhất"
    assert ordinal_words(4) == "tư"
    assert ordinal_words(2) == "hai"
    assert roman_value("XIII") == 13
    assert roman_value("XXI") == 21
    assert roman_value("CD") is None
    assert roman_value("IIII") is None
