"""News from RSS/Atom feeds: fetch (``fetch.py``), repair (``decode.py``), parse with feedparser.

A feed that cannot be read at all is a ``SourceError`` the build turns into a
warning; everything short of that (a lying encoding label, a banner before the
root element, a cut document, empty items) is repaired and reported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import xml.sax
from dataclasses import dataclass
from pathlib import Path

import feedparser

from broadcast import vnformat
from broadcast.errors import SourceError
from broadcast.models import NewsItem
from broadcast.sources.decode import repair
from broadcast.sources.fetch import FeedCache, Fetched, fetch, is_url
from broadcast.sources.text import clean_text

MB = 1024 * 1024


@dataclass(frozen=True)
class FeedResult:
    """The items of one feed and what was wrong with it (Vietnamese, one line each)."""

    feed: str
    items: tuple[NewsItem, ...]
    warnings: tuple[str, ...] = ()
    stale: bool = False


def label(feed: str) -> str:
    """How a feed is named in warnings: its URL, or its file name."""
    return feed if is_url(feed) else Path(feed).name


def _published(entry: feedparser.FeedParserDict) -> dt.datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        year, month, day, hour, minute, second = parsed[:6]
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
    except (TypeError, ValueError):
        return None


def _guid(entry: feedparser.FeedParserDict, link: str, title: str) -> str:
    guid = str(entry.get("id", "") or "").strip()
    if guid:
        return guid
    if link:
        return link
    return "title:" + hashlib.sha1(title.casefold().encode("utf-8")).hexdigest()[:16]


def parse(data: bytes, feed: str, *, max_items: int = 300, truncated: bool = False, max_bytes: int | None = None,
          charset: str | None = None, stale: bool = False) -> FeedResult:
    """Repaired, capped, parsed: the feed's items as plain text, with what was repaired."""
    name = label(feed)
    fixed = repair(data, max_items=max_items, truncated=truncated, hint=charset)
    warnings = [f"Nguồn tin {name}: {note}." for note in fixed.notes]
    size = f"lớn hơn {vnformat.decimal(max_bytes / MB)} MB" if max_bytes else "quá lớn"
    if fixed.cut_items:
        also = f" ({size})" if truncated else ""
        warnings.append(f"Nguồn tin {name} có hơn {max_items} mục tin{also}: chỉ đọc {max_items} mục đầu, "
                        f"phần còn lại đã bị bỏ.")
    elif truncated:
        warnings.append(f"Nguồn tin {name} {size}: chỉ đọc phần đầu, gồm {fixed.items} mục tin trọn vẹn; "
                        f"phần còn lại đã bị bỏ.")
    try:
        parsed = feedparser.parse(fixed.text.encode("utf-8"),
                                  response_headers={"content-type": "application/xml; charset=utf-8"})
    except Exception as exc:  # feedparser is lenient, but a parser bug must not stop the build
        raise SourceError(f"Nguồn tin {name} không phân tích được ({type(exc).__name__}: {exc}).") from exc
    problem = parsed.get("bozo_exception")
    if not parsed.entries:
        detail = f" ({problem})" if problem else ""
        raise SourceError(f"Nguồn tin {name} không có mục tin nào đọc được{detail}. "
                          f"Hãy kiểm tra địa chỉ hoặc tệp nguồn tin.")
    if isinstance(problem, xml.sax.SAXException):
        warnings.append(f"Nguồn tin {name}: tài liệu XML bị lỗi ({problem}); đã đọc được "
                        f"{len(parsed.entries)} mục tin.")
    items: list[NewsItem] = []
    empty = 0
    for entry in parsed.entries[:max_items]:
        title = clean_text(entry.get("title", "") or "")
        summary = clean_text(entry.get("summary", "") or entry.get("description", "") or "")
        if not title and not summary:
            empty += 1
            continue
        link = str(entry.get("link", "") or "").strip()
        items.append(NewsItem(title=title, summary=summary, link=link, guid=_guid(entry, link, title or summary),
                              published=_published(entry), feed=feed, stale=stale))
    if empty:
        warnings.append(f"Nguồn tin {name}: {empty} mục tin trống (không tiêu đề, không nội dung) đã bị bỏ.")
    return FeedResult(feed=feed, items=tuple(items), warnings=tuple(warnings), stale=stale)


def _stale_note(feed: str, fetched: Fetched) -> str:
    when = f"bản lưu ngày {fetched.fetched:%d/%m/%Y %H:%M}" if fetched.fetched else "bản lưu cũ"
    return (f"Nguồn tin {label(feed)}: {fetched.failure}; dùng {when} (tin có thể đã cũ). "
            f"Hãy kiểm tra lại kết nối hoặc địa chỉ nguồn tin.")


def read_feed(feed: str, *, timeout: float, max_bytes: int = 5 * 1024 * 1024, max_items: int = 300,
              cache: Path | None = None, now: dt.datetime | None = None) -> FeedResult:
    """Fetch and parse one feed; SourceError only when nothing at all can be read."""
    fetched = fetch(feed, timeout=timeout, max_bytes=max_bytes, cache=FeedCache(cache) if cache else None, now=now)
    result = parse(fetched.data, feed, max_items=max_items, truncated=fetched.truncated, max_bytes=max_bytes,
                   charset=fetched.charset, stale=fetched.stale)
    if fetched.stale:
        return FeedResult(feed=feed, items=result.items, warnings=(_stale_note(feed, fetched), *result.warnings),
                          stale=True)
    return result

