"""Online engines: bounded concurrency, polite throttling, deterministic output, fast fallback.

The gTTS engine talks to a real HTTP server on 127.0.0.1 (bench/fake_tts.py) through its
``gtts_url`` seam; gTTS, requests and the MP3 decoding are real.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest

from bench.fake_tts import FakeTts
from broadcast.config import Settings, override
from broadcast.speech import make_engines
from broadcast.speech.speak import Throttle
from broadcast.speech.stage import make_speaker

from .helpers import segment

# Distinct lengths, so audio joined in the wrong order would differ.
SEGMENTS = [segment("a", "Một hai ba. Một hai ba bốn. Một hai ba bốn năm."),
            segment("b", "Sáu bảy. Sáu bảy tám chín mười. Sáu bảy tám chín.")]


def _google(settings: Settings, url: str, **values: object) -> Settings:
    settings = override(settings, "speech.engines", ["gtts", "espeak"])
    settings = override(settings, "speech.gtts_url", url)
    settings = override(settings, "speech.cache", None)
    for key, value in values.items():
        settings = override(settings, f"speech.{key}", value)
    return settings


def _build(settings: Settings) -> list[bytes]:
    speaker = make_speaker(settings)
    speaker.prefetch(SEGMENTS)
    voicings = [speaker.voice(s) for s in SEGMENTS]
    speaker.end_prefetch()
    assert {v.engine for v in voicings} == {"gtts"}
    return [v.audio.raw_data for v in voicings]


def test_concurrent_requests_are_bounded_and_output_matches_sequential(fake_google: FakeTts,
                                                                       settings: Settings) -> None:
    sequential = _build(_google(settings, fake_google.url, concurrency=1, min_interval_s=0.0))
    assert fake_google.max_in_flight == 1 and len(fake_google.requests) == 6
    fake_google.max_in_flight = 0
    concurrent = _build(_google(settings, fake_google.url, concurrency=3, min_interval_s=0.0))
    assert 2 <= fake_google.max_in_flight <= 3
    assert len(fake_google.requests) == 12
    assert concurrent == sequential


def test_requests_to_one_service_are_spaced_by_the_minimum_interval(fake_google: FakeTts,
                                                                    settings: Settings) -> None:
    _build(_google(settings, fake_google.url, concurrency=4, min_interval_s=0.12))
    starts = sorted(fake_google.starts)
    assert len(starts) == 6
    # Unthrottled, four requests would arrive within milliseconds; arrival times jitter with thread
    # scheduling, so check the span (5 intervals) rather than each gap.
    assert starts[-1] - starts[0] >= 5 * 0.12 * 0.9
    assert starts[3] - starts[0] >= 3 * 0.12 * 0.9


def test_throttle_spaces_callers_from_several_threads() -> None:
    throttle = Throttle(0.05)
    stamps: list[float] = []

    def call() -> None:
        throttle.wait()
        stamps.append(time.monotonic())

    threads = [threading.Thread(target=call) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stamps.sort()
    assert stamps[-1] - stamps[0] >= 4 * 0.05 * 0.9


def test_unreachable_service_is_marked_down_during_prefetch(settings: Settings) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = _google(settings, f"http://127.0.0.1:{port}", concurrency=4)
    speaker = make_speaker(settings, make_engines(settings.speech))
    speaker.prefetch(SEGMENTS)
    assert "gtts" in speaker.down
    voicing = speaker.voice(SEGMENTS[0])
    assert voicing.engine == "espeak" and any("gtts" in w for w in voicing.warnings)


def test_google_tempo_slows_the_voice_keeping_its_sound(fake_google: FakeTts, settings: Settings) -> None:
    from broadcast.speech.google import GttsEngine

    normal = GttsEngine(_google(settings, fake_google.url).speech).synthesize("Một hai ba bốn năm sáu bảy tám.")
    slow = GttsEngine(_google(settings, fake_google.url, gtts_tempo=0.8).speech).synthesize(
        "Một hai ba bốn năm sáu bảy tám.")
    assert len(slow) / len(normal) == pytest.approx(1 / 0.8, rel=0.05)
