"""Encodings and junk as real portals send them, repaired before feedparser."""

from __future__ import annotations

import codecs

import pytest

from broadcast.sources.decode import cap_items, decode, plausibility, repair
from broadcast.sources.feeds import parse

from .conftest import as_cp1252_mojibake, item, rss, to_cp1258

TITLE = "Xã Đức Hạnh đẩy mạnh tiếp nhận hồ sơ thủ tục hành chính trực tuyến"
BODY = rss(item(TITLE, guid="g1") + item("Người dân được hướng dẫn đăng ký khai sinh", guid="g2"))


def titles(data: bytes) -> list[str]:
    return [i.title for i in parse(data, "thu.xml").items]


def test_plausibility_prefers_real_vietnamese_over_mojibake() -> None:
    good = TITLE
    assert plausibility(good) > 3
    assert plausibility(good.encode("utf-8").decode("cp1252", errors="replace")) < 0


def test_utf8_without_declaration() -> None:
    data = BODY.replace('<?xml version="1.0" encoding="UTF-8"?>\n', "").encode("utf-8")
    assert titles(data)[0] == TITLE


def test_windows_1258_labelled_utf8_is_read_as_1258() -> None:
    data = to_cp1258(BODY)   # Vietnamese Windows code page, but the declaration says UTF-8
    _, codec, notes = decode(data)
    assert codec == "cp1258"
    assert notes and "cp1258" in notes[0]
    assert titles(data)[0] == TITLE


def test_windows_1258_without_declaration() -> None:
    data = to_cp1258(BODY.replace('<?xml version="1.0" encoding="UTF-8"?>\n', ""))
    assert titles(data)[0] == TITLE


@pytest.mark.parametrize("label", ["windows-1252", "windows-1258", "ISO-8859-1"])
def test_utf8_mislabelled_as_a_windows_code_page(label: str) -> None:
    data = BODY.replace('encoding="UTF-8"', f'encoding="{label}"').encode("utf-8")
    result = parse(data, "thu.xml")
    assert result.items[0].title == TITLE
    assert any("utf-8" in w for w in result.warnings)


def test_bom_and_banner_before_the_root_element() -> None:
    banner = "Warning: mysql_connect(): Too many connections in /var/www/rss.php on line 12\n<br/>"
    data = codecs.BOM_UTF8 + (banner + BODY).encode("utf-8")
    result = parse(data, "thu.xml")
    assert result.items[0].title == TITLE
    assert any("ký tự lạ trước phần tử gốc" in w for w in result.warnings)


def test_utf16_with_bom() -> None:
    data = codecs.BOM_UTF16_LE + BODY.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16-le")
    assert titles(data)[0] == TITLE


def test_double_encoded_utf8_is_repaired() -> None:
    mangled = as_cp1252_mojibake(BODY.encode("utf-8")).encode("utf-8")
    assert b"\xc3\x84\xc2\x90" in mangled   # "Đ" twice encoded
    fixed = repair(mangled, max_items=10)
    assert TITLE in fixed.text
    assert any("hai lần" in n for n in fixed.notes)


def test_cap_items_cuts_before_parsing_and_keeps_xml_well_formed() -> None:
    text = rss("".join(item(f"Thủ tục số {k}", guid=f"g{k}") for k in range(50)))
    cut, count, was_cut = cap_items(text, 10, truncated=False)
    assert was_cut and count == 10
    assert cut.endswith("</channel></rss>")
    assert len(parse(cut.encode(), "thu.xml").items) == 10


def test_truncated_document_is_closed_after_its_last_complete_item() -> None:
    text = rss("".join(item(f"Thủ tục số {k}", guid=f"g{k}") for k in range(5)))
    half = text.encode()[: len(text.encode()) * 3 // 5]
    result = parse(half, "thu.xml", truncated=True)
    assert 1 <= len(result.items) < 5
    assert all(i.title.startswith("Thủ tục số") for i in result.items)
    assert any("quá lớn: chỉ đọc phần đầu" in w for w in result.warnings)
