"""Speech engines. Google is unreachable here, so its HTTP layer is replaced by `responses`
serving real MP3 bytes in Google's reply format; our code and gTTS run for real."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
import responses

from broadcast.config import SpeechSettings, load_settings
from broadcast.errors import SpeechError
from broadcast.models import Segment
from broadcast.pipeline import build
from broadcast.speech import ENGINES, EngineUnavailable
from broadcast.speech.espeak import EspeakEngine
from broadcast.speech.google import GttsEngine
from broadcast.speech.stage import make_speaker

GOOGLE = re.compile(r"https://translate\.google\.[a-z.]+/_/TranslateWebserverUi/data/batchexecute.*")


@pytest.fixture(scope="module")
def mp3_bytes() -> bytes:
    """A real MP3 of Vietnamese speech (made offline) to stand in for Google's answer."""
    audio = EspeakEngine(SpeechSettings()).synthesize("xin kính chào bà con nhân dân trong xã")
    buffer = io.BytesIO()
    audio.set_frame_rate(24000).export(buffer, format="mp3", bitrate="32k")
    return buffer.getvalue()


def google_reply(mp3: bytes) -> str:
    """The shape of Google's batchexecute answer that gTTS parses."""
    payload = json.dumps([base64.b64encode(mp3).decode()], separators=(",", ":"))
    reply = [["wrb.fr", "jQ1olc", payload, None, None, None, "generic"]]
    return ")]}'\n\n" + json.dumps(reply, separators=(",", ":")) + "\n"


def gtts(retries: int = 3) -> GttsEngine:
    engine = GttsEngine(SpeechSettings(retries=retries, backoff_s=0.5))
    engine.sleep = lambda _s: None  # type: ignore[method-assign]  # no real waiting in tests
    return engine


def test_registry_knows_both_engines_and_they_can_run_here() -> None:
    assert set(ENGINES) >= {"gtts", "espeak"}
    assert all(cls.disabled_message() is None for cls in ENGINES.values())


def test_an_engine_whose_package_is_missing_says_what_to_install() -> None:
    class Missing(EspeakEngine):
        package = ("khong_co_goi_nay", "khong-co-goi-nay")

    assert Missing.disabled_message() == "Chưa cài gói khong-co-goi-nay. Hãy chạy: pip install khong-co-goi-nay"
    with pytest.raises(EngineUnavailable, match="pip install khong-co-goi-nay"):
        Missing(SpeechSettings()).synthesize("Xin chào.")


@responses.activate
def test_gtts_success_decodes_google_audio(mp3_bytes: bytes) -> None:
    responses.add(responses.POST, GOOGLE, body=google_reply(mp3_bytes), status=200)
    audio = gtts().synthesize("Xin chào bà con.")
    assert len(audio) > 500 and audio.dBFS > -40
    body = responses.calls[0].request.body
    assert "vi" in (body if isinstance(body, str) else body.decode())


@responses.activate
def test_gtts_retries_after_429_then_succeeds(mp3_bytes: bytes) -> None:
    waits: list[float] = []
    engine = gtts()
    engine.sleep = waits.append  # type: ignore[method-assign]
    responses.add(responses.POST, GOOGLE, status=429)
    responses.add(responses.POST, GOOGLE, status=503)
    responses.add(responses.POST, GOOGLE, body=google_reply(mp3_bytes), status=200)
    audio = engine.synthesize("Xin chào.")
    assert len(audio) > 500
    assert len(responses.calls) == 3
    assert waits == [0.5, 1.0]  # exponential backoff


@responses.activate
def test_gtts_client_error_is_not_retried() -> None:
    responses.add(responses.POST, GOOGLE, status=403)
    with pytest.raises(SpeechError, match="HTTP 403") as info:
        gtts().synthesize("Xin chào.")
    assert not isinstance(info.value, EngineUnavailable)
    assert len(responses.calls) == 1


@responses.activate
def test_gtts_permanent_failure_reports_unavailable() -> None:
    responses.add(responses.POST, GOOGLE, status=500)
    with pytest.raises(EngineUnavailable, match="HTTP 500 sau 2 lần thử"):
        gtts(retries=2).synthesize("Xin chào.")
    assert len(responses.calls) == 2


@responses.activate
def test_permanent_google_failure_falls_back_to_espeak_and_manifest_says_so(make_config) -> None:  # type: ignore[no-untyped-def]
    responses.add(responses.POST, GOOGLE, status=503)
    settings = load_settings(make_config(engines='["gtts", "espeak"]'), must_exist=True)
    episode = build(settings, dt.date(2026, 11, 27))
    manifest = json.loads((episode.folder / "manifest.json").read_text(encoding="utf-8"))
    assert {s["engine"] for s in manifest["segments"]} == {"espeak"}
    assert any("gtts" in w and "503" in w for w in manifest["warnings"])
    # Google was given up on after the first segment's retries, not asked again for every segment
    assert len(responses.calls) == settings.speech.retries


@responses.activate
def test_google_voices_every_segment_when_it_answers(make_config, mp3_bytes: bytes) -> None:  # type: ignore[no-untyped-def]
    # Long enough for any sentence of the test script: the clip check wants plausible lengths.
    long_mp3 = io.BytesIO()
    (decode_bytes(mp3_bytes) * 2).export(long_mp3, format="mp3", bitrate="32k")
    responses.add(responses.POST, GOOGLE, body=google_reply(long_mp3.getvalue()), status=200)
    settings = load_settings(make_config(engines='["gtts", "espeak"]'), must_exist=True)
    speaker = make_speaker(settings)
    voicing = speaker.voice(Segment("x", "X", "Xin chào.", spoken="Xin chào bà con."))
    assert voicing.engine == "gtts" and not voicing.warnings


def decode_bytes(data: bytes):  # type: ignore[no-untyped-def]
    from broadcast.audio.ffmpeg import decode_mp3

    return decode_mp3(data)


def test_espeak_reads_vietnamese_in_process() -> None:
    audio = EspeakEngine(SpeechSettings()).synthesize("Bộ phận một cửa xã làm việc cả sáng thứ Bảy.")
    assert audio.frame_rate == 22050 and audio.sample_width == 2
    assert 1.5 < len(audio) / 1000 < 8
    assert audio.dBFS > -35


def test_silent_or_empty_clip_is_rejected() -> None:
    from broadcast.audio.clip import check_clip
    from broadcast.audio.ffmpeg import AudioSegment
    from broadcast.errors import AudioError

    with pytest.raises(AudioError, match="im lặng"):
        check_clip(AudioSegment.silent(3000), "một hai ba bốn năm", what="Đoạn x")
    with pytest.raises(AudioError, match="rỗng"):
        check_clip(AudioSegment.silent(10), "một", what="Đoạn x")
    tone = EspeakEngine(SpeechSettings()).synthesize("một")
    with pytest.raises(AudioError, match="không hợp"):
        check_clip(tone, " ".join(["chữ"] * 400), what="Đoạn x")


def test_sentence_cache_reuses_audio(make_config, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    calls: list[str] = []

    class CountingEspeak(EspeakEngine):
        def synthesize(self, text: str):  # type: ignore[no-untyped-def]
            calls.append(text)
            return super().synthesize(text)

    settings = load_settings(make_config(), must_exist=True)
    segment = Segment("x", "X", "", spoken="Câu thứ nhất. Câu thứ hai.")
    make_speaker(settings, [CountingEspeak(settings.speech)]).voice(segment)
    assert len(calls) == 2
    edited = Segment("x", "X", "", spoken="Câu thứ nhất. Câu thứ hai đã sửa.")
    make_speaker(settings, [CountingEspeak(settings.speech)]).voice(edited)
    assert calls[2:] == ["Câu thứ hai đã sửa."]
