"""Assembly: the programme from its voiced segments and its fixed pieces (jingles, pauses, stings).

Two ways, one running order (``mp3join.running_order``):
- joined: the segments' own MP3 frames joined with the fixed pieces; every second
  of audio is encoded once (no bed, no WAV archive);
- mixed: the clips decoded, mixed over the bed and normalised as a whole
  (``mixdown.render``), streamed through ffmpeg.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from broadcast.audio import clip as au
from broadcast.audio import dynamics, mixdown, mp3join
from broadcast.audio.encode import MP3_QUALITY, encode_cached, mp3_tags
from broadcast.audio.ffmpeg import AudioSegment
from broadcast.audio.loudness import MP3_MARGIN_DB, OVERSAMPLE, Loudness
from broadcast.audio.meter import Reading, combine
from broadcast.config import Settings
from broadcast.files import sha256, write_bytes
from broadcast.models import Clip
from broadcast.speech.cache import SentenceCache

if TYPE_CHECKING:
    from broadcast.speech.stage import Spoken


def clip_part(parts: Path, number: int) -> Path:
    return parts / f"clip-{number:03d}.wav"


def mixed(clips: list[Path], settings: Settings, program: Path, *, title: str, day: dt.date,
                   work: Path, cache: SentenceCache | None = None) -> tuple[dict[str, float], Loudness]:
    """Stream clip files through ffmpeg into ``program`` (MP3), plus the WAV archive if configured.

    Returns the timing and the loudness of the MP3 as decoded. With a
    ``cache``, a programme whose clips and settings are all unchanged is
    copied from the last build instead of being mixed and encoded again.
    """
    tags = mp3_tags(settings, title=title, day=day)
    outputs = [mixdown.Output(program, "mp3", tuple(tags.items()))]
    if settings.audio.archive_wav:
        outputs.append(mixdown.Output(program.with_suffix(".wav"), "wav"))
    key = None
    if cache is not None and cache.folder is not None and not settings.audio.archive_wav:
        recipe = f"programme:v{mixdown.VERSION}:{mixdown.DUCK}:{OVERSAMPLE}:{settings.audio!r}:{tags!r}"
        digest = hashlib.sha256(recipe.encode())
        for clip in clips:
            digest.update(sha256(clip).encode())
        key = digest.hexdigest()
        data, meta = cache.get_bytes(key, ".mp3"), cache.get_bytes(key, ".json")
        if data is not None and meta is not None:
            saved = json.loads(meta)
            write_bytes(program, data)
            return saved["timing"], Loudness(**saved["loudness"])
    timing, level = mixdown.render(clips, settings.audio, outputs, work, cache)
    if key is not None and cache is not None:
        cache.put_bytes(key, program.read_bytes(), ".mp3")
        cache.put_bytes(key, json.dumps({"timing": timing, "loudness": dataclasses.asdict(level)}).encode(), ".json")
    return timing, level


@dataclass(frozen=True)
class Pieces:
    """The programme's fixed pieces as MP3 files (by role: pause, gap, intro, outro), their loudness
    readings, and the programme's timing."""

    files: dict[str, Path]
    readings: dict[Path, Reading]
    timing: dict[str, float]


def fixed_pieces(settings: Settings, folder: Path, *, segments: int, day: dt.date,
                 cache: SentenceCache | None = None) -> Pieces:
    """The programme's fixed pieces as MP3 files in ``folder`` (the names re-assembly after an edit
    looks for), level-matched like the segments.

    Each piece is encoded and read once and then kept in the cache.
    """
    audio = settings.audio
    rate, channels, pause_ms = audio.sample_rate, audio.channels, audio.segment_pause_ms
    folder.mkdir(parents=True, exist_ok=True)
    readings: dict[Path, Reading] = {}

    def piece(name: str, make: Callable[[], AudioSegment]) -> tuple[Path, float]:
        path = folder / f"{name}.mp3"
        recipe = (f"piece:{name}:v{mixdown.VERSION}:{dynamics.VERSION}:q{MP3_QUALITY}:{audio.loudness_target}:"
                  f"{audio.true_peak}:{MP3_MARGIN_DB}:{mixdown.MP3_LOUDNESS_LOSS_LU}")
        key = cache.key(recipe, f"{audio.bitrate}:{rate}:{channels}") if cache is not None else None
        readings[path], seconds = encode_cached(make, path, settings, cache, key, title="", day=day)
        return path, seconds

    def silent(ms: int) -> AudioSegment:
        return au.silence(ms, rate, channels)

    files: dict[str, Path] = {}
    timing = {"intro_s": 0.0, "outro_s": 0.0, "pause_s": pause_ms / 1000, "pauses": float(max(segments - 1, 0)),
              "sting_s": 0.0, "stings": 0.0}
    files["pause"], _ = piece(f"pause-{pause_ms}ms", lambda: silent(pause_ms))
    if audio.sting and segments > 1:
        sting = mixdown.sting_audio(audio)
        files["gap"], _ = piece(f"sting-{pause_ms}ms", lambda: silent(pause_ms // 2) + sting + silent(pause_ms // 2))
        timing.update(sting_s=len(sting) / 1000, stings=float(segments - 1))
    if audio.jingle:
        ceiling = mixdown.clip_ceiling(audio)
        for kind in ("intro", "outro"):
            files[kind], seconds = piece(kind, functools.partial(
                mixdown.music, kind, rate, channels, audio.loudness_target + mixdown.MP3_LOUDNESS_LOSS_LU, ceiling))
            timing[f"{kind}_s"] = seconds
            timing["pauses"] += 1
    return Pieces(files=files, readings=readings, timing=timing)


def joined(clips: list[Clip], readings: dict[Path, Reading], pieces: Pieces, settings: Settings,
                    program: Path, *, title: str, day: dt.date) -> tuple[dict[str, float], Loudness]:
    """The programme as the segments' own MP3 frames joined with the fixed pieces: every second of
    audio is encoded once. Segments and pieces are already level-matched, so the programme lands on
    the loudness target. Its measurement combines the readings of the pieces as decoded, in running
    order: the same BS.1770 gating over the whole programme, without decoding it all again (a test
    holds it to ffmpeg's measurement of the joined file)."""
    order = mp3join.running_order([c.path for c in clips], pieces.files)
    timing = dict(pieces.timing)
    timing["duration_s"] = mp3join.join(order, program, tags=mp3_tags(settings, title=title, day=day))
    known = {**readings, **pieces.readings}
    return timing, combine([known[path] for path in order])


@dataclass(frozen=True)
class Assembled:
    """The programme file and what the manifest says of it."""

    path: Path
    timing: dict[str, float]      # intro_s, outro_s, pause_s, pauses, sting_s, stings
    duration_s: float
    loudness: Loudness
    assembly: str                 # "joined" or "mixed"


def joinable(settings: Settings) -> bool:
    """Joined assembly needs no bed and no WAV archive; otherwise the programme is mixed."""
    return settings.audio.bed == "none" and not settings.audio.archive_wav


def programme(spoken: Spoken, pieces: Pieces | None, settings: Settings, folder: Path, *, column: str,
              day: dt.date, cache: SentenceCache | None) -> Assembled:
    """program.mp3 in ``folder``: joined when it can be and lands on the loudness target, else mixed."""
    path = folder / "program.mp3"
    title = f"{column} {day:%d/%m/%Y}"
    if pieces is not None and joinable(settings):
        timing, level = joined(list(spoken.clips), spoken.readings, pieces, settings, path, title=title, day=day)
        if level.as_manifest(settings.audio.loudness_target, settings.audio.true_peak)["within_spec"]:
            return _done(path, timing, level, "joined", spoken)
        # e.g. level_match off: mix and normalise the whole programme instead
    timing, level = mixed(spoken.wav_parts(), settings, path, title=title, day=day, work=spoken.parts, cache=cache)
    return _done(path, timing, level, "mixed", spoken)


def _done(path: Path, timing: dict[str, float], level: Loudness, assembly: str, spoken: Spoken) -> Assembled:
    shutil.rmtree(spoken.parts, ignore_errors=True)
    timing = dict(timing)
    duration = timing.pop("duration_s")
    return Assembled(path=path, timing=timing, duration_s=duration, loudness=level, assembly=assembly)
