"""A build, a rebuild and an edit make the programme through the same assembly (audio/assemble.py):
an edit keeps the music bed, rewrites the WAV archive and measures the loudness afresh."""

from __future__ import annotations

import json
import math
import wave
from pathlib import Path

import numpy as np
import pytest

from broadcast.audio import assemble
from broadcast.audio.ffmpeg import read_mp3
from broadcast.audio.loudness import ebur128_file
from broadcast.config import Settings, load_settings
from broadcast.review import workflow as wf
from broadcast.review.edits import save_edits
from broadcast.review.store import EpisodeRecord, Store

from .conftest import DAY, write_config

PAUSE_MS = 1500


def _settings(folder: Path, audio: str) -> Settings:
    config = write_config(folder, extra="")
    text = config.read_text(encoding="utf-8")
    text = text.replace('engines = ["espeak"]', 'engines = ["fake"]')
    if "jingle" in audio:
        text = text.replace("jingle = false\n", "")
    text = text.replace("segment_pause_ms = 300", f"segment_pause_ms = {PAUSE_MS}\nsting = false\n{audio}")
    config.write_text(text, encoding="utf-8")
    return load_settings(config, must_exist=True)


def _manifest(record: EpisodeRecord) -> dict:
    return json.loads((record.folder / "manifest.json").read_text(encoding="utf-8"))


def _edit(settings: Settings, record: EpisodeRecord, segment: int, extra: str) -> EpisodeRecord:
    with Store.open(settings) as store:
        seg = store.segments(record.id)[segment]
        return save_edits(settings, store, record.id, {seg.id: seg.text + extra},
                             base_revision=record.revision, by="Chị Lan")


def _pause_rms_db(record: EpisodeRecord) -> float:
    """Level (dBFS RMS) in the middle of the pause after the first segment of the programme."""
    first = _manifest(record)["segments"][0]["duration_s"]
    audio = read_mp3(record.program)
    x = np.frombuffer(audio.raw_data, dtype=np.int16).astype(np.float64) / 32768
    rate = audio.frame_rate
    window = x[int((first + 0.45) * rate):int((first + PAUSE_MS / 1000 - 0.15) * rate)]
    rms = math.sqrt(float(np.mean(window ** 2))) if len(window) else 0.0
    return 20 * math.log10(rms) if rms > 0 else -math.inf


@pytest.fixture(scope="module")
def bed_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return _settings(tmp_path_factory.mktemp("bed"), 'bed = "pad"')


def test_edit_of_an_episode_with_a_music_bed_keeps_the_bed(bed_settings: Settings) -> None:
    built = wf.build_draft(bed_settings, DAY)
    assert built is not None
    assert _manifest(built)["audio"]["assembly"] == "mixed"
    assert _pause_rms_db(built) > -60      # the bed plays in the pause between segments
    edited = _edit(bed_settings, built, 1, " Bà con cần hỏi thêm xin liên hệ Bộ phận một cửa.")
    audio = _manifest(edited)["audio"]
    assert edited.revision == 2 and edited.sha256 != built.sha256
    assert audio["assembly"] == "mixed" and audio["bed"] == "pad"
    assert _pause_rms_db(edited) > -60     # ... and still does after the edit
    assert edited.duration_s > built.duration_s


def test_without_a_bed_the_pause_is_silent(tmp_path: Path) -> None:
    """The bed check above can fail: a programme without a bed has digital silence there."""
    settings = _settings(tmp_path, "")
    built = wf.build_draft(settings, DAY)
    assert built is not None and _manifest(built)["audio"]["assembly"] == "joined"
    assert _pause_rms_db(built) < -70


def test_edit_rewrites_the_wav_archive_and_measures_the_programme_afresh(tmp_path: Path) -> None:
    settings = _settings(tmp_path, "archive_wav = true")
    built = wf.build_draft(settings, DAY)
    assert built is not None
    archive = built.folder / "program.wav"
    before = archive.read_bytes()
    edited = _edit(settings, built, 1, " Hồ sơ nộp trực tuyến được giải quyết trong ba ngày làm việc.")
    audio = _manifest(edited)["audio"]
    assert audio["assembly"] == "mixed" and audio["archive"] == "program.wav"
    assert archive.read_bytes() != before
    with wave.open(str(archive), "rb") as handle:
        wav_seconds = handle.getnframes() / handle.getframerate()
    assert abs(wav_seconds - edited.duration_s) < 0.15
    assert abs(len(read_mp3(edited.program)) / 1000 - edited.duration_s) < 0.15
    reference = ebur128_file(edited.program)   # ffmpeg's own measurement of the edited file
    assert abs(audio["loudness"]["integrated_lufs"] - reference.integrated) < 0.3
    assert audio["loudness"]["within_spec"] is True


def test_build_rebuild_and_edit_all_assemble_through_assemble_programme(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _settings(tmp_path, "jingle = true")
    calls: list[str] = []
    real = assemble.programme

    def spy(*args: object, **kwargs: object) -> assemble.Assembled:
        result = real(*args, **kwargs)  # type: ignore[arg-type]
        calls.append(result.assembly)
        return result

    monkeypatch.setattr(assemble, "programme", spy)
    built = wf.build_draft(settings, DAY)
    assert built is not None
    edited = _edit(settings, built, 1, " Xin cảm ơn bà con.")
    rebuilt = wf.build_draft(settings, DAY)
    assert rebuilt is not None and rebuilt.folder != built.folder
    assert calls == ["joined", "joined", "joined"]
    for record in (edited, rebuilt):
        audio = _manifest(record)["audio"]
        assert audio["intro_s"] > 1 and audio["loudness"]["within_spec"] is True
