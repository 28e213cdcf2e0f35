"""The one MP3 encoder: every MP3 a build or an edit writes goes through ``export_mp3``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from broadcast.audio import clip as au
from broadcast.audio import mp3join
from broadcast.audio.ffmpeg import AudioSegment
from broadcast.audio.meter import Reading, read_path
from broadcast.config import Settings
from broadcast.files import write_bytes

if TYPE_CHECKING:
    from broadcast.speech.cache import AudioCache

# LAME's algorithm quality (0 best … 9 fastest) for every MP3 a build encodes. 7 turns off the
# psychoacoustic noise shaping, which at 128 kbps mono has nothing to hide: on our espeak speech the
# decoded waveform was closer to the source at 7 (25.7 dB SNR) than at 5 (22.8 dB), and 3.5× faster.
MP3_QUALITY = 7


def mp3_tags(settings: Settings, *, title: str, day: dt.date) -> dict[str, str]:
    return {"title": title, "artist": settings.station.name, "album": settings.column.title,
            "date": day.isoformat(), "genre": "Speech"}


def export_mp3(audio: AudioSegment, path: Path, settings: Settings, *, title: str, day: dt.date) -> None:
    """Constant-bitrate MP3 with ID3 tags (title, station, date)."""
    tags = mp3_tags(settings, title=title, day=day)
    audio.export(str(path), format="mp3", bitrate=settings.audio.bitrate, tags=tags, id3v2_version="3",
                 parameters=["-ar", str(settings.audio.sample_rate), "-ac", str(settings.audio.channels),
                             "-compression_level", str(MP3_QUALITY)])


def export_mp3_halves(audio: AudioSegment, path: Path, settings: Settings, *, title: str, day: dt.date) -> None:
    """``export_mp3`` on both cores, for an editor who is waiting: the clip is cut at the sentence pause
    nearest its middle, the halves are encoded at once and their frames joined. The joint falls in the
    pause, like every joint of a programme; it lengthens that pause by a few milliseconds of padding."""
    cut = au.pause_near_middle(audio)
    if cut is None or len(audio) < 20_000:   # short clips: two encoders would not pay for themselves
        export_mp3(audio, path, settings, title=title, day=day)
        return
    halves = [path.with_name(f".{path.stem}.{k}.tmp.mp3") for k in (1, 2)]
    try:
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="encode") as encoder:
            jobs = [encoder.submit(export_mp3, part, half, settings, title=title, day=day)
                    for part, half in zip((audio[:cut], audio[cut:]), halves, strict=True)]
            for job in jobs:
                job.result()
        mp3join.join(halves, path, tags=mp3_tags(settings, title=title, day=day))
    finally:
        for half in halves:
            half.unlink(missing_ok=True)


def encode_cached(make: Callable[[], AudioSegment], path: Path, settings: Settings, cache: AudioCache | None,
                  key: str | None, *, title: str, day: dt.date) -> tuple[Reading, float]:
    """Write ``make()`` to ``path`` as MP3 and read its loudness as decoded; return the reading and the
    length in seconds. When ``key`` was encoded before, all three come from the cache instead."""
    if cache is not None and key is not None:
        data, reading, meta = (cache.get_bytes(key, suffix) for suffix in (".mp3", ".reading", ".json"))
        if data is not None and reading is not None and meta is not None:
            write_bytes(path, data)
            return Reading.from_bytes(reading), float(json.loads(meta)["seconds"])
    sound = make()
    export_mp3(sound, path, settings, title=title, day=day)
    measured = read_path(path, settings.audio.sample_rate, settings.audio.channels)
    if cache is not None and key is not None:
        cache.put_bytes(key, path.read_bytes(), ".mp3")
        cache.put_bytes(key, measured.to_bytes(), ".reading")
        cache.put_bytes(key, json.dumps({"seconds": len(sound) / 1000}).encode(), ".json")
    return measured, len(sound) / 1000
