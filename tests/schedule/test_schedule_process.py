"""``broadcast schedule`` as a real process: the lock against a second instance, clean stop on SIGTERM."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import time_machine

from broadcast.config import load_settings
from broadcast.errors import BroadcastError
from broadcast.review.store import Store
from broadcast.schedule.lock import SchedulerLock
from broadcast.schedule.runner import start
from broadcast.schedule.timing import schedule_paths, station_zone

REFUSED = "Bộ lập lịch khác đang chạy trên cùng dữ liệu"


def launch(config: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "broadcast", "schedule", "--config", str(config)],
                            cwd=config.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8")


def wait_for_log(log: Path, text: str, process: subprocess.Popen[str], timeout: float = 30, count: int = 1) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and log.read_text(encoding="utf-8").count(text) >= count:
            return
        if process.poll() is not None:
            raise AssertionError(f"scheduler exited early: {process.communicate()}")
        time.sleep(0.1)
    raise AssertionError(f"{text!r} not in log")


def stop(process: subprocess.Popen[str]) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    return process.returncode, err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals; Windows stops via Ctrl-C/Task Scheduler")
def test_second_scheduler_is_refused_and_sigterm_stops_cleanly(make_config) -> None:
    config = make_config()
    log = schedule_paths(load_settings(config)).log_file
    first = launch(config)
    try:
        wait_for_log(log, "Bộ lập lịch đang chạy", first)
        second = subprocess.run([sys.executable, "-m", "broadcast", "schedule", "--config", str(config)],
                                cwd=config.parent, capture_output=True, text=True, encoding="utf-8", timeout=60)
        assert second.returncode == 1
        assert REFUSED in second.stderr
        assert second.stderr.startswith("Lỗi: ")
    finally:
        code, err = stop(first)
    assert code == 0, err
    text = log.read_text(encoding="utf-8")
    assert "Đang dừng" in text and "Bộ lập lịch đã dừng." in text
    assert "Bộ lập lịch đã dừng." in err  # the console shows the same log
    # The lock went with the process: a new scheduler may start.
    with SchedulerLock(schedule_paths(load_settings(config)).lock):
        pass


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_killed_scheduler_leaves_no_stale_lock(make_config) -> None:
    config = make_config()
    paths = schedule_paths(load_settings(config))
    process = launch(config)
    try:
        wait_for_log(paths.log_file, "Bộ lập lịch đang chạy", process)
        with pytest.raises(BroadcastError, match=REFUSED):
            SchedulerLock(paths.lock).acquire()
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=30)
    assert paths.lock.exists()  # the file stays, but the OS lock is gone with the process
    lock = SchedulerLock(paths.lock)
    lock.acquire()
    lock.release()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_missed_build_runs_once_at_start_and_sigterm_waits_for_it(make_config) -> None:
    # The PC was off at the build time, 30 minutes ago (grace: 60 minutes).
    zone = station_zone(load_settings(make_config()))
    missed = dt.datetime.now(zone).replace(second=0, microsecond=0) - dt.timedelta(minutes=30)
    config = make_config(build=f"{missed.minute} {missed.hour} * * *", grace_minutes=60)
    settings = load_settings(config)
    with time_machine.travel(missed - dt.timedelta(minutes=5), tick=False):
        start(settings, str(config)).shutdown(wait=True)  # the stored job: next run = the missed time
    log = schedule_paths(settings).log_file
    process = launch(config)
    try:
        wait_for_log(log, "Dựng bản nháp: bắt đầu", process)  # switched on: the missed build starts at once
    finally:
        code, err = stop(process)  # ... and SIGTERM arrives in the middle of it
    assert code == 0, err
    text = log.read_text(encoding="utf-8")
    marks = [text.find(mark) for mark in ("Đang dừng", "Dựng bản nháp: ĐÃ DỰNG", "Bộ lập lịch đã dừng.")]
    assert -1 not in marks and marks == sorted(marks), text + err
    with Store.open(settings) as store:
        (record,) = store.episodes()
    assert record.state == "draft" and record.program.is_file() and (record.folder / "manifest.json").is_file()
    assert not list(settings.output.folder.glob(".building-*"))
    # Started again: the missed run is not repeated.
    process = launch(config)
    try:
        wait_for_log(log, "Bộ lập lịch đang chạy", process, count=2)
        time.sleep(1.0)
    finally:
        code, err = stop(process)
    assert code == 0, err
    assert log.read_text(encoding="utf-8").count("Dựng bản nháp: bắt đầu") == 1
