"""The episode's manifest.json: what review, publication and the air read of a build."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from broadcast.audio.loudness import Loudness
from broadcast.config import Settings
from broadcast.files import sha256
from broadcast.models import Clip, Script

MANIFEST_VERSION = 1


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
             "file": f"segments/{c.path.name}", "warnings": list(c.warnings), "gain_db": c.gain_db,
             "recorded": list(c.recorded)}
            for c in clips
        ],
    }
