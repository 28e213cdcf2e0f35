"""After an edit, re-voice only the changed segments and re-assemble the programme.

Changed segments are re-normalised and voiced with the pipeline's speaker (its
sentence cache makes unchanged sentences free). Unchanged segments keep the
audio the editor already heard: their MP3 files are reused as they are, so a
segment voiced online keeps that voice even when the network is down now.

The programme is then re-assembled by joining the MP3 frames of its pieces
(jingles, pauses, segments) without re-encoding: re-encoding ten minutes of
audio alone would cost more than the 10 % of a cold build an edit may take.
The pieces join in the pauses, where the few milliseconds of encoder padding
at each joint cannot be heard.

Everything is written beside the final files first (``Staged``); the
workflow swaps them into place only after it has checked, inside the
database's write lock, that nobody saved meanwhile.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from broadcast.audio import mp3join
from broadcast.audio.ffmpeg import run_ffmpeg
from broadcast.config import Settings
from broadcast.errors import ReviewError
from broadcast.files import sha256, write_json, write_text
from broadcast.models import Script, Segment
from broadcast.normalize import normalize
from broadcast.output import read_manifest, script_markdown
from broadcast.review.store import EpisodeRecord
from broadcast.speech.speak import Progress


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
    return path.with_name(f".{path.stem}.{uuid.uuid4().hex}.tmp{path.suffix}")


def prepare(settings: Settings, record: EpisodeRecord, changes: dict[str, str], *,
            progress: Progress | None = None) -> Staged:
    """Voice the changed segments and build the new programme, without touching the current files."""
    from broadcast import pipeline  # late: pipeline imports the speech engines
    from broadcast.audio import encode
    from broadcast.speech.stage import make_speaker

    folder = record.folder
    try:
        data = read_manifest(folder)
    except (OSError, ValueError) as exc:
        raise ReviewError(f"Không đọc được {folder / 'manifest.json'}: {exc}. Hãy dựng lại số phát này.") from exc
    lexicon = pipeline.lexicon_for(settings)
    speaker = None
    segments: list[dict[str, Any]] = [dict(s) for s in data["segments"]]
    pieces: list[Path] = []
    moves: list[tuple[Path, Path]] = []
    total = len(changes)
    done = 0
    try:
        for seg in segments:
            final = (folder / seg["file"]).resolve()
            if folder.resolve() not in final.parents:
                raise ReviewError(f"manifest.json của {folder.name} trỏ ra ngoài thư mục số phát: {seg['file']}.")
            if seg["id"] not in changes:
                pieces.append(final)
                continue
            text = changes[seg["id"]]
            spoken = normalize(text, dialect=settings.station.dialect, lexicon=lexicon)
            segment = Segment(seg["id"], seg["title"], text, tuple(seg.get("sources", [])), spoken=spoken,
                              voice=seg.get("voice", "main"), roles=tuple(seg.get("roles", [])))
            if speaker is None:
                speaker = make_speaker(settings)
            # the old clip's gain: one changed sentence hardly moves the loudness, so the search starts there
            voicing = speaker.complete(speaker.voice(segment, finish=False), gain_hint=seg.get("gain_db"))
            done += 1
            if progress:
                progress(done, total, segment, voicing.engine)
            tmp = _tmp(final)
            moves.append((tmp, final))
            encode.export_mp3_halves(voicing.audio, tmp, settings, title=segment.title, day=record.date)
            seg.update(text=text, spoken=spoken, engine=voicing.engine, gain_db=voicing.gain_db,
                       duration_s=round(len(voicing.audio) / 1000, 3), warnings=list(voicing.warnings))
            pieces.append(tmp)
        audio = data.get("audio", {})
        parts = _parts(settings, folder, audio, record)
        sequence = mp3join.running_order(pieces, parts)
        program_final = folder / "program.mp3"
        program_tmp = _tmp(program_final)
        moves.append((program_tmp, program_final))
        duration = mp3join.join(sequence, program_tmp,
                                tags=encode.mp3_tags(settings, title=f"{record.column} {record.date:%d/%m/%Y}",
                                                       day=record.date))
    except BaseException:
        for tmp, _ in moves:
            tmp.unlink(missing_ok=True)
        raise
    digest = sha256(program_tmp)
    old_voice_warnings = {w for s in data["segments"] for w in s.get("warnings", [])}
    warnings = [w for w in data.get("warnings", []) if w not in old_voice_warnings]
    warnings += [w for s in segments for w in s.get("warnings", [])]
    data.update(segments=segments, duration_s=round(duration, 3), warnings=warnings)
    data["audio"] = {**audio, "sha256": digest, "assembly": "concat"}
    script = Script(date=record.date, column=record.column or data.get("column", ""),
                    segments=tuple(Segment(s["id"], s["title"], s["text"], tuple(s.get("sources", [])),
                                           spoken=s.get("spoken", "")) for s in segments))
    md = script_markdown(script, data.get("station", settings.station.name), duration)
    return Staged(folder=folder, moves=moves, manifest=data, script_md=md, segments=segments, duration_s=duration,
                  sha256=digest, warnings=warnings)


def ensure_parts(settings: Settings, record: EpisodeRecord) -> None:
    """Cut the fixed pieces right after a build, so the first edit does not pay for them."""
    _parts(settings, record.folder, read_manifest(record.folder).get("audio", {}), record)


def _parts(settings: Settings, folder: Path, audio: dict[str, Any], record: EpisodeRecord) -> dict[str, Path]:
    """The programme's fixed pieces as MP3 (pause; intro and outro jingles if it has them), made once.

    The jingles are cut from the programme as built, so they sound exactly as before.
    """
    from broadcast.audio import clip as au
    from broadcast.audio.encode import export_mp3

    parts_dir = folder / "parts"
    parts_dir.mkdir(exist_ok=True)
    out: dict[str, Path] = {}
    rate, channels, bitrate = settings.audio.sample_rate, settings.audio.channels, settings.audio.bitrate
    rate = int(audio.get("sample_rate", rate))
    channels = int(audio.get("channels", channels))
    bitrate = str(audio.get("bitrate", bitrate))
    pause_ms = round(float(audio.get("pause_s", settings.audio.segment_pause_ms / 1000)) * 1000)
    pause = parts_dir / f"pause-{pause_ms}ms.mp3"
    if not pause.exists():
        tmp = _tmp(pause)
        export_mp3(au.silence(pause_ms, rate, channels), tmp, settings, title="", day=record.date)
        os.replace(tmp, pause)
    out["pause"] = pause
    if float(audio.get("stings", 0)) > 0:   # the sting between segments, with half a pause each side
        gap = parts_dir / f"sting-{pause_ms}ms.mp3"
        if not gap.exists():
            from broadcast.audio import mixdown

            half = au.silence(pause_ms // 2, rate, channels)
            sting = mixdown.sting_audio(dataclasses.replace(settings.audio, sample_rate=rate, channels=channels))
            tmp = _tmp(gap)
            export_mp3(half + sting + half, tmp, settings, title="", day=record.date)
            os.replace(tmp, gap)
        out["gap"] = gap
    encode = ["-ar", str(rate), "-ac", str(channels), "-c:a", "libmp3lame", "-b:a", bitrate]
    intro_s, outro_s = float(audio.get("intro_s", 0)), float(audio.get("outro_s", 0))
    program = folder / "program.mp3"
    for name, seconds, where in (("intro", intro_s, ["-t", f"{intro_s:.3f}"]),
                                 ("outro", outro_s, ["-sseof", f"-{outro_s:.3f}"])):
        if seconds <= 0:
            continue
        target = parts_dir / f"{name}.mp3"
        if not target.exists():
            tmp = _tmp(target)
            if name == "intro":
                run_ffmpeg(["-y", "-i", str(program), *where, "-map_metadata", "-1", *encode, str(tmp)])
            else:
                run_ffmpeg(["-y", *where, "-i", str(program), "-map_metadata", "-1", *encode, str(tmp)])
            os.replace(tmp, target)
        out[name] = target
    return out
