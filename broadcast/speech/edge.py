"""Online voices: Microsoft Edge's read-aloud neural voices through edge-tts.

Two Vietnamese voices (HoaiMy, a woman; NamMinh, a man) make the hỏi – đáp
segment a real exchange: the host's voice asks, the other answers. edge-tts
speaks a websocket protocol over aiohttp; its failures are translated here, at
the seam: anything that means "the service cannot be reached" becomes
``EngineUnavailable`` at once (no retry loop: the build falls back to the next
engine and a 5 a.m. outage costs one failed connection), a malformed answer
becomes ``SpeechError``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from broadcast.audio.ffmpeg import AudioSegment, decode_mp3
from broadcast.errors import AudioError, SpeechError
from broadcast.speech.engine import Engine, EngineUnavailable
from broadcast.speech.voices import person

if TYPE_CHECKING:
    from broadcast.config import SpeechSettings

ROLES_ANSWERED_BY_SECOND_VOICE = frozenset({"answer"})


def voices_of(settings: SpeechSettings) -> tuple[str, str]:
    """(host, answer) Edge voices: the chosen person's (``speech.voice``), else ``edge_voice``/``edge_answer_voice``."""
    chosen = person(settings.voice)
    if chosen is not None and chosen.engine == EdgeEngine.name:
        return chosen.host, chosen.partner
    return settings.edge_voice, settings.edge_answer_voice


def _run(coroutine: Coroutine[Any, Any, bytes]) -> bytes:
    """Run edge-tts's coroutine to completion, also when the caller already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class EdgeEngine(Engine):
    """Neural Vietnamese voices, natural and clear; need the internet."""

    name = "edge"
    online = True
    package = ("edge_tts", "edge-tts")

    def __init__(self, settings: SpeechSettings, voice: str | None = None) -> None:
        super().__init__(settings)
        self.host, self.partner = voices_of(settings)
        self.voice = voice or self.host

    def for_role(self, role: str) -> Engine:
        if role in ROLES_ANSWERED_BY_SECOND_VOICE and self.partner != self.voice:
            return EdgeEngine(self.settings, voice=self.partner)
        return self

    @property
    def rate(self) -> str:
        return f"{self.settings.edge_rate:+d}%"

    def identity(self) -> str:
        return f"edge:{self.voice}:rate={self.rate}"

    async def _fetch(self, text: str) -> bytes:
        import edge_tts

        timeout = max(1, round(self.settings.timeout_s))
        communicate = edge_tts.Communicate(text, self.voice, rate=self.rate, connect_timeout=timeout,
                                           receive_timeout=timeout)
        chunks = [chunk["data"] async for chunk in communicate.stream()
                  if chunk["type"] == "audio" and "data" in chunk]
        return b"".join(chunks)

    def fetch(self, text: str) -> bytes:
        """One sentence → MP3 bytes. Raises SpeechError / EngineUnavailable."""
        self.require()
        import aiohttp
        from edge_tts import exceptions as edge_errors

        try:
            return _run(self._fetch(text))
        except (TimeoutError, aiohttp.ClientError, OSError, edge_errors.WebSocketError) as exc:
            raise EngineUnavailable(f"Edge TTS: không kết nối được ({type(exc).__name__}); "
                                    "chuyển sang giọng dự phòng.") from exc
        except edge_errors.EdgeTTSException as exc:
            raise SpeechError(f"Edge TTS trả lời không đúng ({type(exc).__name__}: {exc}).") from exc
        except ValueError as exc:  # edge-tts rejects an unknown voice name or rate
            raise SpeechError(f"Edge TTS: tham số giọng không hợp lệ: {exc}") from exc

    def synthesize(self, text: str) -> AudioSegment:
        data = self.fetch(text)
        try:
            return decode_mp3(data)
        except AudioError as exc:
            raise SpeechError(f"Edge TTS trả về âm thanh hỏng: {exc}") from exc


__all__ = ["EdgeEngine"]
