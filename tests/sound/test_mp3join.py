"""Joining MP3 pieces frame by frame: what players and ffmpeg read from the result."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadcast.audio import mp3join
from broadcast.audio.clip import silence
from broadcast.audio.ffmpeg import read_mp3, run_ffmpeg
from broadcast.errors import AudioError

from .helpers import DAY

TAGS = {"title": "Cải cách hành chính 27/11/2026", "artist": "Đài truyền thanh xã Đức Hạnh",
        "album": "Cải cách hành chính", "date": "2026-11-27", "genre": "Speech"}


def tone(path: Path, seconds: float, freq: int) -> Path:
    """A real LAME-encoded MP3 (with its own ID3 tag and Info frame, as the pipeline writes them)."""
    run_ffmpeg(["-y", "-f", "lavfi", "-i", f"sine=frequency={freq}:sample_rate=44100:duration={seconds}",
                "-ac", "1", "-b:a", "128k", "-metadata", "title=piece", "-id3v2_version", "3", str(path)])
    return path


def test_joined_pieces_play_back_to_back_with_one_set_of_tags(tmp_path: Path) -> None:
    pieces = [tone(tmp_path / "a.mp3", 2.0, 440), tone(tmp_path / "b.mp3", 3.0, 660)]
    pause = tmp_path / "pause.mp3"
    silence(900, 44100, 1).export(str(pause), format="mp3", bitrate="128k")
    seconds = mp3join.join([pieces[0], pause, pieces[1]], tmp_path / "program.mp3", tags=TAGS)
    assert 5.9 <= seconds <= 5.9 + 3 * 0.06     # each piece adds its encoder delay and padding, < 60 ms
    decoded = read_mp3(tmp_path / "program.mp3")
    assert len(decoded) / 1000 == pytest.approx(seconds, abs=0.06)
    assert decoded[2300:2700].dBFS < -60 < decoded[500:1500].dBFS   # the pause sits between the tones
    probe = run_ffmpeg(["-i", str(tmp_path / "program.mp3"), "-f", "null", "-"])
    for value in ("Cải cách hành chính 27/11/2026", "Đài truyền thanh xã Đức Hạnh", "Speech", "2026"):
        assert value in probe
    assert "title           : piece" not in probe             # the pieces' own tags are gone
    assert mp3join.mp3_duration(tmp_path / "program.mp3") == pytest.approx(seconds)


def test_info_frame_counts_the_frames(tmp_path: Path) -> None:
    piece = tone(tmp_path / "a.mp3", 1.0, 440)
    mp3join.join([piece, piece], tmp_path / "program.mp3", tags={})
    data = (tmp_path / "program.mp3").read_bytes()
    at = data.index(b"Info")
    frames = int.from_bytes(data[at + 8:at + 12], "big")
    assert frames * 1152 / 44100 == pytest.approx(mp3join.mp3_duration(tmp_path / "program.mp3"))
    assert int.from_bytes(data[at + 12:at + 16], "big") == len(data) - data.index(b"\xff\xfb")


def test_a_piece_that_is_not_mp3_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "04-tin-2.mp3"
    broken.write_bytes(b"<html>not audio</html>")
    with pytest.raises(AudioError, match="04-tin-2"):
        mp3join.join([tone(tmp_path / "a.mp3", 1.0, 440), broken], tmp_path / "program.mp3", tags={})
    assert not (tmp_path / "program.mp3").exists()


def test_a_long_clip_is_encoded_as_halves_joined_in_its_middle_pause(tmp_path: Path) -> None:
    """How an edit re-encodes a segment on both cores: the cut falls in the pause, not in a word."""
    from pydub.generators import Sine

    from broadcast.audio.clip import pause_near_middle
    from broadcast.audio.encode import export_mp3_halves
    from broadcast.config import Settings

    word = Sine(440).to_audio_segment(duration=6000, volume=-12).set_frame_rate(44100).set_channels(1)
    clip = word + silence(400, 44100, 1) + word + silence(400, 44100, 1) + word + word   # pauses at 6 s and 12.4 s
    assert pause_near_middle(clip) == 12_600
    assert pause_near_middle(word + word) is None
    export_mp3_halves(clip, tmp_path / "segment.mp3", Settings(), title="Tin 1", day=DAY)
    decoded = read_mp3(tmp_path / "segment.mp3")
    assert 0 <= len(decoded) - len(clip) <= 120
    assert decoded[12_450:12_750].dBFS < -50 < decoded[13_000:18_000].dBFS
    assert "Tin 1" in run_ffmpeg(["-i", str(tmp_path / "segment.mp3"), "-f", "null", "-"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["segment.mp3"]    # no halves left behind
