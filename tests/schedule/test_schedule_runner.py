"""A real APScheduler with its real SQLite job store, driven by real cron triggers and a moved clock.

The job here is a tiny probe that appends a line to a file, so these tests are about the scheduler
itself: on-time runs, a missed run after the PC was off, restarts, config changes, --list.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from broadcast.cli import main
from broadcast.config import Settings, load_settings
from broadcast.schedule.runner import JobSpec, start
from broadcast.schedule.timing import schedule_paths
from tests.schedule.waiting import wait_for as _wait_for

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
PROBE = f"{__name__}:probe"
MONDAY_0530 = dt.datetime(2026, 11, 30, 5, 30, tzinfo=HCM)


def probe(path: str) -> None:
    """The scheduled job: one line per run."""
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(dt.datetime.now(HCM).isoformat() + "\n")


def runs(path: Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


def wait_for(condition: Callable[[], bool], timeout: float = 8.0) -> bool:
    return _wait_for(condition, timeout)


def stored_ids(settings: Settings) -> list[str]:
    with sqlite3.connect(schedule_paths(settings).jobs_database) as db:
        return sorted(row[0] for row in db.execute("SELECT id FROM apscheduler_jobs"))


@pytest.fixture
def settings(make_config) -> Settings:
    return load_settings(make_config(grace_minutes=60))


def probe_spec(out: Path, cron: str = "30 5 * * 1") -> list[JobSpec]:
    return [JobSpec("probe-1", "Thử", PROBE, cron, (str(out),))]


def test_a_job_runs_at_its_cron_time(settings: Settings, tmp_path: Path) -> None:
    out = tmp_path / "runs.txt"
    with time_machine.travel(MONDAY_0530 - dt.timedelta(seconds=1.5), tick=True):
        scheduler = start(settings, "", probe_spec(out))
        try:
            assert runs(out) == 0
            assert wait_for(lambda: runs(out) == 1, timeout=6)
            job = scheduler.get_job("probe-1")
        finally:
            scheduler.shutdown(wait=True)
    ran_at = dt.datetime.fromisoformat(out.read_text().strip())
    assert dt.timedelta(0) <= ran_at - MONDAY_0530 < dt.timedelta(seconds=10)  # at the trigger, not at start
    assert job.next_run_time == MONDAY_0530 + dt.timedelta(days=7)


def test_missed_run_runs_once_after_the_pc_is_switched_on(settings: Settings, tmp_path: Path) -> None:
    out = tmp_path / "runs.txt"
    # Sunday evening: the scheduler stores Monday 05:30 as the next run, then the PC is switched off.
    with time_machine.travel(MONDAY_0530 - dt.timedelta(hours=9), tick=False):
        scheduler = start(settings, "", probe_spec(out))
        assert scheduler.get_job("probe-1").next_run_time == MONDAY_0530
        scheduler.shutdown(wait=True)
    # Switched on at 05:50 (within the 60-minute grace): the missed airing happens now, once.
    with time_machine.travel(MONDAY_0530 + dt.timedelta(minutes=20), tick=True):
        scheduler = start(settings, "", probe_spec(out))
        try:
            assert wait_for(lambda: runs(out) >= 1)
            time.sleep(0.6)
            next_run = scheduler.get_job("probe-1").next_run_time
        finally:
            scheduler.shutdown(wait=True)
        assert runs(out) == 1
        assert next_run == MONDAY_0530 + dt.timedelta(days=7)
        # Restarting again neither re-runs the job nor duplicates it.
        scheduler = start(settings, "", probe_spec(out))
        time.sleep(0.6)
        jobs = [job.id for job in scheduler.get_jobs()]
        scheduler.shutdown(wait=True)
    assert runs(out) == 1
    assert jobs == ["probe-1"]
    assert stored_ids(settings) == ["probe-1"]


def test_a_run_missed_beyond_the_grace_period_is_skipped_and_logged(settings: Settings, tmp_path: Path,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    out = tmp_path / "runs.txt"
    with time_machine.travel(MONDAY_0530 - dt.timedelta(hours=9), tick=False):
        start(settings, "", probe_spec(out)).shutdown(wait=True)
    with time_machine.travel(MONDAY_0530 + dt.timedelta(minutes=90), tick=True):
        scheduler = start(settings, "", probe_spec(out))
        try:
            assert wait_for(lambda: "Bỏ lỡ lần chạy probe-1" in caplog.text)
            next_run = scheduler.get_job("probe-1").next_run_time
        finally:
            scheduler.shutdown(wait=True)
    assert runs(out) == 0
    assert next_run == MONDAY_0530 + dt.timedelta(days=7)


def test_config_is_the_source_of_truth_across_restarts(make_config) -> None:
    friday = dt.datetime(2026, 11, 27, 10, 0, tzinfo=HCM)
    first = load_settings(make_config(remind=["0 8 * * 4", "0 16 * * 3"], publish=["30 5 * * 1,3,5", "45 16 * * 5"]))
    with time_machine.travel(friday, tick=False):
        for _ in range(2):  # starting twice with the same config changes nothing
            scheduler = start(first, "cfg")
            ids = sorted(job.id for job in scheduler.get_jobs())
            scheduler.shutdown(wait=True)
            assert ids == ["build-1", "publish-1", "publish-2", "remind-1", "remind-2"]
            assert stored_ids(first) == ids
        changed = load_settings(make_config(remind=[], publish="0 6 * * 2"))
        scheduler = start(changed, "cfg")
        jobs = {job.id: job for job in scheduler.get_jobs()}
        scheduler.shutdown(wait=True)
    assert sorted(jobs) == ["build-1", "publish-1"] == stored_ids(changed)
    assert jobs["publish-1"].next_run_time == dt.datetime(2026, 12, 1, 6, 0, tzinfo=HCM)  # Tuesday 06:00
    assert jobs["build-1"].next_run_time == dt.datetime(2026, 12, 2, 14, 0, tzinfo=HCM)
    assert jobs["build-1"].func_ref == "broadcast.schedule.jobs:build"
    assert jobs["build-1"].args == ("cfg",)


def test_list_prints_every_job_with_its_next_local_run(make_config, capsys: pytest.CaptureFixture[str]) -> None:
    path = make_config(publish=["30 5 * * 1,3,5", "45 16 * * 1,3,5"], grace_minutes=120)
    settings = load_settings(path)
    with time_machine.travel(dt.datetime(2026, 11, 27, 10, 0, tzinfo=HCM), tick=False):
        assert main(["schedule", "--list", "--config", str(path)]) == 0
    out = capsys.readouterr().out
    assert "giờ Asia/Ho_Chi_Minh" in out
    for line in ["build-1    lần chạy tới: 14:00 thứ Tư 02/12/2026",
                 "remind-1   lần chạy tới: 08:00 thứ Năm 03/12/2026",
                 "publish-1  lần chạy tới: 05:30 thứ Hai 30/11/2026",
                 "publish-2  lần chạy tới: 16:45 thứ Sáu 27/11/2026"]:
        assert line in out
    assert not schedule_paths(settings).jobs_database.exists()  # listing writes nothing
    # The jobs were stored on Sunday; it is now Monday 06:00 and the scheduler is not running yet.
    with time_machine.travel(MONDAY_0530 - dt.timedelta(hours=9), tick=False):
        start(settings, str(path)).shutdown(wait=True)
    with time_machine.travel(MONDAY_0530 + dt.timedelta(minutes=30), tick=False):
        assert main(["schedule", "--list", "--config", str(path)]) == 0
    out = capsys.readouterr().out
    assert "publish-1  lần chạy tới: 05:30 thứ Hai 30/11/2026" in out
    assert "bị lỡ, sẽ chạy bù" in out
