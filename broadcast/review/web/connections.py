"""The waitress server of the review site, with limits an idle client cannot exhaust.

waitress stops accepting once ``connection_limit`` sockets are open and only
closes a quiet one after ``channel_timeout``. One client opening idle
connections (before any login) could therefore lock everyone out. Here:

- idle connections (no complete request) are closed after ``CHANNEL_TIMEOUT_S``,
  checked every ``CLEANUP_INTERVAL_S``;
- one client address may hold at most ``PER_ADDRESS`` connections; further ones
  are closed at once, so the total ``CONNECTION_LIMIT`` stays free for others;
- a request body above the site's cap is refused by waitress (413) before it
  is read, and headers are capped too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

CONNECTION_LIMIT = 100
PER_ADDRESS = 20       # a browser opens about 6 per site; a phone and a PC behind one NAT fit easily
CHANNEL_TIMEOUT_S = 30
CLEANUP_INTERVAL_S = 5
THREADS = 6
MAX_HEADER_BYTES = 64 * 1024


def _per_address(make_channel: Any, limit: int) -> Callable[..., Any]:
    """A channel factory that closes a connection beyond ``limit`` from one address."""
    from waitress.channel import HTTPChannel

    def channel(server: Any, sock: Any, addr: Any, adj: Any, map: dict[int, Any] | None = None) -> Any:
        client = addr[0] if isinstance(addr, tuple) and addr else None
        open_ = sum(1 for ch in (map or {}).values()
                    if isinstance(ch, HTTPChannel) and isinstance(ch.addr, tuple) and ch.addr[0] == client)
        if client is not None and open_ >= limit:
            try:
                sock.close()
            except OSError:
                pass
            return None
        return make_channel(server, sock, addr, adj, map=map)

    return channel


def create_server(app: Any, *, host: str, port: int, max_body: int, per_address: int = PER_ADDRESS,
                  channel_timeout: float = CHANNEL_TIMEOUT_S, cleanup_interval: float = CLEANUP_INTERVAL_S,
                  connection_limit: int = CONNECTION_LIMIT) -> Any:
    """A waitress server (``.run()``, ``.close()``, ``.effective_port``) with the limits above."""
    from waitress import create_server as waitress_server
    from waitress.server import BaseWSGIServer

    server = waitress_server(app, host=host, port=port, threads=THREADS, ident="broadcast",
                             connection_limit=connection_limit, channel_timeout=channel_timeout,
                             cleanup_interval=cleanup_interval, max_request_body_size=max_body,
                             max_request_header_size=MAX_HEADER_BYTES)
    listeners = [server] if isinstance(server, BaseWSGIServer) else \
        [s for s in server.map.values() if isinstance(s, BaseWSGIServer)]
    for listener in listeners:
        listener.channel_class = _per_address(listener.channel_class, per_address)
    return server
