"""Assembly: the programme from its voiced segments and its fixed pieces (jingles, pauses, stings).

Used by a build, a rebuild and an edit alike (``programme``). Two ways, one
running order (``running_order``) and one timing (``timing_of``):
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
from broadcast.audio.ffmpeg import AudioSegment, run_ffmpeg
from broadcast.audio.loudness import Loudness
from broadcast.audio.meter import Reading, combine
from broadcast.audio.plan import LoudnessPlan
from broadcast.config import Settings
from broadcast.files import sha256, write_bytes
from broadcast.models import Clip, ProgrammeTiming
from broadcast.speech.cache import AudioCache

if TYPE_CHECKING:
    from broadcast.speech.stage import Spoken


def running_order(segments: list[Path], pieces: dict[str, Path]) -> list[Path]:
    """Jingle, segments separated by a pause (or a sting with half a pause each side), jingle.

    ``pieces`` holds "pause" and optionally "gap" (the sting), "intro", "outro":
    MP3 files for the joined programme, WAV files for the mixed one.
    """
    order: list[Path] = []
    if "intro" in pieces:
        order += [pieces["intro"], pieces["pause"]]
    for index, segment in enumerate(segments):
        if index:
            order.append(pieces.get("gap", pieces["pause"]))
        order.append(segment)
    if "outro" in pieces:
        order += [pieces["pause"], pieces["outro"]]
    return order


def timing_of(settings: Settings, segments: int, *, intro_s: float, outro_s: float,
              sting_s: float) -> ProgrammeTiming:
    """What the manifest says of the running order: jingle lengths, pauses and stings."""
    audio = settings.audio
    stings = float(segments - 1) if audio.sting and segments > 1 else 0.0
    jingles = 2.0 if audio.jingle else 0.0
    return ProgrammeTiming(intro_s=intro_s, outro_s=outro_s, pause_s=audio.segment_pause_ms / 1000,
                           pauses=float(max(segments - 1, 0)) + jingles, sting_s=sting_s if stings else 0.0,
                           stings=stings)


def mixed(clips: list[Path], settings: Settings, program: Path, *, archive: Path | None, title: str,
          day: dt.date, work: Path, cache: AudioCache | None = None) -> tuple[ProgrammeTiming, float, Loudness]:
    """Stream clip files (WAV) through ffmpeg into ``program`` (MP3), plus the WAV ``archive`` if given.

    Returns the timing, the length and the loudness of the MP3 as decoded. With a
    ``cache``, a programme whose clips and settings are all unchanged is
    copied from the last build instead of being mixed and encoded again.
    """
    tags = mp3_tags(settings, title=title, day=day)
    outputs = [mixdown.Output(program, "mp3", tuple(tags.items()))]
    if archive is not None:
        outputs.append(mixdown.Output(archive, "wav"))
    key = None
    if cache is not None and cache.folder is not None and archive is None:
        plan = LoudnessPlan.of(settings.audio)
        recipe = (f"programme:v{mixdown.PROGRAMME_VERSION}:{mixdown.DUCK}:{plan!r}:"
                  f"{settings.audio!r}:{tags!r}")
        digest = hashlib.sha256(recipe.encode())
        for clip in clips:
            digest.update(sha256(clip).encode())
        key = digest.hexdigest()
        data, meta = cache.get_bytes(key, ".mp3"), cache.get_bytes(key, ".json")
        if data is not None and meta is not None:
            saved = json.loads(meta)
            write_bytes(program, data)
            kept = dict(saved["timing"])
            duration = float(kept.pop("duration_s"))
            return ProgrammeTiming(**kept), duration, Loudness(**saved["loudness"])
    work.mkdir(parents=True, exist_ok=True)
    pieces = mixdown.wav_pieces(settings.audio, work, segments=len(clips), cache=cache)
    seconds = {name: mixdown.wav_seconds(path) for name, path in pieces.items()}
    timing = timing_of(settings, len(clips), intro_s=seconds.get("intro", 0.0), outro_s=seconds.get("outro", 0.0),
                       sting_s=mixdown.sting_seconds(settings.audio) if "gap" in pieces else 0.0)
    duration, level = mixdown.render(running_order(clips, pieces), settings.audio, outputs, work)
    if key is not None and cache is not None:
        cache.put_bytes(key, program.read_bytes(), ".mp3")
        saved = {"timing": {**dataclasses.asdict(timing), "duration_s": duration},
                 "loudness": dataclasses.asdict(level)}
        cache.put_bytes(key, json.dumps(saved).encode(), ".json")
    return timing, duration, level


@dataclass(frozen=True)
class Pieces:
    """The programme's fixed pieces as MP3 files (by role: pause, gap, intro, outro), their loudness
    readings, and the programme's timing."""

    files: dict[str, Path]
    readings: dict[Path, Reading]
    timing: ProgrammeTiming


def piece_names(settings: Settings, segments: int) -> dict[str, str]:
    """Role → file stem of each fixed piece: what ``fixed_pieces`` writes and an edit joins."""
    audio = settings.audio
    names = {"pause": f"pause-{audio.segment_pause_ms}ms"}
    if audio.sting and segments > 1:
        names["gap"] = f"sting-{audio.segment_pause_ms}ms"
    if audio.jingle:
        names.update(intro="intro", outro="outro")
    return names


def fixed_pieces(settings: Settings, folder: Path, *, segments: int, day: dt.date,
                 cache: AudioCache | None = None) -> Pieces:
    """The programme's fixed pieces as MP3 files in ``folder`` (the names re-assembly after an edit
    looks for), level-matched like the segments.

    Each piece is encoded and read once and then kept in the cache.
    """
    audio = settings.audio
    rate, channels, pause_ms = audio.sample_rate, audio.channels, audio.segment_pause_ms
    folder.mkdir(parents=True, exist_ok=True)
    readings: dict[Path, Reading] = {}
    plan = LoudnessPlan.of(audio)

    def piece(name: str, make: Callable[[], AudioSegment]) -> tuple[Path, float]:
        path = folder / f"{name}.mp3"
        recipe = f"piece:{name}:v{mixdown.PROGRAMME_VERSION}:{dynamics.DYNAMICS_VERSION}:q{MP3_QUALITY}:{plan!r}"
        key = cache.key(recipe, f"{audio.bitrate}:{rate}:{channels}") if cache is not None else None
        readings[path], seconds = encode_cached(make, path, settings, cache, key, title="", day=day)
        return path, seconds

    def silent(ms: int) -> AudioSegment:
        return au.silence(ms, rate, channels)

    files: dict[str, Path] = {}
    lengths = {"intro": 0.0, "outro": 0.0}
    names = piece_names(settings, segments)
    files["pause"], _ = piece(names["pause"], lambda: silent(pause_ms))
    if "gap" in names:
        sting = mixdown.sting_audio(audio)
        files["gap"], _ = piece(names["gap"], lambda: silent(pause_ms // 2) + sting + silent(pause_ms // 2))
    if audio.jingle:
        for kind in ("intro", "outro"):
            files[kind], lengths[kind] = piece(names[kind], functools.partial(
                mixdown.music, kind, rate, channels, plan.music_target + plan.mp3_loss_lu, plan.clip_ceiling))
    timing = timing_of(settings, segments, intro_s=lengths["intro"], outro_s=lengths["outro"],
                       sting_s=mixdown.sting_seconds(audio) if "gap" in files else 0.0)
    return Pieces(files=files, readings=readings, timing=timing)


def joined(clips: list[Clip], readings: dict[Path, Reading], pieces: Pieces, settings: Settings,
           program: Path, *, title: str, day: dt.date) -> tuple[ProgrammeTiming, float, Loudness]:
    """The programme as the segments' own MP3 frames joined with the fixed pieces: every second of
    audio is encoded once. Segments and pieces are already level-matched, so the programme lands on
    the loudness target. Its measurement combines the readings of the pieces as decoded, in running
    order: the same BS.1770 gating over the whole programme, without decoding it all again (a test
    holds it to ffmpeg's measurement of the joined file)."""
    order = running_order([c.path for c in clips], pieces.files)
    duration = mp3join.join(order, program, tags=mp3_tags(settings, title=title, day=day))
    known = {**readings, **pieces.readings}
    return pieces.timing, duration, combine([known[path] for path in order])


@dataclass(frozen=True)
class Assembled:
    """The programme file and what the manifest says of it."""

    path: Path
    archive: Path | None          # the WAV archive, when one was written
    timing: ProgrammeTiming
    duration_s: float
    loudness: Loudness
    assembly: str                 # "joined" or "mixed"


def joinable(settings: Settings) -> bool:
    """Joined assembly needs no bed and no WAV archive; otherwise the programme is mixed."""
    return settings.audio.bed == "none" and not settings.audio.archive_wav


def programme(spoken: Spoken, pieces: Pieces | None, settings: Settings, program: Path, *,
              archive: Path | None, title: str, day: dt.date, work: Path,
              cache: AudioCache | None) -> Assembled:
    """The programme into ``program`` (and the WAV ``archive``, when configured): joined when it can
    be and lands on the loudness target, else mixed. A build and an edit both come here.

    The mixed way needs each segment's WAV (``spoken.wavs``); one that is
    missing (an episode joined before, or built before WAVs were kept) is
    decoded from the segment's MP3.
    """
    if pieces is not None and joinable(settings):
        timing, duration, level = joined(list(spoken.clips), spoken.readings, pieces, settings, program,
                                         title=title, day=day)
        if LoudnessPlan.of(settings.audio).within_spec(level.integrated, level.true_peak):
            return _done(program, None, timing, duration, level, "joined")
        # e.g. level_match off: mix and normalise the whole programme instead
    for clip, wav in zip(spoken.clips, spoken.wavs, strict=True):
        if not wav.exists():
            decode_to_wav(clip.path, wav, settings)
    timing, duration, level = mixed(list(spoken.wavs), settings, program, archive=archive, title=title, day=day,
                                    work=work, cache=cache)
    return _done(program, archive, timing, duration, level, "mixed")


def decode_to_wav(mp3: Path, wav: Path, settings: Settings) -> None:
    run_ffmpeg(["-y", "-i", str(mp3), "-ar", str(settings.audio.sample_rate), "-ac", str(settings.audio.channels),
                "-c:a", "pcm_s16le", str(wav)])


def _done(path: Path, archive: Path | None, timing: ProgrammeTiming, duration: float, level: Loudness,
          assembly: str) -> Assembled:
    return Assembled(path=path, archive=archive if assembly == "mixed" else None, timing=timing,
                     duration_s=duration, loudness=level, assembly=assembly)


def tidy(spoken: Spoken, assembled: Assembled, work: Path) -> None:
    """Drop what the programme no longer needs: the mixing folder, and the segments' WAVs when the
    programme was joined (an edit then joins again; a mixed programme keeps them to mix again)."""
    shutil.rmtree(work, ignore_errors=True)
    if assembled.assembly == "joined":
        for wav in spoken.wavs:
            wav.unlink(missing_ok=True)
