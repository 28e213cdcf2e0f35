"""Voicing after an edit: the changed segments' audio, then the programme re-assembled.

This is derived work, done after the editor's text is committed
(``edits.save_segments``) and driven by ``voicing.run``.

``voice_segments`` voices the segments marked not voiced with the pipeline's
speaker (its sentence cache makes unchanged sentences free) and writes each to
a NEW file name; the database is switched to the new file, with its sha256,
only in the commit that follows, so a kill before that commit leaves the old
audio, named by the database, in place. Unchanged segments keep the audio the
editor already heard.

``assemble`` joins the MP3 frames of the pieces (jingles, pauses, segments;
each segment's sha256 checked first) without re-encoding into a temporary
file, records its sha256, and only then renames it onto program.mp3. A kill
between the two leaves a programme whose sha256 differs from the database's:
approval refuses it and the next start re-assembles it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from broadcast.audio.ffmpeg import AudioSegment
from broadcast.config import Settings
from broadcast.errors import ManifestError
from broadcast.files import sha256, write_bytes, write_text
from broadcast.manifest import LoudnessRecord, ManifestSegment, read_manifest, write_manifest
from broadcast.models import Clip, Script, Segment
from broadcast.output import script_markdown
from broadcast.review.integrity import check_segments, segment_path
from broadcast.review.store import EpisodeRecord, SegmentRecord, Store
from broadcast.speech.speak import Progress

Beat = Callable[[], None]


def _tmp(path: Path) -> Path:
    return path.with_name(f".{path.stem}.{uuid.uuid4().hex}.tmp{path.suffix}")


def new_name(file: str) -> str:
    """``segments/03-tin-1.mp3`` → ``segments/03-tin-1-1a2b3c4d.mp3``: never the name of a file in use."""
    stem = re.sub(r"-[0-9a-f]{8}$", "", Path(file).stem)
    return str(Path(file).with_name(f"{stem}-{uuid.uuid4().hex[:8]}.mp3").as_posix())


@dataclass(frozen=True)
class Voiced:
    """A segment voiced into a new file, before the database is switched to it."""

    text: str
    file: str
    engine: str
    gain_db: float | None
    duration_s: float
    warnings: tuple[str, ...]
    sha256: str


def voice_segments(settings: Settings, store: Store, record: EpisodeRecord, todo: list[SegmentRecord], *,
                   progress: Progress | None = None, beat: Beat | None = None) -> list[str]:
    """Voice ``todo`` into new files, then switch the database to them; returns the ids switched."""
    from broadcast.audio import encode  # late: the speech engines and the encoder
    from broadcast.speech.stage import make_speaker

    built = {s.id: s for s in read_manifest(record.folder).segments}
    speaker = make_speaker(settings)
    made: dict[str, Voiced] = {}
    try:
        for number, seg in enumerate(todo, start=1):
            extra = built.get(seg.id)
            segment = Segment(seg.id, seg.title, seg.text, seg.sources, spoken=seg.spoken,
                              roles=extra.roles if extra else ())
            # the old clip's gain: one changed sentence hardly moves the loudness, so the search starts there
            voiced = speaker.complete(speaker.voice(segment, finish=False),
                                      gain_hint=extra.gain_db if extra else None)
            name = new_name(seg.file)
            path = segment_path(record, dataclasses.replace(seg, file=name))
            tmp = _tmp(path)
            encode.export_mp3_halves(voiced.audio, tmp, settings, title=segment.title, day=record.date)
            os.replace(tmp, path)   # a new name: nothing the database names is touched
            _keep_parts(settings, record.folder, path, voiced.audio)
            made[seg.id] = Voiced(text=seg.text, file=name, engine=voiced.engine, gain_db=voiced.gain_db,
                                  duration_s=round(len(voiced.audio) / 1000, 3), warnings=tuple(voiced.warnings),
                                  sha256=sha256(path))
            if progress:
                progress(number, len(todo), segment, voiced.engine)
            if beat:
                beat()
    except BaseException:
        for done in made.values():
            _remove_segment(record.folder, record.folder / done.file)
        raise
    switched: list[str] = []
    old_files: list[str] = []
    with store.transaction() as conn:
        now = store._get(conn, record.id)
        for seg in store.segments_in(conn, record.id, now.revision):
            if seg.id in made and not seg.voiced and seg.text == made[seg.id].text:
                done = made[seg.id]
                conn.execute("UPDATE segment_revisions SET file = ?, sha256 = ?, voiced = 1, engine = ?, "
                             "duration_s = ?, warnings = ? WHERE episode_id = ? AND revision = ? AND segment_id = ?",
                             (done.file, done.sha256, done.engine, done.duration_s,
                              _json(list(done.warnings)), record.id, now.revision, seg.id))
                switched.append(seg.id)
                old_files.append(seg.file)
        if switched:   # program.mp3 is now older than its segments: no sha256 matches it until it is joined
            conn.execute("UPDATE episodes SET sha256 = '' WHERE id = ?", (record.id,))
            store.log(conn, "hệ thống", "voice", record.id, f"phiên bản {now.revision}: {', '.join(switched)}")
    for seg_id, done in made.items():   # voiced text changed again meanwhile: the next round redoes it
        if seg_id not in switched:
            _remove_segment(record.folder, record.folder / done.file)
    in_use = {s.file for s in store.segments(record.id)}
    for old in old_files:
        if old not in in_use:
            _remove_segment(record.folder, record.folder / old)
    _mirror_segments(record.folder, {k: made[k] for k in switched})
    return switched


def _keep_parts(settings: Settings, folder: Path, mp3: Path, audio: AudioSegment) -> None:
    """What the build keeps of a segment for re-assembly: its loudness reading and its WAV."""
    from broadcast.audio import mixdown
    from broadcast.audio.meter import read_path
    from broadcast.speech.stage import reading_of, wav_of

    parts = folder / "parts"
    parts.mkdir(exist_ok=True)
    write_bytes(reading_of(parts, mp3), read_path(mp3, settings.audio.sample_rate, settings.audio.channels).to_bytes())
    mixdown.write_wav(audio, wav_of(parts, mp3))


def _remove_segment(folder: Path, mp3: Path) -> None:
    from broadcast.speech.stage import reading_of, wav_of

    for path in (mp3, reading_of(folder / "parts", mp3), wav_of(folder / "parts", mp3)):
        path.unlink(missing_ok=True)


def _json(value: list[str]) -> str:
    return json.dumps(value, ensure_ascii=False)


def _mirror_segments(folder: Path, updates: dict[str, Voiced]) -> None:
    """manifest.json mirrors the database's segment files (best effort: the database is the truth)."""
    if not updates:
        return
    try:
        data = read_manifest(folder)
    except ManifestError:
        return

    def mirrored(seg: ManifestSegment) -> ManifestSegment:
        done = updates.get(seg.id)
        return seg if done is None else dataclasses.replace(
            seg, file=done.file, engine=done.engine, gain_db=done.gain_db, duration_s=done.duration_s,
            warnings=done.warnings)

    write_manifest(folder, dataclasses.replace(data, segments=tuple(mirrored(s) for s in data.segments)))


def assemble(settings: Settings, store: Store, record: EpisodeRecord) -> bool:
    """Re-assemble the current revision into program.mp3 (and program.wav) through the build's own
    assembly (``audio.assemble.programme``): the bed, the WAV archive and a fresh loudness measurement
    as a build makes them. False when the revision moved on meanwhile."""
    from broadcast.audio import assemble as assembly
    from broadcast.audio.meter import Reading, read_path
    from broadcast.speech.cache import AudioCache
    from broadcast.speech.stage import Spoken, reading_of, wav_of

    segments = store.segments(record.id, record.revision)
    files = check_segments(record, segments)
    folder = record.folder
    data = read_manifest(folder)
    parts = folder / "parts"
    parts.mkdir(exist_ok=True)
    rate, channels = settings.audio.sample_rate, settings.audio.channels
    readings: dict[Path, Reading] = {}
    clips: list[Clip] = []
    for seg, path in zip(segments, files, strict=True):
        kept = reading_of(parts, path)
        readings[path] = Reading.from_bytes(kept.read_bytes()) if kept.exists() else read_path(path, rate, channels)
        clips.append(Clip(segment=Segment(seg.id, seg.title, seg.text, seg.sources, spoken=seg.spoken), path=path,
                          engine=seg.engine, duration_s=seg.duration_s, warnings=tuple(seg.warnings)))
    cache = AudioCache.for_speech(settings.speech)
    pieces = (assembly.fixed_pieces(settings, parts, segments=len(clips), day=record.date, cache=cache)
              if assembly.joinable(settings) else None)
    program, archive = folder / "program.mp3", folder / "program.wav"
    tmp = _tmp(program)
    tmp_archive = _tmp(archive) if settings.audio.archive_wav else None
    work = folder / f".work-{uuid.uuid4().hex}"
    try:
        made = assembly.programme(Spoken(clips=tuple(clips), readings=readings,
                                         wavs=tuple(wav_of(parts, path) for path in files)),
                                  pieces, settings, tmp, archive=tmp_archive,
                                  title=f"{record.column} {record.date:%d/%m/%Y}", day=record.date, work=work,
                                  cache=cache)
        duration = made.duration_s
        digest = sha256(tmp)
        by_id = {s.id: s for s in data.segments}
        old_voice_warnings = {w for s in data.segments for w in s.warnings}
        warnings = [w for w in data.warnings if w not in old_voice_warnings]
        warnings += [w for s in segments for w in s.warnings]
        with store.transaction() as conn:
            now = store._get(conn, record.id)
            if now.revision != record.revision:
                return False
            conn.execute("UPDATE episodes SET duration_s = ?, sha256 = ?, warnings = ? WHERE id = ?",
                         (round(duration, 3), digest, _json(warnings), record.id))
        os.replace(tmp, program)
        if tmp_archive is not None and made.archive is not None:
            os.replace(tmp_archive, archive)
    finally:
        tmp.unlink(missing_ok=True)
        if tmp_archive is not None:
            tmp_archive.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    audio = settings.audio
    write_manifest(folder, dataclasses.replace(
        data, segments=tuple(_segment_entry(by_id.get(s.id), s) for s in segments), duration_s=round(duration, 3),
        warnings=tuple(warnings), revision=record.revision, status=record.state, edited=True,
        edited_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        audio=dataclasses.replace(data.audio, timing=made.timing, sha256=digest, assembly=made.assembly,
                                  bed=audio.bed, archive=archive.name if made.archive is not None else None,
                                  loudness=LoudnessRecord.of(made.loudness, audio.loudness_target, audio.true_peak))))
    script = Script(date=record.date, column=record.column or data.column,
                    segments=tuple(Segment(s.id, s.title, s.text, s.sources, spoken=s.spoken) for s in segments))
    write_text(folder / "script.md", script_markdown(script, data.station or settings.station.name, duration))
    return True


def _segment_entry(built: ManifestSegment | None, now: SegmentRecord) -> ManifestSegment:
    """The manifest's entry for a segment as the database has it now; what only the build knew
    (paragraph roles, the officer's takes, the level gain) is kept from the build's entry."""
    base = built or ManifestSegment(id=now.id, title=now.title, text=now.text, file=now.file)
    return dataclasses.replace(base, id=now.id, title=now.title, text=now.text, spoken=now.spoken,
                               sources=tuple(now.sources), file=now.file, engine=now.engine,
                               duration_s=now.duration_s, warnings=tuple(now.warnings))


def ensure_parts(settings: Settings, record: EpisodeRecord) -> None:
    """The fixed pieces an edit joins, made now if the build did not leave them (cached: usually free)."""
    from broadcast.audio import assemble as assembly
    from broadcast.speech.cache import AudioCache

    if assembly.joinable(settings):
        segments = len(read_manifest(record.folder).segments)
        parts = record.folder / "parts"
        if all((parts / f"{name}.mp3").is_file() for name in assembly.piece_names(settings, segments).values()):
            return   # the build left them (an edit makes them afresh anyway)
        assembly.fixed_pieces(settings, parts, segments=segments, day=record.date,
                              cache=AudioCache.for_speech(settings.speech))
