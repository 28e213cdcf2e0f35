"""The orchestrator: one function that reads like the architecture.

    gather → compose → normalise → speak → assemble → write episode folder

Each stage is a function from data to data; only this module reads settings
and hands each stage the part it needs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import shutil
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from broadcast import vnformat
from broadcast.audio import clip as au
from broadcast.audio import dynamics, mixdown, mp3join
from broadcast.audio.ffmpeg import AudioSegment
from broadcast.audio.loudness import MP3_MARGIN_DB, OVERSAMPLE, Loudness
from broadcast.audio.meter import Reading, combine, read_path
from broadcast.compose import Programme, compose
from broadcast.config import Settings
from broadcast.errors import BroadcastError, NothingToSay
from broadcast.files import sha256, write_bytes, write_json, write_text
from broadcast.fit import Fit, Timing, fit
from broadcast.models import Clip, Episode, Gathered, Script, Segment
from broadcast.normalize import Lexicon, builtin_lexicon, load_lexicon, normalize
from broadcast.output import episode_name, publish_folder, script_markdown, staging_folder
from broadcast.sources import gather
from broadcast.speech import Engine, make_engines
from broadcast.speech.cache import SentenceCache
from broadcast.speech.speak import Progress, Speaker, Voicing

MANIFEST_VERSION = 1
# LAME's algorithm quality (0 best … 9 fastest) for every MP3 a build encodes. 7 turns off the
# psychoacoustic noise shaping, which at 128 kbps mono has nothing to hide: on our espeak speech the
# decoded waveform was closer to the source at 7 (25.7 dB SNR) than at 5 (22.8 dB), and 3.5× faster.
MP3_QUALITY = 7
# Segments voiced but not yet finished, at most: enough to keep both encoder threads busy.
BACKLOG = 3


def lexicon_for(settings: Settings) -> Lexicon:
    path = settings.speech.lexicon
    return load_lexicon(path) if path is not None else builtin_lexicon()


def make_speaker(settings: Settings, engines: list[Engine] | None = None) -> Speaker:
    """The speak stage's worker: engines in order, the sentence cache, the programme's format."""
    audio = settings.audio
    return Speaker(engines if engines is not None else make_engines(settings.speech),
                   sample_rate=audio.sample_rate, channels=audio.channels,
                   sentence_pause_ms=audio.sentence_pause_ms, cache=SentenceCache(settings.speech.cache),
                   # clips are heard as MP3, whose low-pass takes a few tenths of a LU away
                   loudness_target=audio.loudness_target + mixdown.MP3_LOUDNESS_LOSS_LU if audio.level_match
                   else None,
                   true_peak=mixdown.clip_ceiling(audio), fade_ms=audio.fade_ms,
                   concurrency=settings.speech.concurrency, min_interval_s=settings.speech.min_interval_s)


def normalise_script(script: Script, *, dialect: str, lexicon: Lexicon) -> Script:
    """Add the spoken form to every segment; the written text stays for the editor."""
    spoken = tuple(dataclasses.replace(s, spoken=normalize(s.text, dialect=dialect, lexicon=lexicon))
                   for s in script.segments)
    return dataclasses.replace(script, segments=spoken)


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


def speak_segments(script: Script, speaker: Speaker, folder: Path, settings: Settings,
                   progress: Progress | None, *, encoder: Executor,
                   parts: Path) -> tuple[list[Clip], dict[Path, Reading], list[str]]:
    """Voice every segment, level-match it and write its MP3; return the clips in script order, the
    loudness reading of each segment MP3 and the warnings.

    Voicing runs here; level-matching, encoding and reading run on ``encoder``
    threads, so both cores work while the next segment is voiced. Each clip is
    also written to ``parts`` as WAV for the mixed assembly (``assemble_files``)
    and dropped from memory, so memory stays flat however long the programme.
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
            jobs.append(encoder.submit(_finish_segment, speaker, voicing, path, clip_part(parts, number), settings,
                                       title=segment.title, day=script.date))
    finally:
        speaker.end_prefetch()
    clips, readings, warnings = [], {}, []
    for number, (segment, job) in enumerate(zip(script.segments, jobs, strict=True), start=1):
        done = job.result()
        path = folder / "segments" / f"{number:02d}-{segment.id}.mp3"
        clips.append(Clip(segment=segment, path=path, engine=done.engine, duration_s=done.duration_s,
                          warnings=tuple(done.warnings), gain_db=done.gain_db))
        readings[path] = done.reading
        warnings += done.warnings
    return clips, readings, warnings


@dataclass(frozen=True)
class _Finished:
    """What the speak stage keeps of a finished segment (its audio is on disk by then)."""

    engine: str
    duration_s: float
    warnings: list[str]
    gain_db: float | None
    reading: Reading


def _finish_segment(speaker: Speaker, voicing: Voicing, path: Path, wav: Path, settings: Settings, *,
                    title: str, day: dt.date) -> _Finished:
    """On an encoder thread: level-match the clip, write its WAV part and its MP3, read the MP3's loudness."""
    done = speaker.complete(voicing)
    mixdown.write_wav(done.audio, wav)
    reading = _segment_mp3(done, path, settings, speaker.cache, title=title, day=day)
    return _Finished(engine=done.engine, duration_s=len(done.audio) / 1000, warnings=done.warnings,
                     gain_db=done.gain_db, reading=reading)


def _segment_mp3(voicing: Voicing, path: Path, settings: Settings, cache: SentenceCache, *, title: str,
                 day: dt.date) -> Reading:
    """A segment's MP3 and its loudness as decoded; from the cache when the same clip was encoded before."""
    audio = settings.audio
    key = None
    if voicing.key is not None:
        shape = f"mp3:{audio.bitrate}:{audio.sample_rate}:{audio.channels}:q{MP3_QUALITY}:"
        key = cache.key(shape + json.dumps(mp3_tags(settings, title=title, day=day), ensure_ascii=False),
                        voicing.key)
    reading, _ = _encode_cached(lambda: voicing.audio, path, settings, cache, key, title=title, day=day)
    return reading


def _encode_cached(make: Callable[[], AudioSegment], path: Path, settings: Settings, cache: SentenceCache | None,
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


def clip_part(parts: Path, number: int) -> Path:
    return parts / f"clip-{number:03d}.wav"


def assemble_files(clips: list[Path], settings: Settings, program: Path, *, title: str, day: dt.date,
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
        readings[path], seconds = _encode_cached(make, path, settings, cache, key, title="", day=day)
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


def assemble_joined(clips: list[Clip], readings: dict[Path, Reading], pieces: Pieces, settings: Settings,
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


def manifest(script: Script, clips: list[Clip], settings: Settings, *, duration_s: float, program: Path,
             timing: dict[str, float], warnings: list[str], fit: dict[str, object] | None = None,
             loudness: Loudness, assembly: str = "mixed") -> dict[str, object]:
    """What review and publication read; ``loudness`` is the programme's measurement.

    ``assembly`` says how the programme was made: "joined" (the segments' own MP3 frames) or
    "mixed" (decoded, mixed and normalised as a whole)."""
    audio = settings.audio
    archive = program.with_suffix(".wav")
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
        **({"fit": fit} if fit is not None else {}),
        "audio": {"file": program.name, "sha256": sha256(program), "bitrate": audio.bitrate,
                  "sample_rate": audio.sample_rate, "channels": audio.channels, "preset": audio.preset,
                  **timing, "jingle": audio.jingle, "sting": audio.sting, "bed": audio.bed,
                  "archive": archive.name if archive.exists() else None,
                  "loudness": loudness.as_manifest(audio.loudness_target, audio.true_peak), "assembly": assembly},
        "segments": [
            {"id": c.segment.id, "title": c.segment.title, "text": c.segment.text, "spoken": c.segment.spoken,
             "roles": list(c.segment.roles),
             "engine": c.engine, "duration_s": round(c.duration_s, 3), "sources": list(c.segment.sources),
             "file": f"segments/{c.path.name}", "warnings": list(c.warnings), "gain_db": c.gain_db}
            for c in clips
        ],
    }


def fit_timing(settings: Settings) -> Timing:
    """What the slot estimate needs to know about voices, pauses and jingles."""
    return Timing(rate=settings.speech.rate, sentence_pause_ms=settings.audio.sentence_pause_ms,
                  segment_pause_ms=settings.audio.segment_pause_ms, jingle=settings.audio.jingle)


def build(settings: Settings, day: dt.date, *, progress: Progress | None = None,
          engines: list[Engine] | None = None, log: Callable[[str], None] | None = None,
          history: Mapping[str, dt.date] | None = None, name: str | None = None) -> Episode:
    """Build the episode of ``day`` into its folder and return it.

    ``history`` (source ref → date aired, from the episode store) keeps items
    aired in earlier episodes off this one. ``name`` picks the folder (the
    review workflow gives a rebuild a fresh one); by default ``<date>-<column slug>``.
    """
    lexicon = lexicon_for(settings)
    gathered = gather(settings.sources, day, news_items=settings.column.news_items,
                      faq_items=settings.column.faq_items, history=history, columns=settings.stats_columns,
                      tz=ZoneInfo(settings.station.timezone))
    if gathered.empty:
        problems = "; ".join(gathered.warnings) or "các nguồn đều trống"
        raise NothingToSay(f"Không có nội dung nào để phát cho ngày {day:%d/%m/%Y} ({problems}). "
                           f"Hãy kiểm tra các nguồn trong mục [sources] của tệp cấu hình.")
    for warning in gathered.warnings:
        if log:
            log(f"Cảnh báo: {warning}")
    programme = Programme(commune=settings.station.commune, station=settings.station.name,
                          column=settings.column.title, date=day)

    def make_script(material: Gathered) -> Script:
        return normalise_script(compose(material, programme, settings.column.templates),
                                dialect=settings.station.dialect, lexicon=lexicon)

    fitted = fit(gathered, make_script, target_s=settings.column.target_minutes * 60, timing=fit_timing(settings))
    script = fitted.script
    for warning in fitted.warnings():
        if log:
            log(f"Cảnh báo: {warning}")
    return render_episode(script, settings, speaker=make_speaker(settings, engines), progress=progress,
                          extra_warnings=list(gathered.warnings), fitted=fitted, name=name)


def render_episode(script: Script, settings: Settings, *, speaker: Speaker, progress: Progress | None = None,
                   extra_warnings: list[str] | None = None, fitted: Fit | None = None,
                   name: str | None = None) -> Episode:
    """Speak, assemble and publish a composed script as its episode folder.

    Memory stays flat with programme length: each segment is voiced, written
    (its MP3 and a WAV part) and dropped; ffmpeg streams the parts.
    """
    day = script.date
    name = name or episode_name(day, settings.column.title)
    root = settings.output.folder
    staging = staging_folder(root, name)
    work = staging / ".parts"
    try:
        joined = settings.audio.bed == "none" and not settings.audio.archive_wav
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="finish") as encoder:
            # the fixed pieces are made while the first segment is voiced
            fixed = encoder.submit(fixed_pieces, settings, staging / "parts", segments=len(script.segments),
                                   day=day, cache=speaker.cache) if joined else None
            clips, readings, voice_warnings = speak_segments(script, speaker, staging, settings, progress,
                                                             encoder=encoder, parts=work)
        program_path = staging / "program.mp3"
        title = f"{settings.column.title} {day:%d/%m/%Y}"
        level = None
        assembly = "joined"
        if fixed is not None:
            timing, level = assemble_joined(clips, readings, fixed.result(), settings, program_path, title=title,
                                            day=day)
            if not level.as_manifest(settings.audio.loudness_target, settings.audio.true_peak)["within_spec"]:
                level = None  # e.g. level_match off: mix and normalise the whole programme instead
        if level is None:
            assembly = "mixed"
            timing, level = assemble_files([clip_part(work, k) for k in range(1, len(clips) + 1)], settings,
                                           program_path, title=title, day=day, work=work, cache=speaker.cache)
        shutil.rmtree(work, ignore_errors=True)
        duration = timing.pop("duration_s")
        warnings = list(extra_warnings or []) + (fitted.warnings() if fitted else []) + voice_warnings
        if fitted is not None and fitted.estimated_s <= fitted.target_s < duration / 1.05:   # the estimate missed
            warnings.append(f"Chương trình dài {vnformat.decimal(duration / 60)} phút, vượt thời lượng "
                            f"{vnformat.decimal(fitted.target_s / 60)} phút. Hãy rút gọn nội dung khi duyệt.")
        write_text(staging / "script.md", script_markdown(script, settings.station.name, duration))
        write_json(staging / "manifest.json", manifest(script, clips, settings, duration_s=duration,
                                                        program=program_path, timing=timing, warnings=warnings,
                                                        fit=fitted.record(duration) if fitted else None,
                                                        loudness=level, assembly=assembly))
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


__all__ = ["BroadcastError", "assemble_files", "build", "normalise_script", "render_episode", "say"]
