"""The real jobs on real tiny episodes (espeak, one news item, one FAQ): build, remind, publish, policies.

Each build is a real one (about five seconds), so the stories below share their episodes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from broadcast.config import Settings, load_settings
from broadcast.review.store import Store
from broadcast.review.workflow import approve, build_draft
from broadcast.schedule import jobs
from broadcast.schedule.runner import start
from broadcast.schedule.timing import schedule_paths
from tests.schedule.waiting import wait_for as _wait_for

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
WED = dt.date(2026, 12, 2)


def at(day: dt.date, hour: int, minute: int, second: float = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=HCM) + dt.timedelta(seconds=second)


def wait_for(condition: Callable[[], bool], timeout: float = 60.0) -> bool:
    return _wait_for(condition, timeout)


def states(settings: Settings) -> dict[int, str]:
    with Store.open(settings) as store:
        return {r.id: r.state for r in store.episodes()}


def publications(settings: Settings) -> list[int]:
    with Store.open(settings) as store:
        return [p["episode_id"] for p in store.publications()]


def fingerprint(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run_at(settings: Settings, config: Path, moment: dt.datetime, condition: Callable[[], bool]) -> None:
    """Start the real scheduler 1.5 s before ``moment`` and stop it once ``condition`` holds."""
    with time_machine.travel(moment - dt.timedelta(seconds=1.5), tick=True):
        scheduler = start(settings, str(config))
        try:
            assert wait_for(condition), "the job did not run"
        finally:
            scheduler.shutdown(wait=True)


def test_a_week_on_its_own_build_remind_hold_then_publish(make_config, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO", logger="broadcast")
    config = make_config(build="0 14 * * 3", remind="0 16 * * 3", publish=["45 16 * * 1,3,5", "30 5 * * 1,3,5"],
                         policy="hold")
    settings = load_settings(config)
    # Wednesday 14:00: the draft for this afternoon's airing is built.
    run_at(settings, config, at(WED, 14, 0), lambda: "Dựng bản nháp: ĐÃ DỰNG" in caplog.text)
    (draft,) = states(settings).items()
    assert draft[1] == "draft"
    with Store.open(settings) as store:
        record = store.get(draft[0])
    assert record.date == WED and record.program.is_file()
    # 16:00: the editors are reminded, in the log and in the office's file.
    run_at(settings, config, at(WED, 16, 0), lambda: "Nhắc duyệt: ĐÃ NHẮC" in caplog.text)
    reminder = schedule_paths(settings).reminder_file.read_text(encoding="utf-8")
    assert f"Mã {record.id}: ngày phát 02/12/2026" in reminder and record.name in reminder
    assert "Lần phát sóng tiếp theo: 16:45 thứ Tư 02/12/2026." in reminder
    assert f"{record.name}) ngày 02/12/2026 đang chờ phê duyệt" in caplog.text
    # 16:45: nobody approved it. The draft does not air; the log says so.
    run_at(settings, config, at(WED, 16, 45), lambda: "Phát sóng: TẠM GIỮ" in caplog.text)
    assert "1 bản nháp chưa được phê duyệt" in caplog.text
    assert states(settings) == {record.id: "draft"} and publications(settings) == []
    assert not settings.review.onair.exists() or not list(settings.review.onair.glob("*.mp3"))
    # Thursday the leadership approves; Friday 05:30 it airs.
    with Store.open(settings) as store:
        approve(settings, store, record.id, by="Chủ tịch UBND xã")
    run_at(settings, config, at(WED + dt.timedelta(days=2), 5, 30), lambda: "Phát sóng: ĐÃ PHÁT" in caplog.text)
    assert states(settings) == {record.id: "published"}
    onair = list(settings.review.onair.glob("*.mp3"))
    assert [p.read_bytes() for p in onair] == [record.program.read_bytes()]
    # Friday 16:45: this week's programme has aired; it is not replaced, and no warning is raised.
    caplog.clear()
    run_at(settings, config, at(WED + dt.timedelta(days=2), 16, 45), lambda: "Phát sóng: ĐANG PHÁT" in caplog.text)
    assert publications(settings) == [record.id]
    assert "TẠM GIỮ" not in caplog.text


def test_evergreen_policy_failed_build_and_a_draft_that_never_airs(make_config, tmp_path: Path,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(Path(__file__).resolve().parents[2] / "scripts_templates", templates)
    config = make_config(policy="hold", publish=["30 5 * * 1,3,5", "45 16 * * 1,3,5"])
    config.write_text(config.read_text().replace('templates = "', f'templates = "{templates}" #'), encoding="utf-8")
    settings = load_settings(config)
    assert settings.column.templates == templates
    # An earlier, approved and aired episode: the evergreen one. (05:00: the next airing is today, 05:30.)
    with time_machine.travel(at(dt.date(2026, 11, 4), 5, 0), tick=False):
        evergreen = build_draft(settings, dt.date(2026, 11, 4))
        assert evergreen is not None
        with Store.open(settings) as store:
            approve(settings, store, evergreen.id, by="Chủ tịch UBND xã")
        assert jobs.publish(str(config)).result == "published"
        # A build for a date whose episode is approved is skipped, not rebuilt over it.
        assert jobs.build(str(config)).result == "skipped"
    config.write_text(config.read_text().replace('policy = "hold"', 'policy = "evergreen"') +
                      f'evergreen_episode = "{evergreen.name}"\n', encoding="utf-8")
    # This week: the draft is built but nobody approves it.
    with time_machine.travel(at(WED, 14, 0), tick=False):
        built = jobs.build(str(config))
    assert built.result == "built"
    draft_id = int(built.episode or 0)
    with Store.open(settings) as store:
        draft = store.get(draft_id)
    assert draft.date == WED
    before = fingerprint(draft.folder)
    # The airing: the unapproved draft does not air; the evergreen one is re-aired.
    with time_machine.travel(at(WED, 16, 45), tick=False):
        aired = jobs.publish(str(config))
    assert (aired.result, aired.episode) == ("evergreen", str(evergreen.id))
    assert states(settings) == {evergreen.id: "published", draft_id: "draft"}
    assert publications(settings) == [evergreen.id, evergreen.id]
    assert [p.name for p in settings.review.onair.glob("*.mp3")] == [f"{evergreen.name}.mp3"]
    # A build that fails (a broken template) leaves the waiting draft exactly as it was.
    (templates / "opening.txt.j2").write_text("{{ khong_co_bien_nay }}\n", encoding="utf-8")
    with time_machine.travel(at(WED, 15, 0), tick=False):
        failed = jobs.build(str(config))
    assert failed.result == "failed" and "opening" in failed.detail
    assert states(settings) == {evergreen.id: "published", draft_id: "draft"}
    assert fingerprint(draft.folder) == before
    assert sorted(p.name for p in settings.output.folder.iterdir() if not p.name.startswith(".")) == sorted(
        [evergreen.name, draft.name])
    assert not list(settings.output.folder.glob(".building-*"))
    assert "Dựng bản nháp: THẤT BẠI" in caplog.text
    # An evergreen setting that names a draft is refused: a draft never airs, even as the fallback.
    config.write_text(config.read_text().replace(f'evergreen_episode = "{evergreen.name}"',
                                                 f'evergreen_episode = "{draft_id}"'), encoding="utf-8")
    with time_machine.travel(at(WED, 16, 45), tick=False):
        refused = jobs.publish(str(config))
    assert refused.result == "failed" and "chưa được phê duyệt" in refused.detail
    assert states(settings)[draft_id] == "draft"
    assert publications(settings) == [evergreen.id, evergreen.id]
    assert "Phát sóng: THẤT BẠI" in caplog.text
