"""HTTP against a real server on 127.0.0.1: validators, failures, timeouts, huge bodies."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from broadcast.errors import SourceError
from broadcast.sources.feeds import read_feed
from broadcast.sources.fetch import USER_AGENT

from .conftest import FeedServer, Route, http_date, item, rss

BODY = rss(item("Xã tiếp nhận hồ sơ trực tuyến", guid="g1") + item("Hướng dẫn thủ tục khai sinh", guid="g2"))
MORNING = dt.datetime(2026, 11, 20, 5, 0, tzinfo=dt.UTC)


def test_user_agent_and_etag_give_a_304_served_from_the_cache(feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.routes["/rss"] = Route(body=BODY.encode(), etag='"v1"')
    url = feed_server.url("/rss")
    first = read_feed(url, timeout=5, cache=tmp_path, now=MORNING)
    second = read_feed(url, timeout=5, cache=tmp_path)
    assert [i.title for i in second.items] == [i.title for i in first.items]
    assert not second.stale and second.warnings == ()
    (_, h1), (_, h2) = feed_server.requests
    assert h1["User-Agent"] == USER_AGENT and "If-None-Match" not in h1
    assert h2["If-None-Match"] == '"v1"'


def test_last_modified_is_sent_back(feed_server: FeedServer, tmp_path: Path) -> None:
    stamp = http_date(time.time() - 3600)
    feed_server.routes["/rss"] = Route(body=BODY.encode(), last_modified=stamp)
    read_feed(feed_server.url("/rss"), timeout=5, cache=tmp_path)
    again = read_feed(feed_server.url("/rss"), timeout=5, cache=tmp_path)
    assert len(again.items) == 2
    assert feed_server.requests[1][1]["If-Modified-Since"] == stamp


def test_server_error_falls_back_to_the_cached_copy_marked_stale(feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.routes["/rss"] = Route(body=BODY.encode())
    read_feed(feed_server.url("/rss"), timeout=5, cache=tmp_path, now=MORNING)
    feed_server.routes["/rss"] = Route(status=500, body=b"Internal Server Error")
    result = read_feed(feed_server.url("/rss"), timeout=5, cache=tmp_path)
    assert result.stale and all(i.stale for i in result.items) and len(result.items) == 2
    assert "HTTP 500" in result.warnings[0] and "20/11/2026" in result.warnings[0]


def test_server_error_without_a_cache_is_a_source_error(feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.routes["/rss"] = Route(status=500, body=b"oops")
    with pytest.raises(SourceError, match=r"HTTP 500.*chưa có bản lưu"):
        read_feed(feed_server.url("/rss"), timeout=5, cache=tmp_path)


def test_slow_portal_times_out_quickly(feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.routes["/rss"] = Route(body=BODY.encode())
    read_feed(feed_server.url("/rss"), timeout=5, cache=tmp_path, now=MORNING)
    feed_server.routes["/rss"] = Route(body=BODY.encode(), delay_s=3)
    started = time.monotonic()
    result = read_feed(feed_server.url("/rss"), timeout=0.5, cache=tmp_path)
    assert time.monotonic() - started < 2.5
    assert result.stale and "quá thời gian chờ" in result.warnings[0]


def test_unreachable_portal_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="không kết nối được"):
        read_feed("http://127.0.0.1:9/rss", timeout=2, cache=tmp_path)


def test_huge_download_is_cut_at_the_byte_cap(feed_server: FeedServer, tmp_path: Path) -> None:
    one = item("Thủ tục hành chính " + "x" * 900, guid="g").encode()

    def fifty_megabytes() -> Iterator[bytes]:
        yield b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        for _ in range(50 * 1024 * 1024 // len(one)):
            yield one

    feed_server.routes["/huge"] = Route(stream=fifty_megabytes)
    result = read_feed(feed_server.url("/huge"), timeout=5, max_bytes=512 * 1024, max_items=100_000,
                       cache=tmp_path)
    assert 400 < len(result.items) < 600
    assert any("lớn hơn 0,5 MB: chỉ đọc phần đầu" in w for w in result.warnings)


def test_charset_from_http_header_is_a_hint(feed_server: FeedServer, tmp_path: Path) -> None:
    undeclared = BODY.replace('<?xml version="1.0" encoding="UTF-8"?>\n', "")
    feed_server.routes["/rss"] = Route(body=undeclared.encode("utf-8"), content_type="text/xml; charset=utf-8")
    result = read_feed(feed_server.url("/rss"), timeout=5, cache=tmp_path)
    assert result.items[0].title == "Xã tiếp nhận hồ sơ trực tuyến"
