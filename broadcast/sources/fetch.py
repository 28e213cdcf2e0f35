"""The feed seam: bytes from a portal or a local file, with a cache for bad mornings.

Over HTTP: a timeout that bounds the whole download, a User-Agent that says who
we are, conditional requests (ETag, Last-Modified) so an unchanged feed costs a
304, and a byte cap so a 50 MB feed is cut, not swallowed. Every good download
is kept on disk; when the portal is down the last copy is returned, marked
stale with its date, so the 5 a.m. build still has news. Foreign exceptions
become ``SourceError`` here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadcast.errors import SourceError
from broadcast.files import write_bytes, write_json

USER_AGENT = "broadcast/0.1 (commune radio CCHC column; +https://example.invalid/broadcast)"
_CHUNK = 64 * 1024


def is_url(feed: str) -> bool:
    return re.match(r"^https?://", feed, re.IGNORECASE) is not None


@dataclass(frozen=True)
class Fetched:
    """A feed's bytes as read, and how fresh and complete they are."""

    data: bytes
    truncated: bool = False           # the byte cap cut the document
    stale: bool = False               # the portal failed; this is the cached copy
    fetched: dt.datetime | None = None  # when this copy was downloaded (for stale copies)
    charset: str | None = None        # from the HTTP Content-Type, a hint for decoding
    failure: str = ""                 # why the portal failed, when stale


@dataclass(frozen=True)
class FeedCache:
    """One body file and one JSON file of validators per feed URL."""

    folder: Path

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:24]
        return self.folder / f"{key}.body", self.folder / f"{key}.json"

    def load(self, url: str) -> tuple[bytes, dict[str, Any]] | None:
        body, meta = self._paths(url)
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
            return body.read_bytes(), info
        except (OSError, ValueError):
            return None

    def save(self, url: str, data: bytes, info: dict[str, Any]) -> None:
        body, meta = self._paths(url)
        write_bytes(body, data)
        write_json(meta, {"url": url, **info})


def _read_capped(stream: Any, max_bytes: int, deadline: float) -> tuple[bytes, bool]:
    """At most ``max_bytes`` from ``stream``; a drip-feeding server cannot outlast ``deadline``."""
    parts: list[bytes] = []
    size = 0
    while size <= max_bytes:
        if time.monotonic() > deadline:
            raise TimeoutError("quá thời gian chờ khi đang tải")
        chunk = stream.read(min(_CHUNK, max_bytes + 1 - size))
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
    data = b"".join(parts)
    return (data[:max_bytes], True) if len(data) > max_bytes else (data, False)


def _read_file(path: str, max_bytes: int) -> Fetched:
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise SourceError(f"Không đọc được tệp nguồn tin {path}: {exc.strerror}") from exc
    return Fetched(data=data[:max_bytes], truncated=len(data) > max_bytes)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"máy chủ trả lời lỗi HTTP {exc.code}"
    if isinstance(exc, TimeoutError) or "timed out" in str(exc):
        return "quá thời gian chờ"
    if isinstance(exc, urllib.error.URLError):
        return f"không kết nối được ({exc.reason})"
    return str(exc) or type(exc).__name__


def fetch(feed: str, *, timeout: float, max_bytes: int, cache: FeedCache | None = None,
          now: dt.datetime | None = None) -> Fetched:
    """The feed's bytes, fresh if possible, else the cached copy marked stale; else SourceError."""
    if not is_url(feed):
        return _read_file(feed, max_bytes)
    cached = cache.load(feed) if cache else None
    headers = {"User-Agent": USER_AGENT, "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
                                                   "text/xml;q=0.9, */*;q=0.5"}
    if cached:
        info = cached[1]
        if info.get("etag"):
            headers["If-None-Match"] = info["etag"]
        if info.get("last_modified"):
            headers["If-Modified-Since"] = info["last_modified"]
    now = now or dt.datetime.now(dt.UTC)
    request = urllib.request.Request(feed, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data, truncated = _read_capped(response, max_bytes, time.monotonic() + 2 * timeout)
            charset = response.headers.get_content_charset()
            validators = {"etag": response.headers.get("ETag"),
                          "last_modified": response.headers.get("Last-Modified")}
    except urllib.error.HTTPError as exc:
        if exc.code == 304 and cached:
            return Fetched(data=cached[0], truncated=bool(cached[1].get("truncated")), fetched=_when(cached[1]),
                           charset=cached[1].get("charset"))
        return _fallback(feed, cached, exc)
    except (urllib.error.URLError, OSError, ValueError) as exc:  # TimeoutError is an OSError
        return _fallback(feed, cached, exc)
    if cache:
        try:
            cache.save(feed, data, {**validators, "charset": charset, "truncated": truncated,
                                    "fetched": now.isoformat(timespec="seconds")})
        except OSError:
            pass  # a read-only cache must not cost us the fresh news
    return Fetched(data=data, truncated=truncated, fetched=now, charset=charset)


def _when(info: dict[str, Any]) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(info["fetched"])
    except (KeyError, TypeError, ValueError):
        return None


def _fallback(feed: str, cached: tuple[bytes, dict[str, Any]] | None, exc: BaseException) -> Fetched:
    reason = _reason(exc)
    if not cached:
        raise SourceError(f"Không tải được nguồn tin {feed}: {reason}; chưa có bản lưu nào để dùng thay.") from exc
    data, info = cached
    return Fetched(data=data, truncated=bool(info.get("truncated")), stale=True, fetched=_when(info),
                   charset=info.get("charset"), failure=reason)
