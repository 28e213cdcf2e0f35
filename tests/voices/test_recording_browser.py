"""The officer's voice, recorded in real Chromium with a fake microphone, replaces the synthetic voice.

`broadcast serve` (waitress) on a free port on 127.0.0.1; Debian's Chromium with a fake capture
device that plays a WAV file made here (espeak-ng's southern voice, slow and high, stands in for the
officer). The recogniser's take check is turned off for these tests (speech.take_max_wer = 1.0): a
synthetic stand-in is not a human voice, and the check has tests of its own.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from broadcast.audio.ffmpeg import AudioSegment, read_mp3
from broadcast.audio.meter import measure_path
from broadcast.config import Settings, load_settings
from broadcast.review.store import EpisodeRecord, Store
from broadcast.review.workflow import build_draft
from broadcast.speech.takes import TakeBank, convert
from tests.review.conftest import write_config

from .recordings import officer_says, wav_bytes, write_wav

CHROMIUM = "/usr/bin/chromium"
DAY = dt.date(2026, 11, 27)
CLOSING = "Xin kính chào và hẹn gặp lại."


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("recording")


@pytest.fixture(scope="module")
def settings(workdir: Path) -> Settings:
    config = write_config(workdir)
    config.write_text(config.read_text(encoding="utf-8").replace("[speech]\n", "[speech]\ntake_max_wer = 1.0\n"),
                      encoding="utf-8")
    return load_settings(config, must_exist=True)


@pytest.fixture(scope="module")
def built(settings: Settings) -> EpisodeRecord:
    record = build_draft(settings, DAY)
    assert record is not None
    return record


@pytest.fixture(scope="module")
def microphone(workdir: Path) -> tuple[Path, float]:
    """The fake microphone's file: the officer's phrase, then long silence; and the phrase's length in s
    once its silences are trimmed (what a take of it should last)."""
    speech = officer_says(CLOSING, pad_ms=300)
    write_wav(speech + AudioSegment.silent(duration=10_000, frame_rate=speech.frame_rate), workdir / "mic.wav")
    return workdir / "mic.wav", len(convert(wav_bytes(speech), sample_rate=22050)) / 1000


@pytest.fixture(scope="module")
def server(settings: Settings, built: EpisodeRecord, workdir: Path) -> Iterator[str]:
    port = free_port()
    log = (workdir / "serve.log").open("w", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "broadcast", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--config", str(settings.source_file)], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(url + "/", timeout=1):
                    break
            except OSError:
                if proc.poll() is not None:
                    raise AssertionError((workdir / "serve.log").read_text(encoding="utf-8")) from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture
def page(microphone: tuple[Path, float]) -> Iterator[Page]:
    """A fresh Chromium per test, so the fake microphone starts its file from the beginning."""
    assert Path(CHROMIUM).exists(), "Chromium is needed: apt-get install chromium (make browser)"
    args = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-audio-capture={microphone[0]}", "--disable-background-networking",
            "--no-first-run", "--mute-audio"]
    if os.geteuid() == 0:
        args.append("--no-sandbox")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield page
        browser.close()
    assert errors == []


def wait_state(page: Page, selector: str, states: tuple[str, ...], timeout_s: float = 90) -> str:
    deadline = time.monotonic() + timeout_s
    while True:
        state = page.evaluate(f"document.querySelector({selector!r}).dataset.state || ''")
        if state in states:
            return str(state)
        if time.monotonic() > deadline:
            message = page.evaluate(f"document.querySelector({selector!r}).querySelector('.rec-status').textContent")
            raise AssertionError(f"{selector}: state {state!r} after {timeout_s} s ({message})")
        time.sleep(0.1)


def audio_duration(page: Page, selector: str, timeout_s: float = 20) -> float:
    """Wait (polling: the site's CSP rightly forbids eval-based waiting) for the audio's metadata; its duration."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(f"document.querySelector({selector!r}).readyState >= 1"):
        if time.monotonic() > deadline:
            raise AssertionError(f"{selector} did not load")
        time.sleep(0.1)
    return float(page.evaluate(f"document.querySelector({selector!r}).duration"))


def record(page: Page, section: str, seconds: float) -> str:
    """Press record, let the fake microphone play ``seconds``, press stop; return the page's message."""
    page.fill("#by", "Chị Lan")
    page.locator(f"{section} .rec-start").click()
    wait_state(page, section, ("recording",), timeout_s=10)
    time.sleep(seconds)
    page.locator(f"{section} .rec-stop").click()
    state = wait_state(page, section, ("saved", "error", "flagged"))
    message = str(page.locator(f"{section} .rec-status").text_content())
    assert state == "saved", message
    return message


def test_browser_records_a_phrase_bank_sentence_used_in_the_next_build(
        server: str, page: Page, settings: Settings, microphone: tuple[Path, float]) -> None:
    page.goto(server + "/ghi-am/")
    section = f'section[data-text="{CLOSING}"]'
    assert page.locator(section).count() == 1      # the closing's last sentence is offered: it recurs weekly
    record(page, section, microphone[1] + 1.0)
    take = TakeBank(settings.speech.takes).find(CLOSING)
    assert take is not None and take.by == "Chị Lan" and take.kind == "phrase"
    assert take.seconds == pytest.approx(microphone[1], abs=0.25)   # all of the phrase, its silence trimmed
    # the page plays the stored take back
    assert audio_duration(page, f"{section} .rec-audio") == pytest.approx(take.seconds, abs=0.1)

    # next week's build reads that sentence in the officer's voice
    next_week = build_draft(settings, DAY + dt.timedelta(days=7))
    assert next_week is not None
    manifest = json.loads((next_week.folder / "manifest.json").read_text(encoding="utf-8"))
    closing = next(s for s in manifest["segments"] if s["id"] == "ket-thuc")
    assert closing["recorded"] == [{"text": CLOSING, "by": "Chị Lan", "at": take.at, "revision": take.revision}]


def test_browser_records_a_whole_segment_that_replaces_it_in_the_programme(
        server: str, page: Page, settings: Settings, built: EpisodeRecord, microphone: tuple[Path, float]) -> None:
    with Store.open(settings) as store:
        before = store.get(built.id)
        old = next(s for s in store.segments(built.id) if s.id == "tin-1")
    page.goto(f"{server}/ghi-am/so-phat/{built.id}")
    message = record(page, "#doan-tin-1", microphone[1] + 1.0)
    with Store.open(settings) as store:
        after = store.get(built.id)
        new = next(s for s in store.segments(built.id) if s.id == "tin-1")
    assert f"phiên bản {after.revision}" in message and after.revision == before.revision + 1
    assert new.engine == "ghi âm" and new.text == old.text
    take = TakeBank(settings.speech.takes).find(old.spoken)
    assert take is not None and take.kind == "segment" and take.segment == "tin-1" and take.episode == built.id
    # the segment is the take, level-matched like every clip, and the programme changed by the difference
    segment_mp3 = after.folder / new.file
    assert len(read_mp3(segment_mp3)) / 1000 == pytest.approx(take.seconds, abs=0.15)
    level = measure_path(segment_mp3, settings.audio.sample_rate, settings.audio.channels)
    assert abs(level.integrated - settings.audio.loudness_target) <= 1.0, level
    assert after.duration_s == pytest.approx(before.duration_s - old.duration_s + new.duration_s, abs=0.3)
    manifest = json.loads((after.folder / "manifest.json").read_text(encoding="utf-8"))
    assert next(s for s in manifest["segments"] if s["id"] == "tin-1")["engine"] == "ghi âm"
    # the review page now plays the recorded segment
    page.goto(f"{server}/episodes/{built.id}")
    assert audio_duration(page, "audio[data-segment='tin-1']") == pytest.approx(take.seconds, abs=0.2)
