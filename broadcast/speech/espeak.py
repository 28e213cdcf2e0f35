"""Offline Vietnamese voice: espeak-ng's shared library, in process, through ctypes.

The library and its voice data come from the ``espeakng-loader`` wheel, so no
system package is needed. espeak-ng keeps global state, so one lock guards
every call and the library is initialised once per process.
"""

from __future__ import annotations

import ctypes
import html
import re
import threading
from typing import TYPE_CHECKING, Any

from broadcast.audio.ffmpeg import AudioSegment
from broadcast.errors import SpeechError
from broadcast.speech.engine import Engine, EngineUnavailable

if TYPE_CHECKING:
    from broadcast.config import SpeechSettings

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_SSML = 0x10
_PARAM_RATE = 1
_PARAM_PITCH = 3
_PARAM_RANGE = 4
_PARAM_WORDGAP = 7

# Pauses espeak-ng leaves at punctuation are short for a loudspeaker heard across a village (echo
# from walls smears a clause end into the next word), so a clause boundary gets an explicit break.
_CLAUSE = re.compile(r"([,;:])\s+")
CLAUSE_BREAK_MS = 220

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

    def synth(self, text: str, rate: int, pitch: int, pitch_range: int, wordgap: int) -> bytes:
        self.lib.espeak_SetParameter(_PARAM_RATE, rate, 0)
        self.lib.espeak_SetParameter(_PARAM_PITCH, pitch, 0)
        self.lib.espeak_SetParameter(_PARAM_RANGE, pitch_range, 0)
        self.lib.espeak_SetParameter(_PARAM_WORDGAP, wordgap, 0)
        data = ssml(text).encode("utf-8") + b"\0"
        buffer = ctypes.create_string_buffer(data)
        self.chunks = []
        status = self.lib.espeak_Synth(buffer, len(data), 0, _POS_CHARACTER, 0, _CHARS_UTF8 | _SSML, None, None)
        if status != 0:
            raise SpeechError(f"espeak-ng trả về lỗi {status} khi đọc: {text[:60]}…")
        return b"".join(self.chunks)


def ssml(text: str) -> str:
    """Plain text as SSML with a break after each comma, semicolon and colon."""
    escaped = html.escape(text, quote=False)
    return "<speak>" + _CLAUSE.sub(rf'\1 <break time="{CLAUSE_BREAK_MS}ms"/> ', escaped) + "</speak>"


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
    """espeak-ng's Vietnamese voice: robotic but always available, even at 5 a.m. with no network.

    Tuned for intelligibility over outdoor horns rather than naturalness (no
    listening test here; the reasons are the known weak points of formant
    speech in a tonal language):

    - rate 140 wpm (``speech.rate``), below espeak's 175: every Vietnamese
      word is one syllable, so this is ~2.3 syllables/s plus pauses — slow
      enough that street echo does not blur one syllable into the next.
    - pitch range 70 (default 50): the six tones are pitch contours; a wider
      range makes hỏi/ngã/sắc more distinct from ngang, which carries meaning.
    - pitch 40 (default 50): a lower, calmer voice; horn drivers are weakest
      in the low end, but 40 keeps the fundamental above their cut-off.
    - word gap 2 (20 ms): a short gap between syllables marks word edges,
      which espeak otherwise runs together.
    - a 220 ms break at commas, semicolons and colons (see ``ssml``).
    - the question voice of hỏi – đáp is raised 14 pitch steps, so listeners
      hear two speakers even from one synthesiser.
    """

    name = "espeak"
    online = False
    package = ("espeakng_loader", "espeakng-loader")
    pitch = 40
    pitch_range = 70
    wordgap = 2
    question_pitch_step = 14

    def __init__(self, settings: SpeechSettings, pitch: int | None = None) -> None:
        super().__init__(settings)
        if pitch is not None:
            self.pitch = pitch

    def for_role(self, role: str) -> Engine:
        if role == "question":
            return type(self)(self.settings, pitch=self.pitch + self.question_pitch_step)
        return self

    def identity(self) -> str:
        return (f"espeak:vi:rate={self.settings.rate}:pitch={self.pitch}:range={self.pitch_range}"
                f":gap={self.wordgap}:clause={CLAUSE_BREAK_MS}")

    def synthesize(self, text: str) -> AudioSegment:
        self.require()
        with _lock:
            library = _load()
            pcm = library.synth(text, self.settings.rate, self.pitch, self.pitch_range, self.wordgap)
            rate = library.sample_rate
        if not pcm:
            raise SpeechError(f"espeak-ng không tạo ra âm thanh cho: {text[:60]}…")
        return AudioSegment(data=pcm, sample_width=2, frame_rate=rate, channels=1)
