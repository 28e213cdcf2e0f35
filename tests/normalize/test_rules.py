"""Focused cases per rule family: dates, times, legal numbers, phones, symbols, dialect."""

from __future__ import annotations

import pytest

from broadcast.normalize import normalize as _normalize


def normalize(text: str, dialect: str = "north") -> str:
    """The normaliser with the sentence-initial capital undone, to compare with plain tables."""
    out = _normalize(text, dialect=dialect)
    return out[:1].lower() + out[1:] if text[:1].isdigit() else out


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("ngày 27/11/2026", "ngày hai mươi bảy tháng mười một năm hai nghìn không trăm hai mươi sáu"),
        ("27/11/2026", "ngày hai mươi bảy tháng mười một năm hai nghìn không trăm hai mươi sáu"),
        ("ngày 1-7-2025", "ngày một tháng bảy năm hai nghìn không trăm hai mươi lăm"),
        ("17.5.2018", "ngày mười bảy tháng năm năm hai nghìn không trăm mười tám"),
        ("tháng 4/2026", "tháng tư năm hai nghìn không trăm hai mươi sáu"),
        ("quý III/2026", "quý ba năm hai nghìn không trăm hai mươi sáu"),
        ("ngày 1/8", "ngày một tháng tám"),
        ("5/9 huyện", "năm trên chín huyện"),
    ],
)
def test_dates(written: str, spoken: str) -> None:
    assert normalize(written) == spoken


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("7h30", "bảy giờ ba mươi phút"),
        ("14h", "mười bốn giờ"),
        ("11h00", "mười một giờ"),
        ("08h00’", "tám giờ"),
        ("13 giờ 30", "mười ba giờ ba mươi phút"),
        ("5h30 phút", "năm giờ ba mươi phút"),
    ],
)
def test_times(written: str, spoken: str) -> None:
    assert normalize(written) == spoken


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("63/2010/NĐ-CP", "nghị định số sáu mươi ba năm hai nghìn không trăm mười của Chính phủ"),
        ("1291/QĐ-UBND", "quyết định số một nghìn hai trăm chín mươi mốt của Ủy ban nhân dân xã"),
        ("30c/NQ-CP", "nghị quyết số ba mươi xê của Chính phủ"),
        ("86-KH/TU", "kế hoạch số tám mươi sáu của Tỉnh ủy"),
        ("2231/SNV-CCHC&PC", "hai nghìn hai trăm ba mươi mốt của Sở Nội vụ"),
        ("58/2014/QH13", "năm mươi tám năm hai nghìn không trăm mười bốn của Quốc hội khóa mười ba"),
        ("Thông tư 01/2022/TT-BTP", "Thông tư số không một năm hai nghìn không trăm hai mươi hai của Bộ Tư pháp"),
        ("Thông báo số 215/TB-UBND", "Thông báo số hai trăm mười lăm của Ủy ban nhân dân xã"),
        ("Nghị định 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ",
         "Nghị định số một trăm mười tám năm hai nghìn không trăm hai mươi lăm ngày chín tháng sáu năm "
         "hai nghìn không trăm hai mươi lăm của Chính phủ"),
        ("mẫu số 14-HSB", "mẫu số mười bốn hát ét xì bê"),
    ],
)
def test_legal_numbers_read_type_once_zeros_and_issuer_once(written: str, spoken: str) -> None:
    out = normalize(written)
    assert out == spoken
    assert "/" not in out and not any(c.isdigit() for c in out)


def test_phone_numbers() -> None:
    assert normalize("024 37899999") == "không hai bốn, ba bảy tám chín chín chín chín chín"
    assert normalize("1900 9068") == "một chín không không, chín không sáu tám"


def test_dialect_south() -> None:
    assert normalize("Có 1.005 hồ sơ, 105 hộ.", dialect="south") == (
        "Có một ngàn không trăm linh năm hồ sơ, một trăm linh năm hộ."
    )
    assert normalize("Có 1.005 hồ sơ.") == "Có một nghìn không trăm lẻ năm hồ sơ."


def test_unknown_dialect() -> None:
    with pytest.raises(ValueError, match="dialect"):
        normalize("1", dialect="central")


def test_roman_only_in_context() -> None:
    assert normalize("khóa XV") == "khóa mười lăm"
    assert normalize("Tôi và I") == "Tôi và I"
    assert normalize("Đĩa CD") == "Đĩa xê dê"


def test_case_of_ordinary_words_is_kept() -> None:
    assert normalize("Bộ Tư pháp và UBND tỉnh Gia Lai") == "Bộ Tư pháp và ủy ban nhân dân tỉnh Gia Lai"


def test_day_prefix_mung_for_days_one_to_ten() -> None:
    mung = "Từ ngày mùng một đến ngày mùng năm tháng mười hai, ngày mười lăm tháng mười hai và ngày mùng ba tháng một."
    assert _normalize("Từ 01-05/12, ngày 15/12 và ngày 3/1.", day_prefix="mùng") == mung
    assert _normalize("Ngày 08 tháng 5 họp.", day_prefix="mùng") == "Ngày mùng tám tháng năm họp."
    assert _normalize("mùng 5/12", day_prefix="mùng") == "mùng năm tháng mười hai"
    assert _normalize("Ngày 08 tháng 5 họp.") == "Ngày tám tháng năm họp."
    with pytest.raises(ValueError, match="day prefix"):
        _normalize("1", day_prefix="mồng")


def test_dialect_south_keeps_its_words_in_the_new_rules() -> None:
    south = _normalize("Thông báo số 105/TB-UBND: phụ cấp 1.500.000 đồng/người/tháng.", dialect="south")
    assert south == "Thông báo số một trăm linh năm của Ủy ban nhân dân xã: phụ cấp một triệu năm trăm ngàn đồng " \
                    "một người một tháng."


def test_service_numbers_by_role() -> None:
    assert _normalize("Khi có cháy gọi 114; đã tiếp nhận 114 hồ sơ.") == (
        "Khi có cháy gọi một một bốn; đã tiếp nhận một trăm mười bốn hồ sơ.")
    assert _normalize("Các số khẩn cấp: 113, 114, 115.") == "Các số khẩn cấp: một một ba, một một bốn, một một năm."
