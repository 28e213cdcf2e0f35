"""The episode's manifest.json: what review, publication and the air read of a build.

Typed, frozen records and one pair that reads and writes them:
``read_manifest(folder)`` and ``write_manifest(folder, manifest)``. Nothing
else opens manifest.json.

Versions: 1 (and no version at all) is what builds wrote before the records
were typed; fields were added to it over time without a new number, so a
version-1 manifest may lack any of them and is read with the defaults the
code of the time implied. Version 2 is the same JSON with every field present.
A manifest from a newer version, or with a missing or mistyped field, is
refused in one Vietnamese line that names the file and the field.

The JSON keeps the layout it has always had: the programme timing is spread
into the ``audio`` block, optional review fields are left out until they are
set, and keys come in the order of the fields below.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from broadcast.config import Settings
from broadcast.errors import ManifestError
from broadcast.files import sha256, write_json
from broadcast.manifest_json import Fields, upgrade
from broadcast.models import Clip, FitRecord, ProgrammeTiming, Script, TakeNote

if TYPE_CHECKING:
    from broadcast.audio.meter import Loudness

MANIFEST_VERSION = 2
NAME = "manifest.json"
STATUSES = ("draft", "approved", "published", "rejected", "superseded")   # review.workflow.STATES
ASSEMBLIES = ("joined", "mixed")


@dataclass(frozen=True)
class LoudnessRecord:
    """The programme's measurement as the manifest gives it."""

    integrated_lufs: float
    true_peak_dbtp: float
    lra_lu: float
    target_lufs: float
    ceiling_dbtp: float
    within_spec: bool
    standard: str

    @classmethod
    def of(cls, level: Loudness, target: float, ceiling: float) -> LoudnessRecord:
        return _loudness(Fields(level.as_manifest(target, ceiling), Path(NAME), "audio.loudness"))


@dataclass(frozen=True)
class ManifestAudio:
    """program.mp3: its file, checksum, encoder settings, running order, loudness and assembly."""

    file: str
    sha256: str
    bitrate: str
    sample_rate: int
    channels: int
    preset: str
    timing: ProgrammeTiming
    jingle: bool
    sting: bool
    bed: str
    archive: str | None          # program.wav, when one was kept
    loudness: LoudnessRecord | None   # None only in a manifest from before programmes were measured
    assembly: str                # "joined" (the segments' own MP3 frames) or "mixed"


@dataclass(frozen=True)
class ManifestSegment:
    """One segment as built or last voiced: written and spoken text, audio file, voice, level gain."""

    id: str
    title: str
    text: str
    file: str                    # relative to the episode folder: segments/NN-id.mp3
    spoken: str = ""
    roles: tuple[str, ...] = ()
    engine: str = ""
    duration_s: float = 0.0
    sources: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    gain_db: float | None = None
    recorded: tuple[TakeNote, ...] = ()


@dataclass(frozen=True)
class Manifest:
    """Everything manifest.json says of one episode."""

    status: str
    date: dt.date
    column: str
    station: str
    commune: str
    created: str                 # ISO 8601, UTC
    duration_s: float
    warnings: tuple[str, ...]
    fit: FitRecord | None
    audio: ManifestAudio
    segments: tuple[ManifestSegment, ...]
    # set by the review workflow once the build is registered, edited, approved, published
    episode_id: int | None = None
    revision: int | None = None
    edited: bool = False
    edited_at: str | None = None
    approved_by: str | None = None
    approved_sha256: str | None = None
    rejected_reason: str | None = None
    published_at: str | None = None
    onair_file: str | None = None
    version: int = MANIFEST_VERSION

    def segment(self, segment_id: str) -> ManifestSegment | None:
        return next((s for s in self.segments if s.id == segment_id), None)


# -- the read/write pair -------------------------------------------------------------------------

def read_manifest(folder: Path) -> Manifest:
    """``folder``/manifest.json, upgraded from an older version; ManifestError in one line otherwise."""
    path = folder / NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ManifestError(f"Không có tệp {path}. Hãy dựng lại số phát này.") from None
    except (OSError, UnicodeError) as exc:
        raise ManifestError(f"Không đọc được {path}: {exc}. Hãy kiểm tra quyền đọc tệp, "
                            f"hoặc dựng lại số phát này.") from exc
    try:
        data = json.loads(text)
    except ValueError as exc:
        line = f" (dòng {exc.lineno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise ManifestError(f"Tệp {path} không phải JSON hợp lệ{line}. Hãy khôi phục tệp từ bản sao lưu, "
                            f"hoặc dựng lại số phát này.") from exc
    return parse(data, path)


def write_manifest(folder: Path, manifest: Manifest) -> None:
    """Atomically, at the current version, keys in a fixed order."""
    write_json(folder / NAME, as_json(manifest))


def parse(data: object, path: Path) -> Manifest:
    """A manifest from its JSON value (``path`` names the file in messages)."""
    top = Fields(upgrade(data, path, MANIFEST_VERSION), path, "")
    fit = top.optional("fit")
    return Manifest(
        status=top.choice("status", STATUSES), date=top.date("date"), column=top.text("column"),
        station=top.text("station"), commune=top.text("commune"), created=top.text("created"),
        duration_s=top.number("duration_s"), warnings=top.texts("warnings"),
        fit=None if fit is None else FitRecord(
            target_s=fit.number("target_s"), estimated_s=fit.number("estimated_s"),
            measured_s=fit.number("measured_s"), error_s=fit.number("error_s"), dropped=fit.texts("dropped")),
        audio=_audio(top.sub("audio")), segments=tuple(_segment(s) for s in top.items("segments")),
        episode_id=top.optional_integer("episode_id"), revision=top.optional_integer("revision"),
        edited=top.flag("edited", False), edited_at=top.optional_text("edited_at"),
        approved_by=top.optional_text("approved_by"), approved_sha256=top.optional_text("approved_sha256"),
        rejected_reason=top.optional_text("rejected_reason"), published_at=top.optional_text("published_at"),
        onair_file=top.optional_text("onair_file"))


def _audio(a: Fields) -> ManifestAudio:
    level = a.optional("loudness")
    return ManifestAudio(
        file=a.text("file"), sha256=a.text("sha256"), bitrate=a.text("bitrate"), sample_rate=a.integer("sample_rate"),
        channels=a.integer("channels"), preset=a.text("preset"),
        timing=ProgrammeTiming(**{f.name: a.number(f.name) for f in dataclasses.fields(ProgrammeTiming)}),
        jingle=a.flag("jingle"), sting=a.flag("sting"), bed=a.text("bed"), archive=a.optional_text("archive"),
        loudness=None if level is None else _loudness(level), assembly=a.choice("assembly", ASSEMBLIES))


def _loudness(f: Fields) -> LoudnessRecord:
    return LoudnessRecord(
        integrated_lufs=f.number("integrated_lufs"), true_peak_dbtp=f.number("true_peak_dbtp"),
        lra_lu=f.number("lra_lu"), target_lufs=f.number("target_lufs"), ceiling_dbtp=f.number("ceiling_dbtp"),
        within_spec=f.flag("within_spec"), standard=f.text("standard"))


def _segment(s: Fields) -> ManifestSegment:
    return ManifestSegment(
        id=s.text("id"), title=s.text("title"), text=s.text("text"), file=s.text("file"), spoken=s.text("spoken"),
        roles=s.texts("roles"), engine=s.text("engine"), duration_s=s.number("duration_s"),
        sources=s.texts("sources"), warnings=s.texts("warnings"), gain_db=s.optional_number("gain_db"),
        recorded=tuple(TakeNote(text=t.text("text"), by=t.text("by"), at=t.text("at"), revision=t.integer("revision"))
                       for t in s.items("recorded")))


_REVIEW = ("episode_id", "revision", "edited", "edited_at", "approved_by", "approved_sha256", "rejected_reason",
           "published_at", "onair_file")


def as_json(m: Manifest) -> dict[str, object]:
    """The JSON value of ``m``: the layout builds have always written, at the current version."""
    a = m.audio
    audio: dict[str, object] = {
        "file": a.file, "sha256": a.sha256, "bitrate": a.bitrate, "sample_rate": a.sample_rate,
        "channels": a.channels, "preset": a.preset, **dataclasses.asdict(a.timing), "jingle": a.jingle,
        "sting": a.sting, "bed": a.bed, "archive": a.archive}
    if a.loudness is not None:
        audio["loudness"] = dataclasses.asdict(a.loudness)
    audio["assembly"] = a.assembly
    data: dict[str, object] = {
        "version": MANIFEST_VERSION, "status": m.status, "date": m.date.isoformat(), "column": m.column,
        "station": m.station, "commune": m.commune, "created": m.created, "duration_s": m.duration_s,
        "warnings": list(m.warnings)}
    if m.fit is not None:
        data["fit"] = {**dataclasses.asdict(m.fit), "dropped": list(m.fit.dropped)}
    data["audio"] = audio
    data["segments"] = [_segment_json(s) for s in m.segments]
    for name in _REVIEW:   # left out until the workflow sets them, as before
        value = getattr(m, name)
        if value is not None and value is not False:
            data[name] = value
    return data


def _segment_json(s: ManifestSegment) -> dict[str, object]:
    return {"id": s.id, "title": s.title, "text": s.text, "spoken": s.spoken, "roles": list(s.roles),
            "engine": s.engine, "duration_s": s.duration_s, "sources": list(s.sources), "file": s.file,
            "warnings": list(s.warnings), "gain_db": s.gain_db,
            "recorded": [dataclasses.asdict(t) for t in s.recorded]}


# -- from a build -----------------------------------------------------------------------------------

def segment_of(clip: Clip) -> ManifestSegment:
    c, seg = clip, clip.segment
    return ManifestSegment(id=seg.id, title=seg.title, text=seg.text, file=f"segments/{c.path.name}",
                         spoken=seg.spoken, roles=tuple(seg.roles), engine=c.engine,
                         duration_s=round(c.duration_s, 3), sources=tuple(seg.sources), warnings=tuple(c.warnings),
                         gain_db=c.gain_db, recorded=tuple(c.recorded))


def manifest(script: Script, clips: list[Clip], settings: Settings, *, duration_s: float, program: Path,
             timing: ProgrammeTiming, warnings: list[str], fit: FitRecord | None = None,
             loudness: Loudness, assembly: str = "mixed") -> Manifest:
    """What review and publication read; ``loudness`` is the programme's measurement.

    ``assembly`` says how the programme was made: "joined" (the segments' own MP3 frames) or
    "mixed" (decoded, mixed and normalised as a whole)."""
    audio = settings.audio
    archive = program.with_suffix(".wav")
    return Manifest(
        status="draft", date=script.date, column=script.column, station=settings.station.name,
        commune=settings.station.commune, created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        duration_s=round(duration_s, 3), warnings=tuple(warnings), fit=fit,
        audio=ManifestAudio(file=program.name, sha256=sha256(program), bitrate=audio.bitrate,
                          sample_rate=audio.sample_rate, channels=audio.channels, preset=audio.preset, timing=timing,
                          jingle=audio.jingle, sting=audio.sting, bed=audio.bed,
                          archive=archive.name if archive.exists() else None,
                          loudness=LoudnessRecord.of(loudness, audio.loudness_target, audio.true_peak),
                          assembly=assembly),
        segments=tuple(segment_of(c) for c in clips))
