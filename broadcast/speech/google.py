"""Online voice: Google Translate's speech through gTTS.

gTTS talks HTTP through ``requests``; its failures arrive as ``gTTSError``
and are translated here, at the seam. 429 and 5xx answers and network errors
are retried with exponential backoff; when the network is down after all
retries the engine is reported unavailable so the build falls back to the
offline voice at once for the remaining segments.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from broadcast.audio.clip import stretch
from broadcast.audio.ffmpeg import AudioSegment, decode_mp3
from broadcast.errors import SpeechError
from broadcast.speech.engine import Engine, EngineUnavailable

_RETRY_STATUS = {429, 500, 502, 503, 504}


class GttsEngine(Engine):
    """Google's Vietnamese voice: natural, needs the internet."""

    name = "gtts"
    online = True
    package = ("gtts", "gTTS")
    sleep: Callable[[float], None] = staticmethod(time.sleep)

    def client(self, text: str) -> Any:
        """A gTTS request object; aimed at ``gtts_url`` when set (the benchmark's local server)."""
        from gtts import gTTS

        base = self.settings.gtts_url.rstrip("/")
        if not base:
            return gTTS(text, lang="vi", timeout=self.settings.timeout_s)

        class _Redirected(gTTS):
            """gTTS builds Google's URL from ``tld``; keep its requests, change only where they go."""

            def _prepare_requests(self) -> list[Any]:
                prepared = super()._prepare_requests()
                for request in prepared:
                    path = urlsplit(request.url).path
                    request.prepare_url(base + path, None)
                return list(prepared)

        return _Redirected(text, lang="vi", timeout=self.settings.timeout_s)

    def fetch(self, text: str) -> bytes:
        """One text → MP3 bytes, with retries. Raises SpeechError / EngineUnavailable."""
        from gtts.tts import gTTSError

        attempts = self.settings.retries
        delay = self.settings.backoff_s
        for attempt in range(1, attempts + 1):
            try:
                buffer = io.BytesIO()
                self.client(text).write_to_fp(buffer)
                return buffer.getvalue()
            except gTTSError as exc:
                status = exc.rsp.status_code if exc.rsp is not None else None
                retryable = status is None or status in _RETRY_STATUS
                if not retryable:
                    raise SpeechError(f"Google TTS từ chối yêu cầu (HTTP {status}).") from exc
                if attempt == attempts:
                    why = "không kết nối được" if status is None else f"HTTP {status}"
                    raise EngineUnavailable(
                        f"Google TTS: {why} sau {attempts} lần thử; chuyển sang giọng dự phòng.") from exc
                self.sleep(delay)
                delay *= 2
            except (ValueError, AssertionError) as exc:  # gTTS rejects empty or unspeakable text
                raise SpeechError(f"gTTS không đọc được đoạn văn bản: {exc}") from exc
        raise AssertionError("unreachable")

    def identity(self) -> str:
        where = self.settings.gtts_url.rstrip("/") or "com"
        tempo = self.settings.gtts_tempo
        return "gtts:vi:" + where + ("" if tempo == 1.0 else f":tempo={tempo:g}")

    def synthesize(self, text: str) -> AudioSegment:
        audio = decode_mp3(self.fetch(text))
        tempo = self.settings.gtts_tempo
        return audio if tempo == 1.0 else stretch(audio, tempo)
