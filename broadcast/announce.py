"""Announcements (``broadcast say``): a text read out into one MP3, through the same normalise → speech →
audio path as a programme, a group of sentences at a time so memory stays flat."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from broadcast.audio import clip as au
from broadcast.audio import mp3join
from broadcast.audio.encode import export_mp3, mp3_tags
from broadcast.config import Settings
from broadcast.errors import InputError
from broadcast.files import check_output_file, create_temp
from broadcast.models import Segment
from broadcast.normalize import normalize
from broadcast.pipeline import lexicon_for
from broadcast.speech.stage import make_speaker

# `say` is for announcements (a meeting, a water cut, a vaccination day): a minute or two, a few thousand
# characters. 20,000 characters is about 4,000 Vietnamese syllables: 31.6 minutes read by the offline
# voice at 140 words a minute (bench/say_memory.py), longer than any announcement; more is a programme
# (`broadcast build`). The text is voiced and encoded a group of sentences at a time, and the pieces are
# joined frame by frame, so memory stays flat: 142 MB peak at 2,000 characters, 173 MB at the limit.
SAY_MAX_CHARS = 20_000
SAY_CHUNK_CHARS = 1_500
_SENTENCE_END = re.compile(r"(?<=[.!?…;])\s+|\n+")


def sentence_chunks(spoken: str, limit: int = SAY_CHUNK_CHARS) -> list[str]:
    """Whole sentences grouped into pieces of about ``limit`` characters (a longer sentence stays whole)."""
    chunks: list[str] = []
    current = ""
    for sentence in (s.strip() for s in _SENTENCE_END.split(spoken)):
        if not sentence:
            continue
        if current and len(current) + 1 + len(sentence) > limit:
            chunks.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}" if current else sentence
    if current:
        chunks.append(current)
    return chunks


def say(text: str, out: Path, settings: Settings) -> tuple[float, str]:
    """An ad-hoc announcement through the same normalise → speech → audio path, a few sentences at a time."""
    text = text.strip()
    if not text:
        raise InputError("Thông báo trống. Hãy ghi nội dung cần đọc.")
    if len(text) > SAY_MAX_CHARS:
        raise InputError(f"Thông báo dài {len(text):,} ký tự, quá giới hạn {SAY_MAX_CHARS:,} ký tự (khoảng nửa "
                         f"giờ đọc). Hãy rút gọn, chia thành nhiều thông báo, hoặc dựng thành chương trình "
                         f"(broadcast build).".replace(",", "."))
    check_output_file(out, what="tệp thông báo")
    spoken = normalize(text, dialect=settings.station.dialect, lexicon=lexicon_for(settings),
                       day_prefix=settings.station.day_prefix)
    chunks = sentence_chunks(spoken) or [spoken]
    speaker = make_speaker(settings)
    pause = au.silence(settings.audio.sentence_pause_ms, settings.audio.sample_rate, settings.audio.channels)
    tags = mp3_tags(settings, title="Thông báo", day=dt.date.today())
    fd, tmp = create_temp(out.parent, out.name, suffix=".mp3")
    os.close(fd)
    parts: list[Path] = []
    seconds, engines = 0.0, []
    try:
        for k, chunk in enumerate(chunks):
            voicing = speaker.voice(Segment(f"thong-bao-{k + 1}", "Thông báo", chunk, spoken=chunk))
            audio = voicing.audio if k == len(chunks) - 1 else voicing.audio + pause
            seconds += len(audio) / 1000
            engines.append(voicing.engine)
            if len(chunks) == 1:
                export_mp3(audio, tmp, settings, title="Thông báo", day=dt.date.today())
                break
            part_fd, part = create_temp(out.parent, f"{out.name}.{k}", suffix=".mp3")
            os.close(part_fd)
            parts.append(part)
            export_mp3(audio, part, settings, title="", day=dt.date.today())
            del audio, voicing   # only one group of sentences is held in memory at a time
        if parts:
            mp3join.join(parts, tmp, tags=tags)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
        for part in parts:
            part.unlink(missing_ok=True)
    return seconds, ", ".join(dict.fromkeys(engines))
