"""Which ``Host`` headers the review site answers: DNS rebinding stops here.

A page on a foreign site can point its own name at 127.0.0.1 and then talk to
the review site from the officer's browser; the request still carries the
foreign name in ``Host``. So every request whose host part is not on the list
gets 400 before Flask sees it, on loopback too.

The list: any loopback address, ``localhost``, the address the site is bound
to, the host of ``[review] base_url`` (podcast links point at it), the names
in ``[review] site_names`` and, when the site is bound beyond loopback (e.g.
``0.0.0.0``), the PC's own name and addresses. An IP literal cannot be a
rebinding vector, but only the PC's own addresses are accepted all the same.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

WILDCARDS = frozenset({"", "0.0.0.0", "::"})
LOOPBACK_NAMES = frozenset({"localhost"})
LABEL = re.compile(r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?")

REFUSED_PAGE = ("<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Địa chỉ không hợp lệ</title>"
                "</head><body><h1>Địa chỉ truy cập không hợp lệ</h1><p>Trang duyệt bài chỉ trả lời khi được mở "
                "bằng địa chỉ của chính máy này (ví dụ http://127.0.0.1:8080/). Hãy gõ lại địa chỉ đó; nếu cần "
                "thêm tên máy, hãy ghi vào mục [review] site_names của tệp cấu hình.</p></body></html>").encode()


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_part(header: str) -> str | None:
    """The host of a ``Host`` header, lower-case, without port or brackets; None when malformed."""
    value = header.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        name, rest = value[1:end], value[end + 1:]
        if end < 0 or (rest and not re.fullmatch(r":\d{1,5}", rest)):
            return None
        try:
            return str(ipaddress.IPv6Address(name))
        except ValueError:
            return None
    name, colon, port = value.partition(":")
    if colon and not re.fullmatch(r"\d{1,5}", port):
        return None
    labels = name.split(".")
    if len(name) > 253 or not all(LABEL.fullmatch(label) for label in labels):
        return None
    return name


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.split("%", 1)[0])
    except ValueError:
        return None


def local_addresses() -> set[str]:
    """This PC's addresses, from the standard library only (works on Windows too)."""
    found: set[str] = set()
    names = {socket.gethostname(), socket.getfqdn()}
    for name in names:
        try:
            for info in socket.getaddrinfo(name, None):
                found.add(str(info[4][0]))
        except OSError:
            pass
    # The address a packet to a documentation network would leave from: no packet is sent.
    for family, probe in ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1")):
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as sock:
                sock.connect((probe, 9))
                found.add(str(sock.getsockname()[0]))
        except OSError:
            pass
    return {str(ip) for ip in map(_ip, found) if ip is not None}


@dataclass(frozen=True)
class HostPolicy:
    """The names a request may carry; ``lan``: the PC's own addresses count too."""

    names: frozenset[str]
    lan: bool

    def allows(self, name: str, addresses: Callable[[], set[str]]) -> bool:
        if name in self.names:
            return True
        ip = _ip(name)
        if ip is None:
            return False
        return ip.is_loopback or (self.lan and str(ip) in addresses())


def policy(bind_host: str, *, base_url: str = "", site_names: Iterable[str] = ()) -> HostPolicy:
    lan = bind_host in WILDCARDS or not is_loopback(bind_host)
    names = set(LOOPBACK_NAMES) | {n.strip().lower() for n in site_names if n.strip()}
    if bind_host not in WILDCARDS:
        names.add(host_part(bind_host if ":" not in bind_host else f"[{bind_host.strip('[]')}]") or "")
    base = urlsplit(base_url).hostname if base_url else None
    if base:
        names.add(base.lower())
    if lan:
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    names.discard("")
    return HostPolicy(names=frozenset(names), lan=lan)


class HostGuard:
    """WSGI middleware: a request whose Host is not allowed gets 400 and a short Vietnamese page."""

    REFRESH_S = 60.0

    def __init__(self, app: Any, rule: HostPolicy) -> None:
        self.app = app
        self.rule = rule
        self._addresses: set[str] = local_addresses() if rule.lan else set()
        self._read_at = time.monotonic()
        self._lock = threading.Lock()

    def addresses(self) -> set[str]:
        """The PC's addresses, read again at most once a minute (DHCP may hand out a new one)."""
        with self._lock:
            if time.monotonic() - self._read_at > self.REFRESH_S:
                self._addresses, self._read_at = local_addresses(), time.monotonic()
            return self._addresses

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        name = host_part(environ.get("HTTP_HOST", ""))
        if name is None or not self.rule.allows(name, self.addresses):
            start_response("400 Bad Request", [("Content-Type", "text/html; charset=utf-8"),
                                               ("Content-Length", str(len(REFUSED_PAGE))),
                                               ("Cache-Control", "no-store")])
            return [REFUSED_PAGE]
        return self.app(environ, start_response)
