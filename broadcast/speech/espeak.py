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

from broadcast.audio.ffmpeg import AudioSegment, filter_pcm
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
# from walls smears a clause end into the next word), so a clause boundary gets an explicit break
# (``speech.espeak_clause_ms``).
_CLAUSE = re.compile(r"([,;:])\s+")

# Formant speech has little energy where consonants are told apart; lifting 2–4 kHz (and cutting the
# rumble a horn cannot play) lowered the recogniser's WER from 71.2 % to 65.2 % together with the
# rate and pitch below (bench/intelligibility.py, 40 sentences, 64 kbps MP3). -3 dB leaves headroom;
# the clip is level-matched afterwards anyway.
PRESENCE_EQ = "highpass=f=150,equalizer=f=3000:t=q:w=1.2:g=4,volume=-3dB"

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
        self.voice = "vi"
        self.chunks: list[bytes] = []
        self.callback = _CALLBACK(self._collect)  # kept referenced: ctypes must not free it
        self.lib.espeak_SetSynthCallback(self.callback)

    def _collect(self, wav: Any, count: int, _events: Any) -> int:
        if count > 0 and wav:
            self.chunks.append(ctypes.string_at(wav, count * 2))
        return 0

    def synth(self, text: str, voice: str, rate: int, pitch: int, pitch_range: int, wordgap: int,
              clause_ms: int) -> bytes:
        if voice != self.voice:
            if self.lib.espeak_SetVoiceByName(voice.encode()) != 0:
                raise EngineUnavailable(f"espeak-ng không có giọng {voice}.")
            self.voice = voice
        self.lib.espeak_SetParameter(_PARAM_RATE, rate, 0)
        self.lib.espeak_SetParameter(_PARAM_PITCH, pitch, 0)
        self.lib.espeak_SetParameter(_PARAM_RANGE, pitch_range, 0)
        self.lib.espeak_SetParameter(_PARAM_WORDGAP, wordgap, 0)
        data = ssml(text, clause_ms).encode("utf-8") + b"\0"
        buffer = ctypes.create_string_buffer(data)
        self.chunks = []
        status = self.lib.espeak_Synth(buffer, len(data), 0, _POS_CHARACTER, 0, _CHARS_UTF8 | _SSML, None, None)
        if status != 0:
            raise SpeechError(f"espeak-ng trả về lỗi {status} khi đọc: {text[:60]}…")
        return b"".join(self.chunks)


def ssml(text: str, clause_ms: int) -> str:
    """Plain text as SSML with a break of ``clause_ms`` after each comma, semicolon and colon."""
    escaped = html.escape(text, quote=False)
    if clause_ms <= 0:
        return "<speak>" + escaped + "</speak>"
    return "<speak>" + _CLAUSE.sub(rf'\1 <break time="{clause_ms}ms"/> ', escaped) + "</speak>"


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

    Every parameter is a setting (``speech.rate``, ``speech.espeak_*``). The
    defaults are those with the lowest word error rate an offline recogniser
    gave (``bench/intelligibility.py --search``, one parameter at a time, at
    a pace of at least 2 syllables/s): rate 155, pitch 50, range 70, word gap
    20 ms, 220 ms clause pauses, northern voice, presence EQ. On 40 real
    administrative sentences, as 64 kbps MP3: 71.2 % WER before (rate 140,
    pitch 40, no EQ), 65.2 % after (66.6 % re-measured through this
    engine's own EQ), at 3.3 syllables/s. Still far from the
    ~10 % of natural speech: the online voices and the officer's own
    recordings come first whenever they can. The
    question voice of hỏi – đáp is raised ``question_pitch_step`` pitch steps,
    so listeners hear two speakers even from one synthesiser.
    """

    name = "espeak"
    online = False
    package = ("espeakng_loader", "espeakng-loader")
    question_pitch_step = 14

    def __init__(self, settings: SpeechSettings, pitch: int | None = None) -> None:
        super().__init__(settings)
        self.pitch = settings.espeak_pitch if pitch is None else pitch

    def for_role(self, role: str) -> Engine:
        if role == "question":
            return type(self)(self.settings, pitch=min(99, self.pitch + self.question_pitch_step))
        return self

    def identity(self) -> str:
        s = self.settings
        return (f"espeak:{s.espeak_voice}:rate={s.rate}:pitch={self.pitch}:range={s.espeak_range}"
                f":gap={s.espeak_wordgap}:clause={s.espeak_clause_ms}" + (":eq" if s.espeak_eq else ""))

    def synthesize(self, text: str) -> AudioSegment:
        self.require()
        s = self.settings
        with _lock:
            library = _load()
            pcm = library.synth(text, s.espeak_voice, s.rate, self.pitch, s.espeak_range, s.espeak_wordgap,
                                s.espeak_clause_ms)
            rate = library.sample_rate
        if not pcm:
            raise SpeechError(f"espeak-ng không tạo ra âm thanh cho: {text[:60]}…")
        audio = AudioSegment(data=pcm, sample_width=2, frame_rate=rate, channels=1)
        if not s.espeak_eq:
            return audio
        treated, _ = filter_pcm(audio, PRESENCE_EQ)
        assert treated is not None
        return treated
