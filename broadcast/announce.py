"""``broadcast say``: an ad-hoc announcement through the same normalise → speech → audio path."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from broadcast.audio.encode import export_mp3
from broadcast.config import Settings
from broadcast.models import Segment
from broadcast.normalize import normalize
from broadcast.pipeline import lexicon_for
from broadcast.speech.stage import make_speaker


def say(text: str, out: Path, settings: Settings) -> tuple[float, str]:
    """Read ``text`` into the MP3 file ``out``; return its length in seconds and the voice used."""
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
