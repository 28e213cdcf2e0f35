"""A real waitress server in a thread, and raw HTTP requests to it (any Host header, any source address)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def running(server: Any) -> Iterator[int]:
    """Serve in a thread; yield the port; stop the loop, every channel and the worker threads."""
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield int(server.effective_port)
    finally:
        from waitress import wasyncore

        server_map = getattr(server, "map", None) or server._map
        server.task_dispatcher.shutdown()
        wasyncore.close_all(server_map)
        thread.join(10)


def raw(port: int, request: bytes, *, source: str = "127.0.0.1", timeout: float = 10) -> bytes:
    """Send ``request`` as it is and read the whole answer (the server closes: Connection: close)."""
    with socket.socket() as sock:
        sock.settimeout(timeout)
        sock.bind((source, 0))
        sock.connect(("127.0.0.1", port))
        sock.sendall(request)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def get(port: int, path: str = "/", *, host: str | None, extra: str = "", source: str = "127.0.0.1") -> bytes:
    head = f"GET {path} HTTP/1.1\r\n" + (f"Host: {host}\r\n" if host is not None else "")
    return raw(port, (head + extra + "Connection: close\r\n\r\n").encode("latin-1"), source=source)


def status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])
