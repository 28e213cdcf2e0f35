"""Fixtures for the sources tests: a real HTTP server on 127.0.0.1 and the hostile corpus."""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
REAL_FEEDS = sorted((DATA / "feeds").glob("*.xml"))


@dataclass
class Route:
    """What the server answers on one path."""

    body: bytes = b""
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    delay_s: float = 0.0
    content_type: str = "application/rss+xml"
    stream: Callable[[], Iterator[bytes]] | None = None   # a body produced on the fly (huge feeds)


@dataclass
class FeedServer:
    """A real HTTP server whose routes the test sets; it records every request's headers."""

    base: str
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def _handler(server_state: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            try:
                self.answer()
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout) or stopped reading at its cap, as it should

        def answer(self) -> None:
            server_state.requests.append((self.path, {k: v for k, v in self.headers.items()}))
            route = server_state.routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            if route.delay_s:
                time.sleep(route.delay_s)
            if route.status == 200 and route.etag and self.headers.get("If-None-Match") == route.etag:
                self.send_response(304)
                self.end_headers()
                return
            if (route.status == 200 and route.last_modified
                    and self.headers.get("If-Modified-Since") == route.last_modified):
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            if route.etag:
                self.send_header("ETag", route.etag)
            if route.last_modified:
                self.send_header("Last-Modified", route.last_modified)
            if route.stream is None:
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)
                return
            self.end_headers()
            for chunk in route.stream():
                self.wfile.write(chunk)

    return Handler


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    state = FeedServer(base="")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


def http_date(seconds: float) -> str:
    return email.utils.formatdate(seconds, usegmt=True)


def rss(items: str, *, declaration: str = '<?xml version="1.0" encoding="UTF-8"?>\n') -> str:
    return (f'{declaration}<rss version="2.0"><channel><title>Thử nghiệm</title>'
            f"<link>http://xa.example.vn/</link>{items}</channel></rss>")


def item(title: str, *, link: str = "", guid: str = "", date: str = "Tue, 24 Nov 2026 08:00:00 +0700",
         description: str = "Hồ sơ thủ tục hành chính được tiếp nhận tại Bộ phận một cửa.") -> str:
    parts = [f"<title>{title}</title>"]
    if link:
        parts.append(f"<link>{link}</link>")
    if guid:
        parts.append(f"<guid>{guid}</guid>")
    if date:
        parts.append(f"<pubDate>{date}</pubDate>")
    parts.append(f"<description>{description}</description>")
    return "<item>" + "".join(parts) + "</item>"


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 stores it: base letters plus combining tone marks."""
    import unicodedata

    out = []
    for char in text:
        try:
            out.append(char.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in parts if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out.append((base + tones).encode("cp1258"))
    return b"".join(out)


def as_cp1252_mojibake(data: bytes) -> str:
    """UTF-8 bytes read as Windows-1252 (undefined bytes pass through as C1 controls)."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data)
