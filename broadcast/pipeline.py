"""The orchestrator: one function that reads like the architecture.

    gather → compose → normalise → speak → assemble → write episode folder

Each stage is a function from data to data; only this module reads settings
and hands each stage the part it needs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from pathlib import Path

from broadcast import audio as au
from broadcast.cache import SentenceCache
from broadcast.compose import Programme, compose
from broadcast.config import Settings
from broadcast.errors import BroadcastError, NothingToSay
from broadcast.ffmpeg import AudioSegment
from broadcast.files import sha256, write_json, write_text
from broadcast.models import Clip, Episode, Script, Segment
from broadcast.normalize import Lexicon, builtin_lexicon, load_lexicon, normalize
from broadcast.output import episode_name, publish_folder, script_markdown, staging_folder
from broadcast.sources import gather
from broadcast.speak import Progress, Speaker
from broadcast.speech import Engine, make_engines

MANIFEST_VERSION = 1


def lexicon_for(settings: Settings) -> Lexicon:
    path = settings.speech.lexicon
    return load_lexicon(path) if path is not None else builtin_lexicon()


def make_speaker(settings: Settings, engines: list[Engine] | None = None) -> Speaker:
    """The speak stage's worker: engines in order, the sentence cache, the programme's format."""
    return Speaker(engines if engines is not None else make_engines(settings.speech),
                   sample_rate=settings.audio.sample_rate, channels=settings.audio.channels,
                   sentence_pause_ms=settings.audio.sentence_pause_ms, cache=SentenceCache(settings.speech.cache))


def normalise_script(script: Script, *, dialect: str, lexicon: Lexicon) -> Script:
    """Add the spoken form to every segment; the written text stays for the editor."""
    spoken = tuple(dataclasses.replace(s, spoken=normalize(s.text, dialect=dialect, lexicon=lexicon))
                   for s in script.segments)
    return dataclasses.replace(script, segments=spoken)


def export_mp3(audio: AudioSegment, path: Path, settings: Settings, *, title: str, day: dt.date,
               quality: int = 5) -> None:
    """Constant-bitrate MP3 with ID3 tags (title, station, date).

    ``quality`` is LAME's algorithm quality (0 best … 9 fastest): 5 for the
    programme, faster for the per-segment previews editors listen to.
    """
    tags = {"title": title, "artist": settings.station.name, "album": settings.column.title,
            "date": day.isoformat(), "genre": "Speech"}
    audio.export(str(path), format="mp3", bitrate=settings.audio.bitrate, tags=tags, id3v2_version="3",
                 parameters=["-ar", str(settings.audio.sample_rate), "-ac", str(settings.audio.channels),
                             "-compression_level", str(quality)])


def speak_segments(script: Script, speaker: Speaker, folder: Path, settings: Settings,
                   progress: Progress | None, *, encoder: Executor | None = None,
                   pending: list[Future[None]] | None = None) -> tuple[list[Clip], list[AudioSegment], list[str]]:
    """Voice every segment, write its MP3, keep its audio for the programme.

    Encoding runs on ``encoder`` threads (ffmpeg is a separate process) while
    the next segment is voiced; with a caller's encoder the caller waits for
    the files (``pending``), so the programme is encoded alongside the last segments.
    """
    if encoder is None:
        jobs: list[Future[None]] = []
        with ThreadPoolExecutor(max_workers=2) as own:
            result = speak_segments(script, speaker, folder, settings, progress, encoder=own, pending=jobs)
        for job in jobs:
            job.result()
        return result
    clips, audios, warnings = [], [], []
    total = len(script.segments)
    (folder / "segments").mkdir(exist_ok=True)
    for number, segment in enumerate(script.segments, start=1):
        voicing = speaker.voice(segment)
        if progress:
            progress(number, total, segment, voicing.engine)
        path = folder / "segments" / f"{number:02d}-{segment.id}.mp3"
        job = encoder.submit(export_mp3, voicing.audio, path, settings, title=segment.title, day=script.date,
                             quality=7)
        if pending is not None:
            pending.append(job)
        clips.append(Clip(segment=segment, path=path, engine=voicing.engine,
                          duration_s=len(voicing.audio) / 1000, warnings=tuple(voicing.warnings)))
        audios.append(voicing.audio)
        warnings += voicing.warnings
    return clips, audios, warnings


def assemble(audios: list[AudioSegment], settings: Settings) -> tuple[AudioSegment, dict[str, float]]:
    """Jingle, segments separated by pauses, jingle. Returns the programme and its timing."""
    rate, channels = settings.audio.sample_rate, settings.audio.channels
    pause = au.silence(settings.audio.segment_pause_ms, rate, channels)
    parts: list[AudioSegment] = []
    intro = outro = 0.0
    if settings.audio.jingle:
        opening = au.jingle(rate, channels)
        parts += [opening, pause]
        intro = len(opening) / 1000
    for k, clip in enumerate(audios):
        if k:
            parts.append(pause)
        parts.append(clip)
    if settings.audio.jingle:
        closing = au.jingle(rate, channels, closing=True)
        parts += [pause, closing]
        outro = len(closing) / 1000
    program = au.join(parts)
    timing = {"intro_s": intro, "outro_s": outro, "pause_s": settings.audio.segment_pause_ms / 1000,
              "pauses": float(len(audios) - 1 + (2 if settings.audio.jingle else 0))}
    return program, timing


def manifest(script: Script, clips: list[Clip], settings: Settings, *, duration_s: float, program: Path,
             timing: dict[str, float], warnings: list[str]) -> dict[str, object]:
    return {
        "version": MANIFEST_VERSION,
        "status": "draft",
        "date": script.date.isoformat(),
        "column": script.column,
        "station": settings.station.name,
        "commune": settings.station.commune,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "duration_s": round(duration_s, 3),
        "warnings": warnings,
        "audio": {"file": program.name, "sha256": sha256(program), "bitrate": settings.audio.bitrate,
                  "sample_rate": settings.audio.sample_rate, "channels": settings.audio.channels, **timing},
        "segments": [
            {"id": c.segment.id, "title": c.segment.title, "text": c.segment.text, "spoken": c.segment.spoken,
             "engine": c.engine, "duration_s": round(c.duration_s, 3), "sources": list(c.segment.sources),
             "file": f"segments/{c.path.name}", "warnings": list(c.warnings)}
            for c in clips
        ],
    }


def build(settings: Settings, day: dt.date, *, progress: Progress | None = None,
          engines: list[Engine] | None = None, log: Callable[[str], None] | None = None,
          name: str | None = None) -> Episode:
    """Build the episode of ``day`` into its folder and return it.

    ``name`` picks the folder (the review workflow gives a rebuild a fresh one);
    by default ``<date>-<column slug>``.
    """
    lexicon = lexicon_for(settings)
    gathered = gather(settings.sources, day, news_items=settings.column.news_items,
                      faq_items=settings.column.faq_items)
    if gathered.empty:
        problems = "; ".join(gathered.warnings) or "các nguồn đều trống"
        raise NothingToSay(f"Không có nội dung nào để phát cho ngày {day:%d/%m/%Y} ({problems}). "
                           f"Hãy kiểm tra các nguồn trong mục [sources] của tệp cấu hình.")
    for warning in gathered.warnings:
        if log:
            log(f"Cảnh báo: {warning}")
    programme = Programme(commune=settings.station.commune, station=settings.station.name,
                          column=settings.column.title, date=day)
    script = normalise_script(compose(gathered, programme, settings.column.templates),
                              dialect=settings.station.dialect, lexicon=lexicon)
    speaker = make_speaker(settings, engines)
    name = name or episode_name(day, settings.column.title)
    root = settings.output.folder
    staging = staging_folder(root, name)
    try:
        jobs: list[Future[None]] = []
        with ThreadPoolExecutor(max_workers=2) as encoder:
            clips, audios, voice_warnings = speak_segments(script, speaker, staging, settings, progress,
                                                           encoder=encoder, pending=jobs)
            program, timing = assemble(audios, settings)
            duration = len(program) / 1000
            program_path = staging / "program.mp3"
            jobs.append(encoder.submit(export_mp3, program, program_path, settings,
                                       title=f"{settings.column.title} {day:%d/%m/%Y}", day=day))
            del audios, program  # the encoder threads hold what they still need
        for job in jobs:
            job.result()  # surface any encoding error
        warnings = list(gathered.warnings) + voice_warnings
        write_text(staging / "script.md", script_markdown(script, settings.station.name, duration))
        write_json(staging / "manifest.json", manifest(script, clips, settings, duration_s=duration,
                                                        program=program_path, timing=timing, warnings=warnings))
        target = root / name
        publish_folder(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    moved = [dataclasses.replace(c, path=target / "segments" / c.path.name) for c in clips]
    return Episode(folder=target, date=day, column=settings.column.title, program=target / "program.mp3",
                   duration_s=duration, clips=tuple(moved), warnings=tuple(warnings))


def say(text: str, out: Path, settings: Settings) -> tuple[float, str]:
    """An ad-hoc announcement through the same normalise → speech → audio path."""
    segment = Segment("thong-bao", "Thông báo", text,
                      spoken=normalize(text, dialect=settings.station.dialect, lexicon=lexicon_for(settings)))
    speaker = make_speaker(settings)
    voicing = speaker.voice(segment)
    tmp = out.with_name(f".{out.name}.tmp.mp3")
    try:
        export_mp3(voicing.audio, tmp, settings, title="Thông báo", day=dt.date.today())
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return len(voicing.audio) / 1000, voicing.engine


__all__ = ["BroadcastError", "assemble", "build", "normalise_script", "say"]
