"""The stream output: the programme sent to an Icecast mount at real-time pace.

A plain HTTP source client (Icecast ≥ 2.4 takes ``PUT`` with Basic auth): the
MP3 bytes go out as they would be heard, ``LEAD_S`` ahead of the clock, so IP
loudspeakers and phones playing the mount hear the programme live and Icecast
never has more than a few seconds queued. Nothing is re-encoded: listeners get
exactly the approved bytes. When ``stop`` is set the stream ends at once.
"""

from __future__ import annotations

import base64
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from broadcast.errors import OutputError
from broadcast.onair.outputs.base import Played
from broadcast.onair.outputs.soundcard import duration_of

LEAD_S = 1.0          # how far ahead of real time the bytes are sent
BLOCK_S = 0.25        # one send every quarter second
TIMEOUT_S = 10.0


class IcecastOutput:
    name = "icecast"
    label = "luồng Icecast"

    def __init__(self, url: str, *, user: str = "source", password: str = "", station: str = "",
                 speed: float = 1.0) -> None:
        parts = urlsplit(url)
        self.url = url
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 8000
        self.mount = parts.path or "/"
        self.user, self.password, self.station = user, password, station
        self.speed = speed   # 1.0 on air; the memory bench streams faster

    def available(self) -> bool:
        return bool(self.password)

    def disabled_message(self) -> str:
        return ("Chưa có mật khẩu nguồn phát Icecast (onair.icecast_password). Hãy chép <source-password> trong "
                "icecast.xml vào mục [onair].")

    def _where(self) -> str:
        return f"máy chủ Icecast {self.host}:{self.port}{self.mount}"

    def _connect(self) -> socket.socket:
        try:
            sock = socket.create_connection((self.host, self.port), timeout=TIMEOUT_S)
        except OSError as exc:
            raise OutputError(f"Không kết nối được {self._where()}: {exc}. Hãy kiểm tra Icecast đang chạy và "
                              f"onair.icecast_url.") from exc
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")
        name = self.station.encode("utf-8").decode("latin-1")  # header bytes as UTF-8
        head = (f"PUT {self.mount} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAuthorization: Basic {token}\r\n"
                f"User-Agent: broadcast\r\nContent-Type: audio/mpeg\r\nIce-Public: 0\r\nIce-Name: {name}\r\n"
                f"Expect: 100-continue\r\n\r\n")
        try:
            sock.sendall(head.encode("latin-1"))
            status = _read_status(sock)
        except OSError as exc:
            sock.close()
            raise OutputError(f"{self._where()} không trả lời: {exc}.") from exc
        if status in (100, 200):
            return sock
        sock.close()
        if status == 401:
            raise OutputError(f"{self._where()} từ chối mật khẩu nguồn phát (onair.icecast_user, "
                              f"onair.icecast_password).")
        if status == 403:
            raise OutputError(f"{self._where()}: điểm phát đang bận (một nguồn khác đang phát vào) hoặc bị cấm.")
        raise OutputError(f"{self._where()} trả lời mã HTTP {status}.")

    def play(self, path: Path, *, stop: threading.Event) -> Played:
        seconds = duration_of(path)
        size = path.stat().st_size
        rate = size / seconds if seconds > 0 else size   # bytes per second of programme (CBR)
        block = max(1024, int(rate * BLOCK_S))
        sock = self._connect()
        sent = 0
        start = time.monotonic()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(block):
                    if stop.is_set():
                        return Played(sent / rate, interrupted=True)
                    ahead = sent / rate - (time.monotonic() - start) * self.speed - LEAD_S
                    if ahead > 0 and stop.wait(ahead / self.speed):
                        return Played(sent / rate, interrupted=True)
                    sock.sendall(chunk)
                    sent += len(chunk)
            # the last bytes are still queued for the listeners: stay connected until they are heard
            left = seconds - (time.monotonic() - start) * self.speed
            if left > 0 and stop.wait(left / self.speed):
                return Played(seconds, interrupted=True)
        except OSError as exc:
            raise OutputError(f"Mất kết nối tới {self._where()} sau {sent / rate:.0f} giây: {exc}.") from exc
        finally:
            sock.close()
        return Played(seconds)


def _read_status(sock: socket.socket) -> int:
    """The status code of the server's first response line (headers read and dropped)."""
    data = b""
    while b"\r\n\r\n" not in data:
        more = sock.recv(4096)
        if not more:
            break
        data += more
        if len(data) > 65536:
            break
    line = data.split(b"\r\n", 1)[0].decode("latin-1", "replace")
    parts = line.split()
    if len(parts) < 2 or not parts[1].isdigit():
        raise OSError(f"câu trả lời lạ {line!r}")
    return int(parts[1])
