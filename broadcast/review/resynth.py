"""After an edit, re-voice only the changed segments and re-assemble the programme.

Changed segments are re-normalised and voiced with the pipeline's speaker (its
sentence cache makes unchanged sentences free). Unchanged segments keep the
audio the editor already heard: their MP3 is decoded, not re-voiced, so a
segment voiced online keeps that voice even when the network is down now.

Everything is written beside the final files first (``Staged``); the
workflow swaps them into place only after it has checked, inside the
database's write lock, that nobody saved meanwhile.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from broadcast.config import Settings
from broadcast.errors import ReviewError
from broadcast.ffmpeg import AudioSegment, read_mp3
from broadcast.files import sha256, write_json, write_text
from broadcast.models import Script, Segment
from broadcast.normalize import normalize
from broadcast.output import read_manifest, script_markdown
from broadcast.review.store import EpisodeRecord
from broadcast.speak import Progress


@dataclass
class Staged:
    """New files waiting beside the old ones, and the metadata that goes with them."""

    folder: Path
    moves: list[tuple[Path, Path]]
    manifest: dict[str, Any]
    script_md: str
    segments: list[dict[str, Any]]
    duration_s: float
    sha256: str
    warnings: list[str] = field(default_factory=list)

    def commit(self, *, revision: int) -> None:
        """Swap the new audio into place and rewrite manifest.json and script.md."""
        for tmp, final in self.moves:
            os.replace(tmp, final)
        self.moves = []
        self.manifest.update({"revision": revision, "status": "draft", "edited": True,
                              "edited_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")})
        write_json(self.folder / "manifest.json", self.manifest)
        write_text(self.folder / "script.md", self.script_md)

    def discard(self) -> None:
        for tmp, _ in self.moves:
            tmp.unlink(missing_ok=True)
        self.moves = []


def _tmp(path: Path) -> Path:
    return path.with_name(f".{path.stem}.{os.getpid()}.{id(path)}.tmp{path.suffix}")


def prepare(settings: Settings, record: EpisodeRecord, changes: dict[str, str], *,
            progress: Progress | None = None) -> Staged:
    """Voice the changed segments and build the new programme, without touching the current files."""
    from broadcast import pipeline  # late: pipeline imports the speech engines

    folder = record.folder
    try:
        data = read_manifest(folder)
    except (OSError, ValueError) as exc:
        raise ReviewError(f"Không đọc được {folder / 'manifest.json'}: {exc}. Hãy dựng lại số phát này.") from exc
    lexicon = pipeline.lexicon_for(settings)
    speaker = None
    segments: list[dict[str, Any]] = [dict(s) for s in data["segments"]]
    audios: list[AudioSegment] = []
    moves: list[tuple[Path, Path]] = []
    total = len(changes)
    done = 0
    try:
        for seg in segments:
            final = (folder / seg["file"]).resolve()
            if folder.resolve() not in final.parents:
                raise ReviewError(f"manifest.json của {folder.name} trỏ ra ngoài thư mục số phát: {seg['file']}.")
            if seg["id"] not in changes:
                audios.append(read_mp3(final))
                continue
            text = changes[seg["id"]]
            spoken = normalize(text, dialect=settings.station.dialect, lexicon=lexicon)
            segment = Segment(seg["id"], seg["title"], text, tuple(seg.get("sources", [])), spoken=spoken,
                              voice=seg.get("voice", "main"))
            if speaker is None:
                speaker = pipeline.make_speaker(settings)
            voicing = speaker.voice(segment)
            done += 1
            if progress:
                progress(done, total, segment, voicing.engine)
            tmp = _tmp(final)
            moves.append((tmp, final))
            pipeline.export_mp3(voicing.audio, tmp, settings, title=segment.title, day=record.date)
            seg.update(text=text, spoken=spoken, engine=voicing.engine,
                       duration_s=round(len(voicing.audio) / 1000, 3), warnings=list(voicing.warnings))
            audios.append(voicing.audio)
        # keep the jingle choice the episode was built with, whatever the settings say now
        jingle = float(data.get("audio", {}).get("intro_s", 0)) > 0
        same = dataclasses.replace(settings, audio=dataclasses.replace(settings.audio, jingle=jingle))
        program, timing = pipeline.assemble(audios, same)
        program_final = folder / "program.mp3"
        program_tmp = _tmp(program_final)
        moves.append((program_tmp, program_final))
        pipeline.export_mp3(program, program_tmp, settings, title=f"{record.column} {record.date:%d/%m/%Y}",
                            day=record.date)
    except BaseException:
        for tmp, _ in moves:
            tmp.unlink(missing_ok=True)
        raise
    duration = len(program) / 1000
    digest = sha256(program_tmp)
    old_voice_warnings = {w for s in data["segments"] for w in s.get("warnings", [])}
    warnings = [w for w in data.get("warnings", []) if w not in old_voice_warnings]
    warnings += [w for s in segments for w in s.get("warnings", [])]
    data.update(segments=segments, duration_s=round(duration, 3), warnings=warnings)
    data["audio"] = {**data.get("audio", {}), **timing, "sha256": digest}
    script = Script(date=record.date, column=record.column or data.get("column", ""),
                    segments=tuple(Segment(s["id"], s["title"], s["text"], tuple(s.get("sources", [])),
                                           spoken=s.get("spoken", "")) for s in segments))
    md = script_markdown(script, data.get("station", settings.station.name), duration)
    return Staged(folder=folder, moves=moves, manifest=data, script_md=md, segments=segments, duration_s=duration,
                  sha256=digest, warnings=warnings)
