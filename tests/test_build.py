"""A full offline build of the bundled samples, measured from the real MP3."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from broadcast.config import load_settings, override
from broadcast.pipeline import build
from tests.audio_check import decode, speech_fraction

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sample_episode(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build this week's episode from the shipped config, offline voice only, into a temp folder."""
    out = tmp_path_factory.mktemp("samples")
    settings = load_settings(ROOT / "config.toml", must_exist=True)
    settings = override(settings, "output.folder", out / "audio_out")
    settings = override(settings, "speech.cache", out / "cache")
    settings = override(settings, "speech.engines", ["espeak"])
    import datetime as dt

    episode = build(settings, dt.date(2026, 11, 27))
    return episode.folder


def test_episode_folder_layout(sample_episode: Path) -> None:
    assert sample_episode.name == "2026-11-27-cai-cach-hanh-chinh"
    manifest = json.loads((sample_episode / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "draft"
    assert manifest["date"] == "2026-11-27"
    assert manifest["column"] == "Cải cách hành chính"
    ids = [s["id"] for s in manifest["segments"]]
    assert ids[0] == "mo-dau" and ids[1] == "ket-qua" and ids[-1] == "ket-thuc"
    assert any(i.startswith("tin-") for i in ids) and any(i.startswith("hoi-dap-") for i in ids)
    for number, segment in enumerate(manifest["segments"], start=1):
        assert set(segment) >= {"id", "title", "text", "spoken", "engine", "duration_s", "sources"}
        assert segment["engine"] == "espeak"
        assert (sample_episode / "segments" / f"{number:02d}-{segment['id']}.mp3").is_file()
    script = (sample_episode / "script.md").read_text(encoding="utf-8")
    assert "thứ Sáu, ngày 27 tháng 11 năm 2026" in script
    # nothing left behind by the atomic build
    assert not [p for p in sample_episode.parent.iterdir() if p.name.startswith(".building")]


def test_program_duration_matches_segments_and_pauses(sample_episode: Path) -> None:
    manifest = json.loads((sample_episode / "manifest.json").read_text(encoding="utf-8"))
    audio = decode(sample_episode / "program.mp3")
    timing = manifest["audio"]
    expected = (sum(s["duration_s"] for s in manifest["segments"]) + timing["intro_s"] + timing["outro_s"]
                + timing["pauses"] * timing["pause_s"] + timing.get("stings", 0) * timing.get("sting_s", 0))
    measured = len(audio) / 1000
    assert abs(measured - expected) / expected < 0.02, (measured, expected)
    assert abs(manifest["duration_s"] - measured) / measured < 0.02
    assert measured > 120, "at least two minutes of speech"


def test_program_is_speech_not_silence_and_does_not_clip(sample_episode: Path) -> None:
    audio = decode(sample_episode / "program.mp3")
    assert audio.frame_rate == 44100 and audio.channels == 1
    assert speech_fraction(audio) > 0.6
    assert audio.max_dBFS < -0.1


def test_program_has_id3_tags(sample_episode: Path) -> None:
    head = (sample_episode / "program.mp3").read_bytes()[:4096]
    assert head.startswith(b"ID3")
    assert "Cải cách hành chính".encode("utf-16-le") in head or "Cải cách hành chính".encode() in head
    assert "Đài truyền thanh xã Đức Hạnh".encode("utf-16-le") in head or \
        "Đài truyền thanh xã Đức Hạnh".encode() in head


def test_manifest_keeps_written_and_spoken_text(sample_episode: Path) -> None:
    manifest = json.loads((sample_episode / "manifest.json").read_text(encoding="utf-8"))
    results = next(s for s in manifest["segments"] if s["id"] == "ket-qua")
    assert "1.245" in results["text"]
    assert results["sources"] and results["sources"][0].startswith("stats:stats.csv")
    news = [s for s in manifest["segments"] if s["id"].startswith("tin-")]
    assert all(s["sources"][0].startswith("http://duchanh.example.vn/") for s in news)


def test_a_failed_build_leaves_earlier_episodes_untouched(sample_episode: Path, tmp_path: Path) -> None:
    before = {p: p.read_bytes() for p in sample_episode.rglob("*") if p.is_file()}
    settings = load_settings(ROOT / "config.toml", must_exist=True)
    settings = override(settings, "output.folder", sample_episode.parent)
    settings = override(settings, "speech.engines", ["gtts"])  # unreachable here: every segment fails
    settings = override(settings, "speech.backoff_s", 0.0)
    settings = override(settings, "speech.retries", 1)
    import datetime as dt

    from broadcast.errors import SpeechError

    with pytest.raises(SpeechError):
        build(settings, dt.date(2026, 11, 27))
    after = {p: p.read_bytes() for p in sample_episode.rglob("*") if p.is_file()}
    assert before == after
    assert sorted(p.name for p in sample_episode.parent.iterdir()) == [sample_episode.name]


def test_cli_build_prints_the_episode_folder(make_config, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    config = make_config()
    # a slot the programme fills (a programme under 70 % of its slot is a serious warning and exit 3)
    config.write_text(config.read_text(encoding="utf-8").replace("[column]\n", "[column]\ntarget_minutes = 4.0\n"),
                      encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "broadcast", "build", "--config", str(config),
                             "--date", "2026-11-27"], capture_output=True, text=True, cwd=tmp_path, check=False)
    assert result.returncode == 0, result.stderr
    folder = Path(result.stdout.strip())
    assert (folder / "program.mp3").is_file()
    assert "[1/" in result.stderr and "giọng espeak" in result.stderr
    shutil.rmtree(folder)


def test_say_makes_an_announcement(make_config, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from broadcast.cli import main

    out = tmp_path / "thong-bao.mp3"
    text = "Ủy ban nhân dân xã thông báo: sáng thứ Bảy, Bộ phận một cửa làm việc bình thường."
    assert main(["say", text, "-o", str(out), "--config", str(make_config())]) == 0
    audio = decode(out)
    assert 2 < len(audio) / 1000 < 30
    assert speech_fraction(audio) > 0.5
    assert re.search(r"dài \d+(,\d)? giây", capsys.readouterr().err)    # a Vietnamese decimal comma


def test_programme_is_joined_from_segment_mp3s_and_meets_loudness(sample_episode: Path) -> None:
    manifest = json.loads((sample_episode / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["audio"]["assembly"] == "joined"
    loudness = manifest["audio"]["loudness"]
    assert abs(loudness["integrated_lufs"] - loudness["target_lufs"]) <= 1.0
    assert loudness["true_peak_dbtp"] <= -1.5
    # the fixed pieces re-assembly after an edit uses are kept beside the segments
    assert {p.name for p in (sample_episode / "parts").iterdir()} >= {"intro.mp3", "outro.mp3"}


def test_without_level_matching_the_programme_is_mixed_and_normalised_as_a_whole(make_config) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from broadcast.audio.loudness import ebur128_file

    settings = load_settings(make_config(), must_exist=True)
    settings = override(settings, "audio.level_match", False)
    episode = build(settings, dt.date(2026, 11, 27))
    manifest = json.loads((episode.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["audio"]["assembly"] == "mixed"
    measured = ebur128_file(episode.program)     # ffmpeg's meter, not ours
    assert abs(measured.integrated - settings.audio.loudness_target) <= 1.0
    assert measured.true_peak <= settings.audio.true_peak
