"""News from RSS/Atom feeds, by URL or local file, read with feedparser."""

from __future__ import annotations

import datetime as dt
import re
import urllib.error
import urllib.request
from pathlib import Path

import feedparser

from broadcast.errors import SourceError
from broadcast.models import NewsItem
from broadcast.sources.text import clean_text

USER_AGENT = "broadcast/0.1 (commune radio CCHC column; +https://example.invalid/broadcast)"
MAX_BYTES = 10 * 1024 * 1024


def fetch(feed: str, *, timeout: float) -> bytes:
    """The feed's bytes, from the web or from disk; SourceError naming the feed on failure."""
    if re.match(r"^https?://", feed):
        request = urllib.request.Request(feed, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                data: bytes = response.read(MAX_BYTES + 1)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise SourceError(f"Không tải được nguồn tin {feed}: {exc}") from exc
    else:
        try:
            data = Path(feed).read_bytes()[: MAX_BYTES + 1]
        except OSError as exc:
            raise SourceError(f"Không đọc được tệp nguồn tin {feed}: {exc.strerror}") from exc
    if len(data) > MAX_BYTES:
        raise SourceError(f"Nguồn tin {feed} lớn hơn {MAX_BYTES // 1024 // 1024} MB; đã bỏ qua.")
    return data


def _published(entry: feedparser.FeedParserDict) -> dt.datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    year, month, day, hour, minute, second = parsed[:6]
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)


def parse(data: bytes, feed: str) -> list[NewsItem]:
    """Entries with a title or a text; an unparseable document is a SourceError."""
    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = parsed.get("bozo_exception")
        detail = f": {reason}" if reason else ""
        raise SourceError(f"Nguồn tin {feed} không có mục tin nào đọc được{detail}.")
    items = []
    for entry in parsed.entries:
        title = clean_text(entry.get("title", ""))
        summary = clean_text(entry.get("summary", "") or entry.get("description", ""))
        if not title and not summary:
            continue
        link = entry.get("link", "") or ""
        items.append(NewsItem(title=title, summary=summary, link=link, guid=entry.get("id", "") or link or title,
                              published=_published(entry), feed=feed))
    return items


def read_feed(feed: str, *, timeout: float) -> list[NewsItem]:
    return parse(fetch(feed, timeout=timeout), feed)


def relevant(item: NewsItem, keywords: list[str]) -> bool:
    """Keep an item whose title or text mentions one of the keywords."""
    if not keywords:
        return True
    haystack = f"{item.title} {item.summary}".casefold()
    return any(k.casefold() in haystack for k in keywords)
