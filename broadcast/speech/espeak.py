"""Offline Vietnamese voice: espeak-ng's shared library, in process, through ctypes.

The library and its voice data come from the ``espeakng-loader`` wheel, so no
system package is needed. espeak-ng keeps global state, so one lock guards
every call and the library is initialised once per process.
"""

from __future__ import annotations

import ctypes
import threading
from typing import Any

from broadcast.errors import SpeechError
from broadcast.ffmpeg import AudioSegment
from broadcast.speech import Engine, EngineUnavailable

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_PARAM_RATE = 1
_PARAM_PITCH = 3
_PARAM_WORDGAP = 7

_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


class _Library:
    """The loaded library, its sample rate and the PCM buffer its callback fills."""

    def __init__(self) -> None:
        import espeakng_loader

        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self.lib.espeak_Initialize.restype = ctypes.c_int
        self.lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        self.lib.espeak_Synth.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                                          ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
        self.lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self.lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        data = espeakng_loader.get_data_path().encode()
        self.sample_rate = self.lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data, 0)
        if self.sample_rate <= 0:
            raise EngineUnavailable("espeak-ng không khởi động được (espeak_Initialize thất bại).")
        if self.lib.espeak_SetVoiceByName(b"vi") != 0:
            raise EngineUnavailable("espeak-ng không có giọng tiếng Việt (vi).")
        self.chunks: list[bytes] = []
        self.callback = _CALLBACK(self._collect)  # kept referenced: ctypes must not free it
        self.lib.espeak_SetSynthCallback(self.callback)

    def _collect(self, wav: Any, count: int, _events: Any) -> int:
        if count > 0 and wav:
            self.chunks.append(ctypes.string_at(wav, count * 2))
        return 0

    def synth(self, text: str, rate: int, pitch: int, wordgap: int) -> bytes:
        self.lib.espeak_SetParameter(_PARAM_RATE, rate, 0)
        self.lib.espeak_SetParameter(_PARAM_PITCH, pitch, 0)
        self.lib.espeak_SetParameter(_PARAM_WORDGAP, wordgap, 0)
        data = text.encode("utf-8") + b"\0"
        buffer = ctypes.create_string_buffer(data)
        self.chunks = []
        status = self.lib.espeak_Synth(buffer, len(data), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
        if status != 0:
            raise SpeechError(f"espeak-ng trả về lỗi {status} khi đọc: {text[:60]}…")
        return b"".join(self.chunks)


_lock = threading.Lock()
_library: _Library | None = None


def _load() -> _Library:
    global _library
    if _library is None:
        try:
            _library = _Library()
        except OSError as exc:
            raise EngineUnavailable(f"Không nạp được thư viện espeak-ng: {exc}") from exc
    return _library


class EspeakEngine(Engine):
    """espeak-ng's Vietnamese voice: robotic but always available, even at 5 a.m. with no network."""

    name = "espeak"
    online = False
    pitch = 45
    wordgap = 1

    @classmethod
    def disabled_message(cls) -> str | None:
        try:
            import espeakng_loader  # noqa: F401
        except ImportError:
            return "Chưa cài gói espeakng-loader. Hãy chạy: pip install espeakng-loader"
        return None

    def identity(self) -> str:
        return f"espeak:vi:rate={self.settings.rate}:pitch={self.pitch}:gap={self.wordgap}"

    def synthesize(self, text: str) -> AudioSegment:
        message = self.disabled_message()
        if message:
            raise EngineUnavailable(message)
        with _lock:
            library = _load()
            pcm = library.synth(text, self.settings.rate, self.pitch, self.wordgap)
            rate = library.sample_rate
        if not pcm:
            raise SpeechError(f"espeak-ng không tạo ra âm thanh cho: {text[:60]}…")
        return AudioSegment(data=pcm, sample_width=2, frame_rate=rate, channels=1)
