"""The programme meets its loudness target as listeners hear it: the MP3 decoded and measured."""

from __future__ import annotations

import json

import pytest

from broadcast.audio import loudness
from broadcast.audio.ffmpeg import read_mp3, run_ffmpeg
from broadcast.config import Settings, override
from broadcast.pipeline import render_episode
from broadcast.speech.espeak import EspeakEngine
from broadcast.speech.stage import make_speaker

from .helpers import segment, short_script


@pytest.mark.parametrize("target", [-16.0, -23.0])
def test_programme_mp3_is_on_target_with_true_peak_under_ceiling(settings: Settings, target: float) -> None:
    settings = override(settings, "audio.loudness_target", target)
    episode = render_episode(short_script(), settings, speaker=make_speaker(settings))
    measured = loudness.ebur128_file(episode.program)     # decodes the MP3; ffmpeg's meter, not ours
    assert abs(measured.integrated - target) <= 1.0
    assert measured.true_peak <= -1.5
    assert 8 < len(read_mp3(episode.program)) / 1000 < 40
    recorded = json.loads((episode.folder / "manifest.json").read_text(encoding="utf-8"))["audio"]["loudness"]
    assert recorded["integrated_lufs"] == pytest.approx(measured.integrated, abs=0.15)
    assert recorded["true_peak_dbtp"] == pytest.approx(measured.true_peak, abs=0.15)
    assert recorded["target_lufs"] == target and recorded["within_spec"] is True
    assert "lra_lu" in recorded


def test_loa_preset_encodes_64k_mono_and_keeps_a_wav_archive(settings: Settings) -> None:
    for key, value in {"audio.bitrate": "64k", "audio.preset": "loa", "audio.archive_wav": True,
                       "audio.sting": False}.items():
        settings = override(settings, key, value)
    episode = render_episode(short_script(), settings, speaker=make_speaker(settings))
    probe = run_ffmpeg(["-i", str(episode.program), "-f", "null", "-"])
    assert "64 kb/s" in probe and "mono" in probe
    archive = episode.folder / "program.wav"
    assert archive.is_file() and archive.stat().st_size > 44100 * 2 * 5
    assert loudness.ebur128_file(archive).integrated == pytest.approx(-16.0, abs=1.0)
    manifest = json.loads((episode.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["audio"]["archive"] == "program.wav"
    assert not list(episode.folder.glob(".*.tmp"))


def test_engines_at_different_levels_come_out_equally_loud(settings: Settings) -> None:
    """A quiet engine and a loud one are level-matched before assembly."""
    speaker = make_speaker(settings)
    voice = EspeakEngine(settings.speech)
    loud = voice.synthesize("Bà con lưu ý thời gian tiếp công dân trong tuần này.").set_frame_rate(44100)
    quiet = loud.apply_gain(-18)
    results = [loudness.measure(speaker.finish(clip)[0]) for clip in (loud, quiet)]
    assert abs(results[0].integrated - results[1].integrated) <= 0.5
    for result in results:
        assert abs(result.integrated - settings.audio.loudness_target) <= 0.5
        assert result.true_peak <= settings.audio.true_peak


def test_bed_is_heard_between_segments_and_not_without_it(settings: Settings) -> None:
    settings = override(override(settings, "audio.jingle", False), "audio.sting", False)
    script = short_script()
    first = make_speaker(settings).voice(script.segments[0]).audio
    gap = slice(len(first) + 200, len(first) + 700)          # inside the 900 ms pause after segment 1

    def gap_level(s: Settings) -> float:
        episode = render_episode(script, s, speaker=make_speaker(s))
        return float(read_mp3(episode.program)[gap].dBFS)

    assert gap_level(settings) < -60
    assert gap_level(override(settings, "audio.bed", "pad")) > -50


def test_silence_measures_as_silent() -> None:
    from broadcast.audio.clip import silence

    assert loudness.measure(silence(1000, 44100, 1)).integrated <= loudness.SILENT_LUFS
    assert segment("x", "y").roles == ()


def test_bed_is_ducked_under_speech(settings: Settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The programme's ducking stage on real audio: the bed alone in a gap vs under a voice."""
    from broadcast.audio import mixdown
    from broadcast.audio.clip import pad_expression, silence
    from broadcast.audio.ffmpeg import AudioSegment

    voice = make_speaker(settings).voice(short_script().segments[1]).audio
    speech = mixdown.write_wav(silence(2000, 44100, 1) + voice, tmp_path / "speech.wav")
    run_ffmpeg(["-f", "lavfi", "-i", f"aevalsrc={pad_expression()}:s=44100:d=4", "-y", str(tmp_path / "pad.wav")])
    seconds = len(voice) / 1000 + 2
    run_ffmpeg(["-i", str(speech), "-stream_loop", "-1", "-i", str(tmp_path / "pad.wav"), "-filter_complex",
                f"[1:a]volume=-12dB,atrim=0:{seconds:.2f}[bed];[bed][0:a]{mixdown.DUCK}[out]", "-map", "[out]",
                "-y", str(tmp_path / "ducked.wav")])
    bed = AudioSegment.from_wav(str(tmp_path / "ducked.wav"))
    alone, under = bed[300:1800].dBFS, bed[2500:len(bed) - 500].dBFS
    assert alone - under >= 8
