"""The orchestrator: the list of stages, in plain view.

    gather → compose + fit (normalise) → speak → assemble → write episode folder

Each stage is a function from data to data in its own module; only this
module reads settings and hands each stage the part it needs. Modes are
different lists: ``build`` runs them all, ``render_episode`` starts from a
composed script (benchmarks, tests), an edit re-voices segments and re-runs
assembly (``review/resynth.py``), the golden files stop after compose.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import shutil
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from zoneinfo import ZoneInfo

from broadcast import severity, vnformat
from broadcast.audio import assemble
from broadcast.compose import Programme, compose
from broadcast.config import Settings
from broadcast.errors import NothingToSay
from broadcast.files import write_text
from broadcast.fit import Fit, Timing, fit
from broadcast.manifest import manifest, write_manifest
from broadcast.models import Clip, Episode, Gathered, Script
from broadcast.normalize import Lexicon, builtin_lexicon, load_lexicon, normalize
from broadcast.normalize.consistency import reading_conflicts
from broadcast.output import episode_name, publish_folder, remove_stale_builds, script_markdown, staging_folder
from broadcast.sources import gather
from broadcast.speech import Engine
from broadcast.speech.speak import Progress, Speaker
from broadcast.speech.stage import make_speaker, speak_segments

Log = Callable[[str], None]


def build(settings: Settings, day: dt.date, *, progress: Progress | None = None,
          engines: list[Engine] | None = None, log: Log | None = None,
          history: Mapping[str, dt.date] | None = None, name: str | None = None) -> Episode:
    """Build the episode of ``day`` into its folder and return it.

    ``history`` (source ref → date aired, from the episode store) keeps items
    aired in earlier episodes off this one. ``name`` picks the folder (the
    review workflow gives a rebuild a fresh one); by default ``<date>-<column slug>``.
    """
    gathered = gather_material(settings, day, history=history, log=log)
    fitted = compose_script(gathered, settings, day, log=log)
    readings = reading_warnings(fitted.script, settings, log=log)
    return render_episode(fitted.script, settings, speaker=make_speaker(settings, engines), progress=progress,
                          extra_warnings=list(gathered.warnings) + readings, fitted=fitted, name=name)


def render_episode(script: Script, settings: Settings, *, speaker: Speaker, progress: Progress | None = None,
                   extra_warnings: list[str] | None = None, fitted: Fit | None = None,
                   name: str | None = None) -> Episode:
    """Speak, assemble and write a composed script as its episode folder.

    Memory stays flat with programme length: each segment is voiced, written
    (its MP3 and a WAV part) and dropped; assembly streams the parts.
    """
    name = name or episode_name(script.date, settings.column.title)
    day, title = script.date, f"{settings.column.title} {script.date:%d/%m/%Y}"
    with _staging(settings.output.folder, name) as staging:
        parts = staging / "parts"
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="finish") as encoder:
            pieces = encoder.submit(assemble.fixed_pieces, settings, parts, segments=len(script.segments), day=day,
                                    cache=speaker.cache) if assemble.joinable(settings) else None
            spoken = speak_segments(script, speaker, staging, settings, progress, encoder=encoder, parts=parts)
        programme = assemble.programme(spoken, pieces.result() if pieces else None, settings, staging / "program.mp3",
                                       archive=staging / "program.wav" if settings.audio.archive_wav else None,
                                       title=title, day=day, work=staging / ".work", cache=speaker.cache)
        assemble.tidy(spoken, programme, staging / ".work")
        warnings = list(extra_warnings or []) + (fitted.warnings() if fitted else []) + list(spoken.warnings)
        write_episode(script, spoken.clips, programme, settings, staging, warnings=warnings, fitted=fitted)
        target = settings.output.folder / name
        publish_folder(staging, target)
    moved = [dataclasses.replace(c, path=target / "segments" / c.path.name) for c in spoken.clips]
    return Episode(folder=target, date=script.date, column=settings.column.title, program=target / "program.mp3",
                   duration_s=programme.duration_s, clips=tuple(moved), warnings=tuple(warnings))


@contextlib.contextmanager
def _staging(root: Path, name: str) -> Iterator[Path]:
    """The episode is built in a hidden folder beside its final place, removed if anything fails.

    Hidden folders left by earlier builds that were killed are removed first.
    """
    remove_stale_builds(root)
    staging = staging_folder(root, name)
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def gather_material(settings: Settings, day: dt.date, *, history: Mapping[str, dt.date] | None,
                    log: Log | None) -> Gathered:
    """The gather stage, stopping with one clear line when no source has anything to say."""
    gathered = gather(settings.sources, day, news_items=settings.column.news_items,
                      faq_items=settings.column.faq_items, history=history, columns=settings.stats_columns,
                      tz=ZoneInfo(settings.station.timezone))
    if gathered.empty:
        problems = "; ".join(gathered.warnings) or "các nguồn đều trống"
        raise NothingToSay(f"Không có nội dung nào để phát cho ngày {day:%d/%m/%Y} ({problems}). "
                           f"Hãy kiểm tra các nguồn trong mục [sources] của tệp cấu hình.")
    for warning in severity.ordered(gathered.warnings):   # serious ones first
        if log:
            log(f"Cảnh báo: {warning}")
    return gathered


def compose_script(gathered: Gathered, settings: Settings, day: dt.date, *, log: Log | None = None) -> Fit:
    """Compose and normalise the script, dropping items until it fits the slot."""
    programme = Programme(commune=settings.station.commune, station=settings.station.name,
                          column=settings.column.title, date=day)
    lexicon = lexicon_for(settings)

    def make_script(material: Gathered) -> Script:
        return normalise_script(compose(material, programme, settings.column.templates),
                                dialect=settings.station.dialect, lexicon=lexicon,
                                day_prefix=settings.station.day_prefix)

    fitted = fit(gathered, make_script, target_s=settings.column.target_minutes * 60, timing=fit_timing(settings))
    for warning in fitted.warnings():
        if log:
            log(f"Cảnh báo: {warning}")
    return fitted


def reading_warnings(script: Script, settings: Settings, *, log: Log | None = None) -> list[str]:
    """One warning per written form said two ways in the programme (normalize/consistency.py)."""
    conflicts = reading_conflicts(((s.title or s.id, s.text) for s in script.segments),
                                  dialect=settings.station.dialect, lexicon=lexicon_for(settings),
                                  day_prefix=settings.station.day_prefix)
    warnings = [conflict.message() for conflict in conflicts]
    for warning in warnings:
        if log:
            log(f"Cảnh báo: {warning}")
    return warnings


SITE_LEXICON = "tu-dien-phat-am.toml"   # written by the site's pronunciation fix when speech.lexicon is empty


def lexicon_path(settings: Settings) -> Path:
    """The commune lexicon file: speech.lexicon, else the one the review site keeps in the state folder."""
    return settings.speech.lexicon or settings.review.database.parent / SITE_LEXICON


def lexicon_for(settings: Settings) -> Lexicon:
    path = lexicon_path(settings)
    return load_lexicon(path) if path.is_file() else builtin_lexicon()


def normalise_script(script: Script, *, dialect: str, lexicon: Lexicon, day_prefix: str = "") -> Script:
    """Add the spoken form to every segment; the written text stays for the editor."""
    spoken = tuple(dataclasses.replace(s, spoken=normalize(s.text, dialect=dialect, lexicon=lexicon,
                                                           day_prefix=day_prefix))
                   for s in script.segments)
    return dataclasses.replace(script, segments=spoken)


def slot_warnings(duration_s: float, target_s: float) -> list[str]:
    """A serious warning when the programme is far from its slot (severity.SHORTEST/LONGEST)."""
    share = round(100 * duration_s / target_s)
    length, slot = vnformat.decimal(duration_s / 60), vnformat.decimal(target_s / 60)
    if duration_s > target_s * severity.LONGEST:
        return [severity.serious(f"Chương trình dài {length} phút, vượt thời lượng {slot} phút ({share} %). "
                                 f"Hãy rút gọn nội dung khi duyệt.")]
    if duration_s < target_s * severity.SHORTEST:
        return [severity.serious(f"Chương trình chỉ dài {length} phút, bằng {share} % thời lượng {slot} phút. "
                                 f"Hãy bổ sung tin hoặc câu hỏi – đáp, hoặc sửa column.target_minutes.")]
    return []


def fit_timing(settings: Settings) -> Timing:
    """What the slot estimate needs to know about voices, pauses and jingles."""
    return Timing(rate=settings.speech.rate, sentence_pause_ms=settings.audio.sentence_pause_ms,
                  segment_pause_ms=settings.audio.segment_pause_ms, jingle=settings.audio.jingle)


def write_episode(script: Script, clips: tuple[Clip, ...], programme: assemble.Assembled, settings: Settings,
                  folder: Path, *, warnings: list[str], fitted: Fit | None) -> None:
    """script.md and manifest.json beside the audio; a programme far from its slot is a serious warning."""
    duration = programme.duration_s
    warnings += slot_warnings(duration, fitted.target_s if fitted else settings.column.target_minutes * 60)
    write_text(folder / "script.md", script_markdown(script, settings.station.name, duration))
    write_manifest(folder, manifest(script, list(clips), settings, duration_s=duration, program=programme.path,
                                    timing=programme.timing, warnings=warnings,
                                    fit=fitted.record(duration) if fitted else None, loudness=programme.loudness,
                                    assembly=programme.assembly))
