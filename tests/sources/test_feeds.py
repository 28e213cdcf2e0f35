"""Real VnExpress captures and a hostile corpus generated here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from broadcast.errors import SourceError
from broadcast.sources.feeds import parse, read_feed

from .conftest import REAL_FEEDS, item, rss


@pytest.mark.parametrize("path", REAL_FEEDS, ids=lambda p: p.name)
def test_real_feeds_become_clean_dated_items(path: Path) -> None:
    result = read_feed(str(path), timeout=5)
    assert len(result.items) == 25
    assert result.warnings == ()
    for news in result.items:
        assert news.title and news.summary
        assert "<" not in news.summary and "&" not in news.summary and "\n" not in news.title
        assert news.link.startswith("http://") and news.link.strip() == news.link
        assert news.guid == news.link
        assert news.published is not None and news.published.year == 2017


def test_real_feed_keeps_vietnamese_letters_and_drops_image_links() -> None:
    result = read_feed(str(REAL_FEEDS[0]), timeout=5)
    first = result.items[0]
    assert first.title == "Bộ Nông nghiệp kiểm tra vết rạn nứt trên thân đập dâng ở Hà Tĩnh"
    assert "img" not in first.summary and "vnecdn" not in first.summary


def test_html_scripts_images_and_entities_are_cleaned() -> None:
    description = ("<![CDATA[<p><img src='x.jpg'/>Bộ phận <b>một&nbsp;cửa</b> &amp; UBND xã</p>"
                   "<script>alert('x')</script><style>p{}</style>\n\n   tiếp nhận &#273;ủ hồ sơ.]]>")
    data = rss(item("Tin &lt;b&gt;CCHC&lt;/b&gt;", guid="g", description=description)).encode()
    news = parse(data, "t.xml").items[0]
    assert news.title == "Tin CCHC"
    assert news.summary == "Bộ phận một cửa & UBND xã tiếp nhận đủ hồ sơ."


def test_split_cdata_is_joined() -> None:
    description = "<![CDATA[Hồ sơ <b>trực]]><![CDATA[ tuyến</b> đạt 61,5%]]>"
    news = parse(rss(item("Tin", guid="g", description=description)).encode(), "t.xml").items[0]
    assert news.summary == "Hồ sơ trực tuyến đạt 61,5%"


def test_template_injection_is_kept_as_literal_text() -> None:
    data = rss(item("Thủ tục {{ 7*7 }} {% raw %}", guid="g", description="{{ config }} hồ sơ")).encode()
    news = parse(data, "t.xml").items[0]
    assert news.title == "Thủ tục {{ 7*7 }} {% raw %}"
    assert news.summary == "{{ config }} hồ sơ"


def test_empty_items_and_items_without_link_or_date() -> None:
    body = ("<item></item><item><title> </title><description></description></item>"
            + item("Không có liên kết", date="") + item("Có liên kết", link="http://x.vn/a"))
    result = parse(rss(body).encode(), "t.xml")
    assert [i.title for i in result.items] == ["Không có liên kết", "Có liên kết"]
    assert result.items[0].published is None
    assert result.items[0].guid.startswith("title:")
    assert result.items[1].guid == "http://x.vn/a"
    assert any("2 mục tin trống" in w for w in result.warnings)


def test_malformed_xml_still_yields_what_can_be_read() -> None:
    body = item("Tin một", guid="a") + "<item><title>Tin hai & ba</title><guid>b</guid><description>x</item>"
    result = parse(rss(body).encode(), "hong.xml")
    assert result.items[0].title == "Tin một"
    assert any("XML bị lỗi" in w for w in result.warnings)


def test_garbage_is_a_source_error_naming_the_feed() -> None:
    with pytest.raises(SourceError, match=r"rac\.xml"):
        parse(b"\x00\x01 this is not a feed at all", "/tmp/rac.xml")
    with pytest.raises(SourceError, match=r"rac\.html"):
        parse(b"<html><body><h1>502 Bad Gateway</h1></body></html>", "rac.html")


def test_ten_thousand_items_are_capped_before_parsing() -> None:
    body = "".join(item(f"Thủ tục {k}", guid=f"g{k}") for k in range(10_000))
    result = parse(rss(body).encode(), "nhieu.xml", max_items=200)
    assert len(result.items) == 200
    assert result.items[-1].title == "Thủ tục 199"
    assert any("hơn 200 mục" in w for w in result.warnings)


def test_huge_local_file_is_read_only_up_to_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "lon.xml"
    one = item("Thủ tục hành chính " + "x" * 900, guid="g").encode()
    with path.open("wb") as handle:
        handle.write(b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>')
        for _ in range(2 * 1024 * 1024 // len(one)):
            handle.write(one)
        handle.truncate(50 * 1024 * 1024 + 1)   # a 50 MB feed (the tail is sparse)
    assert path.stat().st_size > 50 * 1024 * 1024
    result = read_feed(str(path), timeout=5, max_bytes=256 * 1024, max_items=100_000)
    assert 200 < len(result.items) < 300
    assert any("lớn hơn 0,2 MB: chỉ đọc phần đầu" in w for w in result.warnings)


def test_published_date_is_utc() -> None:
    news = parse(rss(item("T", guid="g", date="Tue, 24 Nov 2026 08:00:00 +0700")).encode(), "t.xml").items[0]
    assert news.published == dt.datetime(2026, 11, 24, 1, 0, tzinfo=dt.UTC)
