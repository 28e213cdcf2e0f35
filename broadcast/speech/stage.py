"""The speak stage: every segment voiced, level-matched, written as MP3 (and a WAV part) and read."""

from __future__ import annotations

import datetime as dt
import json
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from pathlib import Path

from broadcast.audio import mixdown
from broadcast.audio.encode import MP3_QUALITY, encode_cached, mp3_tags
from broadcast.audio.meter import Reading
from broadcast.audio.plan import LoudnessPlan
from broadcast.config import Settings
from broadcast.files import write_bytes
from broadcast.models import Clip, Script, TakeNote
from broadcast.speech import Engine, make_engines
from broadcast.speech.cache import AudioCache
from broadcast.speech.speak import Progress, Speaker, Voicing
from broadcast.speech.takes import TakeBank

# Segments voiced but not yet finished, at most: enough to keep both encoder threads busy.
BACKLOG = 3


def make_speaker(settings: Settings, engines: list[Engine] | None = None) -> Speaker:
    """The speak stage's worker: engines in order, the audio cache, the programme's format."""
    audio = settings.audio
    plan = LoudnessPlan.of(audio)
    return Speaker(engines if engines is not None else make_engines(settings.speech),
                   sample_rate=audio.sample_rate, channels=audio.channels,
                   sentence_pause_ms=audio.sentence_pause_ms, cache=AudioCache.for_speech(settings.speech),
                   takes=TakeBank(settings.speech.takes),
                   loudness_target=plan.clip_target if audio.level_match else None,
                   true_peak=plan.clip_ceiling, fade_ms=audio.fade_ms,
                   concurrency=settings.speech.concurrency, min_interval_s=settings.speech.min_interval_s)


def speak_segments(script: Script, speaker: Speaker, folder: Path, settings: Settings,
                   progress: Progress | None, *, encoder: Executor,
                   parts: Path) -> Spoken:
    """Voice every segment, level-match it and write its MP3; return the clips in script order, the
    loudness reading of each segment MP3 and the warnings.

    Voicing runs here; level-matching, encoding and reading run on ``encoder``
    threads, so both cores work while the next segment is voiced. Each clip is
    also written to ``parts`` as WAV for the mixed assembly (``assemble.mixed``),
    with its reading, and dropped from memory, so memory stays flat however
    long the programme.
    """
    total = len(script.segments)
    (folder / "segments").mkdir(exist_ok=True)
    speaker.prefetch(list(script.segments))   # online sentences arrive in the background, in script order
    jobs: list[Future[_Finished]] = []
    try:
        for number, segment in enumerate(script.segments, start=1):
            if len(jobs) >= BACKLOG:
                jobs[-BACKLOG].result()   # backpressure: voicing must not run far ahead of finishing (memory)
            voicing = speaker.voice(segment, finish=False)   # level-matching runs on the encoder threads
            if progress:
                progress(number, total, segment, voicing.engine)
            path = folder / "segments" / f"{number:02d}-{segment.id}.mp3"
            jobs.append(encoder.submit(_finish_segment, speaker, voicing, path, parts, settings,
                                       title=segment.title, day=script.date))
    finally:
        speaker.end_prefetch()
    clips: list[Clip] = []
    readings: dict[Path, Reading] = {}
    warnings: list[str] = []
    for number, (segment, job) in enumerate(zip(script.segments, jobs, strict=True), start=1):
        done = job.result()
        path = folder / "segments" / f"{number:02d}-{segment.id}.mp3"
        clips.append(Clip(segment=segment, path=path, engine=done.engine, duration_s=done.duration_s,
                          warnings=tuple(done.warnings), gain_db=done.gain_db, recorded=tuple(done.recorded)))
        readings[path] = done.reading
        warnings += done.warnings
    return Spoken(clips=tuple(clips), readings=readings, wavs=tuple(wav_of(parts, c.path) for c in clips),
                  warnings=tuple(warnings))


@dataclass(frozen=True)
class Spoken:
    """The speak stage's output: segment MP3s (with their loudness as decoded) and WAV parts on disk."""

    clips: tuple[Clip, ...]
    readings: dict[Path, Reading]     # by segment MP3
    wavs: tuple[Path, ...]            # each clip as WAV, for the mixed assembly
    warnings: tuple[str, ...] = ()


def wav_of(parts: Path, mp3: Path) -> Path:
    """Where a segment's WAV (kept for mixed assembly) stands among the episode's parts."""
    return parts / f"{mp3.stem}.wav"


def reading_of(parts: Path, mp3: Path) -> Path:
    """Where a segment MP3's loudness reading is kept, so an edit re-measures the programme without
    decoding the segments it did not change."""
    return parts / f"{mp3.stem}.reading"


@dataclass(frozen=True)
class _Finished:
    """What the speak stage keeps of a finished segment (its audio is on disk by then)."""

    engine: str
    duration_s: float
    warnings: list[str]
    gain_db: float | None
    reading: Reading
    recorded: list[TakeNote]


def _finish_segment(speaker: Speaker, voicing: Voicing, path: Path, parts: Path, settings: Settings, *,
                    title: str, day: dt.date) -> _Finished:
    """On an encoder thread: level-match the clip, write its WAV part and its MP3, read the MP3's loudness."""
    done = speaker.complete(voicing)
    mixdown.write_wav(done.audio, wav_of(parts, path))
    reading = _segment_mp3(done, path, settings, speaker.cache, title=title, day=day)
    write_bytes(reading_of(parts, path), reading.to_bytes())
    return _Finished(engine=done.engine, duration_s=len(done.audio) / 1000, warnings=done.warnings,
                     gain_db=done.gain_db, reading=reading, recorded=done.recorded)


def _segment_mp3(voicing: Voicing, path: Path, settings: Settings, cache: AudioCache, *, title: str,
                 day: dt.date) -> Reading:
    """A segment's MP3 and its loudness as decoded; from the cache when the same clip was encoded before."""
    audio = settings.audio
    key = None
    if voicing.key is not None:
        shape = f"mp3:{audio.bitrate}:{audio.sample_rate}:{audio.channels}:q{MP3_QUALITY}:"
        key = cache.key(shape + json.dumps(mp3_tags(settings, title=title, day=day), ensure_ascii=False),
                        voicing.key)
    reading, _ = encode_cached(lambda: voicing.audio, path, settings, cache, key, title=title, day=day)
    return reading
