"""The real scheduler airs the approved programme at its slot: to a real Icecast server and the sound card."""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from apscheduler.events import EVENT_JOB_EXECUTED, JobExecutionEvent

from broadcast.audio.meter import measure_path
from broadcast.config import load_settings
from broadcast.onair.items import URGENT, add_notice
from broadcast.onair.log import PLAYED, AsPlayedLog
from broadcast.onair.outputs.soundcard import duration_of
from broadcast.onair.slot import ONTIME_S
from broadcast.review.store import Store
from broadcast.schedule.runner import start
from tests.onair.conftest import Icecast, Listener, register_episode, write_config

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_0530 = dt.datetime(2026, 11, 30, 5, 30, tzinfo=HCM)


def executed(scheduler: object, job_id: str) -> threading.Event:
    done = threading.Event()

    def listener(event: JobExecutionEvent) -> None:
        if event.job_id == job_id:
            done.set()

    scheduler.add_listener(listener, EVENT_JOB_EXECUTED)  # type: ignore[attr-defined]
    return done


def test_scheduler_streams_the_approved_programme_to_icecast_at_the_slot_time(
        tmp_path: Path, speech_mp3: Path, icecast: Icecast) -> None:
    url = icecast.url("xa-duc-hanh.mp3")
    config = write_config(tmp_path, f'outputs = ["icecast", "soundcard"]\nicecast_url = "{url}"\n'
                                    f'icecast_password = "{icecast.password}"')
    settings = load_settings(config, must_exist=True)
    episode = register_episode(settings, speech_mp3, published=False)   # approved: the slot publishes it
    listener = Listener(url).start()
    with time_machine.travel(MONDAY_0530 - dt.timedelta(seconds=2), tick=True):
        scheduler = start(settings, str(config))
        try:
            done = executed(scheduler, "publish-1")
            assert done.wait(60), "the publish job ran at 05:30 and played the slot"
        finally:
            scheduler.shutdown(wait=True)
    assert listener.finished.wait(15)
    heard = listener.save(tmp_path / "heard.mp3")
    assert duration_of(heard) == pytest.approx(duration_of(speech_mp3), abs=0.1)
    assert measure_path(heard, 22050).integrated == pytest.approx(measure_path(speech_mp3, 22050).integrated, abs=0.3)
    rows = AsPlayedLog(Store.open(settings)).rows()
    assert sorted((r.output, r.result, r.ref_id) for r in rows) == [
        ("icecast", PLAYED, episode.id), ("soundcard", PLAYED, episode.id)]
    for row in rows:
        assert row.slot == "2026-11-30T05:30:00+07:00"
        assert row.started is not None
        assert 0 <= (row.started - MONDAY_0530).total_seconds() < ONTIME_S, "at its slot (bench/onair.py times it)"
    assert Store.open(settings).get(episode.id).state == "published"


def test_scheduler_airs_an_urgent_notice_within_its_poll_interval(tmp_path: Path, speech_mp3: Path) -> None:
    config = write_config(tmp_path, 'outputs = ["soundcard"]\nnotice_poll_s = 0.2')
    settings = load_settings(config, must_exist=True)
    store = Store.open(settings)
    scheduler = start(settings, str(config))
    try:
        polled = executed(scheduler, "onair-notices")
        assert polled.wait(10)
        shutil.copyfile(speech_mp3, tmp_path / "khan.mp3")
        notice = add_notice(store, tmp_path / "khan.mp3", title="Cắt điện khẩn", priority=URGENT, by="Trần Thị B")
        log = AsPlayedLog(store)
        from tests.schedule.waiting import wait_for

        assert wait_for(lambda: any(r.started for r in log.rows()), 10), "the notice went on air"
        assert wait_for(lambda: any(r.result == PLAYED for r in log.rows()), notice.duration_s + 10)
    finally:
        scheduler.shutdown(wait=True)
    [row] = AsPlayedLog(store).rows()
    assert (row.kind, row.ref_id, row.priority) == ("notice", notice.ref_id, URGENT)


def test_scheduler_refuses_to_start_with_an_icecast_output_and_no_password(tmp_path: Path) -> None:
    from broadcast.errors import ConfigError

    settings = load_settings(write_config(tmp_path, 'outputs = ["soundcard", "icecast"]'), must_exist=True)
    with pytest.raises(ConfigError, match=r"onair\.outputs.*icecast_password"):
        start(settings, "")
