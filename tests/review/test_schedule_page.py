"""The schedule page: next runs in local time and whether the next airing's episode is approved in time."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from broadcast.config import load_settings
from broadcast.review.store import EpisodeRecord
from broadcast.review.web import create_app
from broadcast.review.web.schedule import readiness

from .conftest import write_config

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def record(state: str) -> EpisodeRecord:
    return EpisodeRecord(id=7, date=dt.date(2026, 12, 7), state=state, folder=Path("x"), duration_s=600.0,
                         revision=2, warnings=())


def test_readiness_says_what_happens_if_not_approved_in_time() -> None:
    now = dt.datetime(2026, 12, 4, 9, 0, tzinfo=ZONE)
    airing = dt.datetime(2026, 12, 7, 5, 30, tzinfo=ZONE)
    day = airing.date()
    assert readiness(None, day, airing, now)[1].startswith("Chưa có bản nháp cho ngày 07/12/2026")
    assert readiness(record("approved"), day, airing, now)[0] == "ok"
    css, sentence = readiness(record("draft"), day, airing, now)
    assert css == "error" and "còn khoảng 68 giờ đến giờ phát 05:30 07/12/2026" in sentence
    assert "không có số mới" in sentence
    assert "dự phòng" in readiness(record("draft"), day, airing, now, policy="evergreen")[1]


def test_schedule_page_lists_the_next_runs_in_local_time(tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path), must_exist=True)
    settings = dataclasses.replace(settings, schedule=dataclasses.replace(settings.schedule,
                                                                          publish=["30 5 * * 1"], build=["0 14 * * 3"],
                                                                          remind=[]))
    page = create_app(settings).test_client().get("/lich/").get_data(as_text=True)
    times = re.findall(r"(\d\d:\d\d), (\d\d/\d\d/\d{4})", page)
    assert ("05:30" in {t for t, _ in times}) and ("14:00" in {t for t, _ in times})
    assert "Chưa có bản nháp cho ngày" in page
