"""The review site as an attacker meets it: foreign Host headers, idle connections, oversized bodies.

A real waitress server on a free loopback port, raw requests over sockets.
"""

from __future__ import annotations

import dataclasses
import socket
import time

import pytest

from broadcast.config import Settings
from broadcast.review.web import create_app, make_server
from broadcast.review.web.connections import create_server
from broadcast.review.web.hosts import host_part, local_addresses, policy

from .live import get, raw, running, status

REFUSED = "Địa chỉ truy cập không hợp lệ".encode()


def test_foreign_host_gets_400(settings: Settings) -> None:
    with running(make_server(settings, host="127.0.0.1", port=0)) as port:
        for host in [f"127.0.0.1:{port}", f"localhost:{port}", "localhost", f"[::1]:{port}", "127.0.0.1",
                     f"LOCALHOST:{port}"]:
            answer = get(port, host=host)
            assert status(answer) == 200, (host, answer[:200])
        for host in ["evil.example", f"evil.example:{port}", f"127.0.0.1.evil.example:{port}",
                     f"localhost.evil.example:{port}", "[::1", f"127.0.0.1:{port}:1", "127.0.0.1:80x",
                     "local host", "xn--80ak6aa92e.com", ""]:
            answer = get(port, host=host)
            assert status(answer) == 400 and REFUSED in answer, host
        for path in ["/static/style.css", "/login", "/episodes/1", "/onair/podcast.xml"]:  # every path, static too
            assert status(get(port, path, host="rebind.evil.example")) == 400, path
        # HTTP/1.0 without any Host header
        answer = raw(port, b"GET / HTTP/1.0\r\n\r\n")
        assert status(answer) == 400 and REFUSED in answer


def test_configured_names_and_own_addresses_are_allowed(settings: Settings) -> None:
    secured = dataclasses.replace(settings, review=dataclasses.replace(
        settings.review, site_names=["Phong-VH.local"], base_url="http://may-xa.lan:8080/onair/"))
    client = create_app(secured).test_client()  # bound on loopback: the PC's LAN addresses are not on the list
    for host in ["phong-vh.local", "may-xa.lan:8080", "127.0.0.2", "localhost"]:
        assert client.get("/", headers={"Host": host}).status_code == 200, host
    for host in ["evil.example", "10.11.12.13", "phong-vh.local.evil.example"]:
        assert client.get("/", headers={"Host": host}).status_code == 400, host

    lan = policy("0.0.0.0", base_url=secured.review.base_url)
    own = local_addresses()
    assert own, "the machine has at least one address"
    for address in own:
        assert lan.allows(host_part(f"[{address}]" if ":" in address else address) or "", local_addresses)
    assert lan.allows(socket.gethostname().lower(), local_addresses)
    assert not lan.allows("203.0.113.77", local_addresses) and not lan.allows("evil.example", local_addresses)
    assert not policy("127.0.0.1").allows(next(iter(own - {"127.0.0.1", "::1"}), "203.0.113.1"), local_addresses)


def test_idle_connections_cannot_lock_out_the_officer(settings: Settings) -> None:
    """200 idle sockets from one address (127.0.0.2) leave the site answering everyone else, and are cut."""
    app = create_app(settings)
    server = create_server(app, host="127.0.0.1", port=0, max_body=1024 * 1024, channel_timeout=2,
                           cleanup_interval=0.5)
    with running(server) as port:
        idle = []
        for _ in range(200):
            sock = socket.socket()
            sock.bind(("127.0.0.2", 0))
            sock.connect(("127.0.0.1", port))
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # a request never finished
            idle.append(sock)
        try:
            started = time.monotonic()
            assert status(get(port, host="127.0.0.1")) == 200
            assert time.monotonic() - started < 3
            # the connections beyond the per-address limit were closed at once, the rest after the idle timeout
            deadline = time.monotonic() + 10
            closed = sum(was_closed(sock, deadline) for sock in idle)
            assert closed == 200
        finally:
            for sock in idle:
                sock.close()


def was_closed(sock: socket.socket, deadline: float) -> bool:
    sock.settimeout(max(0.1, deadline - time.monotonic()))
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_request_body_is_capped_before_it_is_read(settings: Settings) -> None:
    server = make_server(settings, host="127.0.0.1", port=0)
    cap = create_app(settings).config["MAX_CONTENT_LENGTH"]
    with running(server) as port:
        started = time.monotonic()
        answer = raw(port, (f"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {cap + 1}\r\n"
                            "Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n\r\n").encode())
        assert status(answer) == 413
        assert time.monotonic() - started < 5  # answered without waiting for a body that never comes


@pytest.mark.parametrize("header, expected", [("127.0.0.1:8080", "127.0.0.1"), ("[::1]:8080", "::1"),
                                              ("LocalHost", "localhost"), ("a..b", None), ("-a.b", None),
                                              ("[0:0:0:0:0:0:0:1]", "::1"), ("a" * 300, None)])
def test_host_part(header: str, expected: str | None) -> None:
    assert host_part(header) == expected
