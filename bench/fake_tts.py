"""A local stand-in for Google Translate's speech endpoint, for benchmarks and tests.

A real HTTP server on 127.0.0.1 that answers gTTS's ``batchexecute`` request
the way Google does (a ``jQ1olc`` line carrying base64 MP3), after a fixed
delay that plays the part of the network and the service. The MP3 is real:
a tone, syllable-modulated, as long as the text would take to read (0.25 s a
word), so the speak stage's length checks pass. It counts requests and how
many were in flight at once.
"""

from __future__ import annotations

import base64
import json
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import imageio_ffmpeg

SECONDS_PER_WORD = 0.25


def tone_mp3(seconds: float) -> bytes:
    """A real MP3 of a 4 Hz-modulated 220 Hz tone (speech-like rhythm), ``seconds`` long."""
    expr = "0.5*sin(2*PI*220*t)*(0.6+0.4*sin(2*PI*4*t))"
    result = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-nostdin", "-f", "lavfi",
                             "-i", f"aevalsrc={expr}:s=24000:d={seconds:.2f}", "-c:a", "libmp3lame", "-b:a", "48k",
                             "-f", "mp3", "pipe:1"], capture_output=True, check=True)
    return result.stdout


class FakeTts:
    """The server, its counters and a cache of generated MP3s by word count."""

    def __init__(self, delay_s: float = 0.3, port: int = 0) -> None:
        self.delay_s = delay_s
        self.requests: list[str] = []
        self.starts: list[float] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._mp3: dict[int, bytes] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())  # port 0: any free one
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def mp3_for(self, text: str) -> bytes:
        words = max(1, len(text.split()))
        with self._lock:
            if words not in self._mp3:
                self._mp3[words] = tone_mp3(words * SECONDS_PER_WORD)
            return self._mp3[words]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                rpc = json.loads(parse_qs(body)["f.req"][0])
                text = json.loads(rpc[0][0][1])[0]
                with fake._lock:
                    fake.requests.append(text)
                    fake.starts.append(time.monotonic())
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                try:
                    time.sleep(fake.delay_s)
                    audio = base64.b64encode(fake.mp3_for(text)).decode()
                    payload = json.dumps([["wrb.fr", "jQ1olc", json.dumps([audio]), None, None, None, "generic"]],
                                         separators=(",", ":"))
                    data = f")]}}'\n\n{len(payload)}\n{payload}\n".encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                finally:
                    with fake._lock:
                        fake.in_flight -= 1

        return Handler

    def __enter__(self) -> FakeTts:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
