"""A local websocket server that speaks enough of the Edge read-aloud protocol.

Real aiohttp server on 127.0.0.1: takes the client's ``speech.config`` and
``ssml`` messages, answers ``turn.start``, binary ``audio`` frames carrying a
real MP3 (from the benchmark's tone generator) and ``turn.end``. It records
which voice each request asked for, so tests can check who read what.
"""

from __future__ import annotations

import asyncio
import re
import threading
from typing import Any

from aiohttp import WSMsgType, web

from bench.fake_tts import SECONDS_PER_WORD, tone_mp3

_VOICE = re.compile(r"<voice name='([^']+)'>")
_TEXT = re.compile(r"<prosody[^>]*>(.*?)</prosody>", re.S)
_RATE = re.compile(r"rate='([^']+)'")


def _text_frame(path: str, body: str = "") -> str:
    return f"X-RequestId:0123\r\nContent-Type:application/json; charset=utf-8\r\nPath:{path}\r\n\r\n{body}"


def _audio_frame(data: bytes) -> bytes:
    header = b"X-RequestId:0123\r\nContent-Type:audio/mpeg\r\nX-StreamId:1\r\nPath:audio\r\n"
    return len(header).to_bytes(2, "big") + header + data


class EdgeServer:
    """Run in a thread with its own event loop; ``url`` is what the client connects to."""

    def __init__(self, port: int = 0) -> None:
        self.requests: list[tuple[str, str]] = []   # (voice, text)
        self.rates: list[str] = []
        self.loop = asyncio.new_event_loop()
        self.port = port   # 0: any free port
        self._ready = threading.Event()
        self._runner: web.AppRunner | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/edge/v1?TrustedClientToken=test"

    async def _speak(self, request: web.Request) -> Any:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for message in ws:
            if message.type != WSMsgType.TEXT or "Path:ssml" not in message.data:
                continue
            voice = _VOICE.search(message.data)
            text = _TEXT.search(message.data)
            spoken = text.group(1).strip() if text else ""
            self.requests.append((voice.group(1) if voice else "", spoken))
            rate = _RATE.search(message.data)
            self.rates.append(rate.group(1) if rate else "")
            mp3 = tone_mp3(max(1, len(spoken.split())) * SECONDS_PER_WORD)
            await ws.send_str(_text_frame("turn.start", "{}"))
            for start in range(0, len(mp3), 4096):
                await ws.send_bytes(_audio_frame(mp3[start:start + 4096]))
            await ws.send_str(_text_frame("turn.end", "{}"))
        return ws

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        app = web.Application()
        app.router.add_get("/edge/v1", self._speak)
        self._runner = web.AppRunner(app)
        self.loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        self.loop.run_until_complete(site.start())
        server = site._server
        assert server is not None and server.sockets
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self.loop.run_forever()

    def __enter__(self) -> EdgeServer:
        self.thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        async def stop() -> None:
            if self._runner is not None:
                await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
