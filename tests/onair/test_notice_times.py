"""A notice given a time airs at that minute (the real scheduler, the clock moved by time-machine), not before;
a cancelled one never airs; one found too late is logged missed; bad times are refused in one line."""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from apscheduler.events import EVENT_JOB_EXECUTED, JobExecutionEvent

from broadcast.config import load_settings
from broadcast.errors import OnAirError
from broadcast.files import sha256
from broadcast.onair.airtime import AT, BY_PRIORITY, NOW, cancel, describe, parse_when, state_of
from broadcast.onair.items import NORMAL, URGENT, add_notice, claim_waiting
from broadcast.onair.log import MISSED, PLAYED, AsPlayedLog
from broadcast.onair.outputs.folder import ONAIR_FILE
from broadcast.onair.slot import ONTIME_S, watch_notices
from broadcast.review.store import Store
from broadcast.schedule.runner import start
from tests.onair.conftest import write_config

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
SATURDAY_0730 = dt.datetime(2026, 12, 5, 7, 30, tzinfo=HCM)


class Polls:
    """Every run of the notice watch: when it ran and the airing threads it started."""

    def __init__(self, scheduler: object) -> None:
        self.runs: list[tuple[dt.datetime, int]] = []
        self.threads: list[threading.Thread] = []
        self.aired = threading.Event()
        scheduler.add_listener(self._on_run, EVENT_JOB_EXECUTED)  # type: ignore[attr-defined]

    def _on_run(self, event: JobExecutionEvent) -> None:
        if event.job_id != "onair-notices":
            return
        started = list(event.retval or [])
        self.runs.append((dt.datetime.now(HCM), len(started)))
        if started:
            self.threads += started
            self.aired.set()


def test_a_timed_notice_airs_at_its_minute_on_the_folder_output_and_a_cancelled_one_never(
        tmp_path: Path, speech_mp3: Path) -> None:
    config = write_config(tmp_path, 'outputs = ["folder"]\nnotice_poll_s = 0.2')
    settings = load_settings(config, must_exist=True)
    store = Store.open(settings)
    for name in ("hen.mp3", "huy.mp3"):
        shutil.copyfile(speech_mp3, tmp_path / name)
    (tmp_path / "huy.mp3").write_bytes((tmp_path / "huy.mp3").read_bytes() + b"\0" * 16)  # another file
    with time_machine.travel(SATURDAY_0730 - dt.timedelta(seconds=3), tick=True):
        chosen = parse_when(AT, "05/12/2026 07:30", HCM)
        assert chosen == SATURDAY_0730
        timed = add_notice(store, tmp_path / "hen.mp3", title="Tiêm phòng dại cho chó mèo", priority=NORMAL,
                           by="Trần Thị B", air_at=chosen)
        dropped = add_notice(store, tmp_path / "huy.mp3", title="Họp dân thôn Tây (đã hoãn)", priority=URGENT,
                             by="Trần Thị B", air_at=chosen)
        cancel(store, dropped.ref_id, by="Ông Hùng")
        assert claim_waiting(store, NORMAL) == [] and claim_waiting(store, URGENT) == [], "slots leave timed ones"
        scheduler = start(settings, str(config))
        try:
            polls = Polls(scheduler)
            assert polls.aired.wait(30), "the watch aired the notice"
            for thread in polls.threads:
                thread.join(30)
        finally:
            scheduler.shutdown(wait=True)
    target = settings.onair.folder / ONAIR_FILE
    assert sha256(target) == timed.sha256, "the approved notice file is what the folder output holds"
    first_air = min(at for at, count in polls.runs if count)
    assert any(at < SATURDAY_0730 and count == 0 for at, count in polls.runs), "the watch ran before, airing nothing"
    assert SATURDAY_0730 <= first_air < SATURDAY_0730 + dt.timedelta(seconds=ONTIME_S)
    rows = AsPlayedLog(store).rows()
    assert [(r.ref_id, r.output, r.result) for r in rows] == [(timed.ref_id, "folder", PLAYED)]
    assert rows[0].slot == "2026-12-05T07:30:00+07:00" and rows[0].started is not None
    assert SATURDAY_0730 <= rows[0].started < SATURDAY_0730 + dt.timedelta(seconds=ONTIME_S)
    assert describe(state_of(store, timed.ref_id), HCM, None).startswith("đã phát lúc 07:30 thứ Bảy 05/12/2026")
    gone = state_of(store, dropped.ref_id)
    assert not gone.claimed and describe(gone, HCM, None).startswith("đã hủy, không phát (bởi Ông Hùng")
    with pytest.raises(OnAirError, match=r"đã phát .*không hủy được"):
        cancel(store, timed.ref_id, by="Ông Hùng")


def test_a_timed_notice_the_scheduler_finds_too_late_is_logged_missed_and_not_aired(
        tmp_path: Path, speech_mp3: Path) -> None:
    config = write_config(tmp_path, 'outputs = ["folder"]')
    settings = load_settings(config, must_exist=True)
    store = Store.open(settings)
    shutil.copyfile(speech_mp3, tmp_path / "tre.mp3")
    notice = add_notice(store, tmp_path / "tre.mp3", title="Lịch cắt điện", priority=NORMAL, by="Trần Thị B",
                        air_at=SATURDAY_0730)
    with time_machine.travel(SATURDAY_0730 + dt.timedelta(minutes=20), tick=False):   # the PC was off at 07:30
        assert watch_notices(str(config)) == []
    [row] = AsPlayedLog(store).rows()
    assert (row.ref_id, row.result) == (notice.ref_id, MISSED) and "trễ 20 phút" in row.detail
    assert not (settings.onair.folder / ONAIR_FILE).exists()
    assert describe(state_of(store, notice.ref_id), HCM, None).startswith("lỡ giờ phát 07:30 thứ Bảy 05/12/2026")


@pytest.mark.parametrize(("choice", "text", "message"), [
    (AT, "05/12/2026 07:00", r"^Giờ phát 07:00 thứ Bảy 05/12/2026 đã qua \(bây giờ là 07:29"),
    (AT, "5-12-2026 7h30", r"^Giờ phát «5-12-2026 7h30» không đúng dạng ngày/tháng/năm giờ:phút"),
    (AT, "31/11/2026 08:00", r"không đúng dạng .*hoặc không có thật"),
    (AT, "", r"^Hãy ghi giờ phát dạng ngày/tháng/năm giờ:phút"),
    (AT, "05/12/2028 08:00", r"quá xa"),
    ("sau", "", r"^Cách phát 'sau' không hợp lệ"),
])
def test_a_bad_or_past_time_is_one_vietnamese_line(choice: str, text: str, message: str) -> None:
    now = SATURDAY_0730 - dt.timedelta(seconds=30)
    with pytest.raises(OnAirError, match=message) as caught:
        parse_when(choice, text, HCM, now)
    assert "\n" not in str(caught.value)


def test_the_current_minute_and_the_two_other_choices_are_accepted() -> None:
    now = SATURDAY_0730 + dt.timedelta(seconds=40)
    assert parse_when(AT, " 05/12/2026  07:30 ", HCM, now) == SATURDAY_0730
    assert parse_when(NOW, "", HCM, now) == now
    assert parse_when(BY_PRIORITY, "05/12/2026 07:00", HCM, now) is None
