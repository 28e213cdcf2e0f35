"""An offline engine reads a few sentences ahead of the voicing, on two threads, never further."""

from __future__ import annotations

import threading
import time

from broadcast.audio.ffmpeg import AudioSegment
from broadcast.config import Settings, override
from broadcast.speech.fake import FakeEngine
from broadcast.speech.pacing import Window
from broadcast.speech.speak import OFFLINE_AHEAD, Speaker
from broadcast.speech.stage import make_speaker

from .helpers import segment

SCRIPT = [segment(f"s{n}", " ".join(f"Câu số {n} {k} của bà con." for k in range(6))) for n in range(5)]


class Watched(FakeEngine):
    """The fake voice, noting how far its reading ran ahead of what the voicing had used."""

    def __init__(self, settings, log):  # type: ignore[no-untyped-def]
        super().__init__(settings)
        self.log = log

    def for_role(self, role: str) -> FakeEngine:
        return self

    def synthesize(self, text: str) -> AudioSegment:
        self.log["read"] += 1
        self.log["threads"].add(threading.current_thread().name)
        self.log["ahead"] = max(self.log["ahead"], self.log["read"] - self.log["used"])
        time.sleep(0.005)
        return super().synthesize(text)


def _voiced(settings: Settings, *, read_ahead: bool) -> tuple[list[bytes], dict]:  # type: ignore[type-arg]
    log: dict = {"read": 0, "used": 0, "ahead": 0, "threads": set()}  # type: ignore[type-arg]
    speaker = make_speaker(settings, [Watched(settings.speech, log)])
    real = Speaker.sentence

    def counted(self, engine, text):  # type: ignore[no-untyped-def]
        audio = real(self, engine, text)
        log["used"] += 1
        time.sleep(0.01)               # the voicing is slower than the reading: the window must hold it
        return audio

    speaker.sentence = counted.__get__(speaker)  # type: ignore[method-assign]
    if read_ahead:
        speaker.prefetch(SCRIPT)
    try:
        clips = [speaker.voice(s).audio.raw_data for s in SCRIPT]
    finally:
        speaker.end_prefetch()
    return clips, log


def test_read_ahead_stays_within_its_window_and_sounds_the_same(settings: Settings) -> None:
    settings = override(settings, "speech.cache", None)
    ahead, log = _voiced(settings, read_ahead=True)
    plain, plain_log = _voiced(settings, read_ahead=False)
    assert ahead == plain                                  # same sound, in script order
    assert log["read"] == plain_log["read"] == 30          # each sentence read once
    assert any(name.startswith("offline") for name in log["threads"])
    assert OFFLINE_AHEAD // 2 <= log["ahead"] <= OFFLINE_AHEAD + 1
    assert plain_log["ahead"] <= 1


def test_the_window_lets_a_skipped_job_through_and_closing_releases_the_waiting() -> None:
    window = Window(2)
    results: list[bool] = []
    waiter = threading.Thread(target=lambda: results.append(window.wait(5)))
    waiter.start()
    time.sleep(0.05)
    assert not results                  # job 5 waits: the voicing has asked for nothing yet
    window.ask(4)                       # jobs 0-3 were never asked for (recorded takes): 5 may go
    waiter.join(timeout=2)
    assert results == [True]
    late = threading.Thread(target=lambda: results.append(window.wait(50)))
    late.start()
    window.close()                      # the voicing is over: nobody waits for ever
    late.join(timeout=2)
    assert results == [True, False]
