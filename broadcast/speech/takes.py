"""The officer's own voice: recorded takes, used in place of a synthetic voice where their text matches.

A take reads one spoken text: a sentence of the phrase bank (station
identification, greetings, "Tin tiếp theo.", the closing), recorded once and
used in every build where that sentence appears, or a whole segment of one
episode. Takes are matched by the words of the spoken text (lower-case,
punctuation dropped), so a take of "Tin tiếp theo." also reads "tin tiếp theo".

An upload is converted to the programme's format, its leading and trailing
silence trimmed and its loudness brought to the clip target; with the
``[asr]`` extra it is transcribed, and a take whose transcript is too far from
its text (``speech.take_max_wer``) is flagged and not used until someone confirms
it. Re-recording a text replaces its take as a new revision (the old audio is
kept beside it).

Storage: a folder (``speech.takes``) of ``<key>.wav`` and ``<key>.json``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from broadcast.audio import loudness
from broadcast.audio.ffmpeg import FFMPEG, AudioSegment
from broadcast.config import SpeechSettings
from broadcast.errors import AudioError, ReviewError
from broadcast.files import write_bytes, write_json
from broadcast.models import TakeNote
from broadcast.speech.asr import Recognizer, wer, words

RECORDED = "ghi âm"        # the engine name the manifest gives recorded audio
KINDS = ("phrase", "segment")
MAX_SECONDS = 600
_TRIM = "silenceremove=start_periods=1:start_duration=0.05:start_threshold=-45dB"


def text_key(text: str) -> str:
    """Same words, same key: case and punctuation do not matter."""
    return hashlib.sha256(" ".join(words(text)).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Take:
    """One recorded reading of a spoken text, and what the recogniser made of it."""

    key: str
    text: str
    by: str
    at: str                     # ISO time, UTC
    kind: str                   # "phrase" or "segment"
    revision: int = 1
    seconds: float = 0.0
    heard: str | None = None    # the recogniser's transcript; None when viet-asr is not installed
    wer: float | None = None
    flagged: bool = False       # the transcript says this take does not read its text
    confirmed_by: str = ""      # who chose to use a flagged take anyway
    episode: int | None = None  # a segment take: where it was recorded
    segment: str | None = None

    @property
    def usable(self) -> bool:
        return not self.flagged or bool(self.confirmed_by)

    def describe(self) -> str:
        """For the manifest and the site: who recorded it and when."""
        return f"{self.by}, {self.at}"


def convert(data: bytes, *, sample_rate: int) -> AudioSegment:
    """Any recording the browser makes (WebM/Opus, Ogg, WAV) → 16-bit mono, silence trimmed at both ends."""
    chain = f"{_TRIM},areverse,{_TRIM},areverse"
    args = [FFMPEG, "-hide_banner", "-nostdin", "-loglevel", "error", "-i", "pipe:0", "-af", chain,
            "-ac", "1", "-ar", str(sample_rate), "-f", "s16le", "pipe:1"]
    result = subprocess.run(args, input=data, capture_output=True, check=False)
    if result.returncode != 0:
        tail = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["(không rõ)"]
        raise AudioError(f"Không đọc được bản ghi âm ({len(data)} byte): {tail[0]}. Hãy ghi âm lại.")
    audio = AudioSegment(data=result.stdout, sample_width=2, frame_rate=sample_rate, channels=1)
    if len(audio) < 300:
        raise AudioError("Bản ghi âm gần như im lặng. Hãy kiểm tra micrô rồi ghi âm lại.")
    if len(audio) > MAX_SECONDS * 1000:
        raise AudioError(f"Bản ghi âm dài quá {MAX_SECONDS // 60} phút. Hãy ghi từng đoạn ngắn hơn.")
    return audio


class TakeBank:
    """The folder of takes; ``None`` folder: no takes (every segment synthesised)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _paths(self, key: str) -> tuple[Path, Path]:
        assert self.folder is not None
        return self.folder / f"{key}.wav", self.folder / f"{key}.json"

    def get(self, key: str) -> Take | None:
        if self.folder is None:
            return None
        try:
            meta = json.loads(self._paths(key)[1].read_text(encoding="utf-8"))
            return Take(**meta)
        except (OSError, ValueError, TypeError):
            return None

    def find(self, text: str) -> Take | None:
        """The usable take that reads ``text``, if any."""
        take = self.get(text_key(text))
        return take if take is not None and take.usable else None

    def audio(self, take: Take) -> AudioSegment:
        wav, _ = self._paths(take.key)
        try:
            return AudioSegment.from_wav(io.BytesIO(wav.read_bytes()))
        except (OSError, ValueError, EOFError) as exc:
            raise AudioError(f"Không đọc được bản ghi âm {wav}: {exc}. Hãy ghi âm lại câu này.") from exc

    def all(self) -> list[Take]:
        if self.folder is None or not self.folder.is_dir():
            return []
        takes = [self.get(p.stem) for p in sorted(self.folder.glob("*.json"))]
        return sorted((t for t in takes if t is not None), key=lambda t: t.at, reverse=True)

    def add(self, text: str, audio: AudioSegment, *, by: str, kind: str = "phrase", episode: int | None = None,
            segment: str | None = None, loudness_target: float = -16.0, true_peak: float = -2.0,
            listen: bool = True, max_wer: float | None = None) -> Take:
        """Store a converted recording as the take of ``text`` (a new revision if there was one)."""
        if self.folder is None:
            raise ReviewError("Chưa cấu hình thư mục bản ghi âm (speech.takes). Hãy đặt một thư mục.")
        if kind not in KINDS:
            raise ReviewError(f"Loại bản ghi {kind!r} không hợp lệ.")
        if not words(text):
            raise ReviewError("Câu cần ghi âm đang trống. Hãy nhập nội dung câu.")
        by = by.strip()
        if not by:
            raise ReviewError("Hãy ghi tên người đọc trước khi lưu bản ghi âm.")
        audio, _ = loudness.match_gain(audio, loudness_target, true_peak)
        heard = score = None
        if listen and Recognizer.disabled_message() is None:
            heard = Recognizer().transcribe(audio)
            score = round(wer(text, heard), 3)
        limit = SpeechSettings().take_max_wer if max_wer is None else max_wer
        key = text_key(text)
        old = self.get(key)
        revision = old.revision + 1 if old else 1
        wav, meta = self._paths(key)
        if old is not None and wav.exists():
            wav.replace(wav.with_name(f"{key}.r{old.revision}.wav"))
        buffer = io.BytesIO()
        audio.export(buffer, format="wav")
        write_bytes(wav, buffer.getvalue())
        take = Take(key=key, text=text.strip(), by=by, kind=kind, revision=revision,
                    at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), seconds=round(len(audio) / 1000, 2),
                    heard=heard, wer=score, flagged=score is not None and score > limit,
                    episode=episode, segment=segment)
        write_json(meta, dataclasses.asdict(take))
        return take

    def confirm(self, key: str, *, by: str) -> Take:
        """Use a flagged take anyway: a person listened and says it is right."""
        take = self.get(key)
        if take is None:
            raise ReviewError("Không tìm thấy bản ghi âm này.")
        if not by.strip():
            raise ReviewError("Hãy ghi tên người xác nhận.")
        take = dataclasses.replace(take, confirmed_by=by.strip())
        write_json(self._paths(key)[1], dataclasses.asdict(take))
        return take

    def remove(self, key: str) -> None:
        for path in self._paths(key):
            path.unlink(missing_ok=True)


def as_manifest(take: Take) -> TakeNote:
    return TakeNote(text=take.text, by=take.by, at=take.at, revision=take.revision)
