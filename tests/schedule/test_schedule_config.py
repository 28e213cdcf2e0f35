"""The [schedule] section: standard crontab meaning, validation at start-up, documentation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from broadcast.config import all_setting_keys, load_settings
from broadcast.errors import ConfigError
from broadcast.schedule.runner import check, job_specs
from broadcast.schedule.timing import next_fire, previous_fire, trigger

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
PROJECT = Path(__file__).resolve().parents[2]


def fires(expr: str, start: dt.datetime, count: int) -> list[dt.datetime]:
    cron, out, moment = trigger(expr, HCM), [], start
    for _ in range(count):
        moment = cron.get_next_fire_time(None, moment)
        out.append(moment)
        moment += dt.timedelta(seconds=1)
    return out


def test_weekdays_read_as_in_crontab_not_as_apscheduler_numbers() -> None:
    # 2026-11-27 is a Friday. "1,3,5" must be Monday, Wednesday, Friday (APScheduler alone says Tue/Thu/Sat).
    got = fires("30 5 * * 1,3,5", dt.datetime(2026, 11, 27, 6, 0, tzinfo=HCM), 3)
    assert [t.strftime("%a %H:%M") for t in got] == ["Mon 05:30", "Wed 05:30", "Fri 05:30"]
    assert {t.utcoffset() for t in got} == {dt.timedelta(hours=7)}
    assert [t.strftime("%a") for t in fires("0 9 * * 0", got[0], 2)] == ["Sun", "Sun"]
    assert [t.strftime("%a") for t in fires("0 9 * * 7", got[0], 1)] == ["Sun"]
    assert [t.strftime("%a") for t in fires("0 9 * * 5-7", got[0], 3)] == ["Fri", "Sat", "Sun"]


def test_previous_and_next_fire_times() -> None:
    friday = dt.datetime(2026, 11, 27, 10, 0, tzinfo=HCM)
    assert previous_fire(["0 14 * * 3"], HCM, friday) == dt.datetime(2026, 11, 25, 14, 0, tzinfo=HCM)
    assert next_fire(["30 5 * * 1,3,5", "45 16 * * 1,3,5"], HCM, friday) == dt.datetime(2026, 11, 27, 16, 45,
                                                                                        tzinfo=HCM)


def test_one_string_or_a_list(make_config) -> None:
    settings = load_settings(make_config(remind="0 8 * * 4", publish=["30 5 * * 1", "45 16 * * 1"]))
    assert settings.schedule.remind == ["0 8 * * 4"]
    assert [s.id for s in job_specs(settings, "x")] == ["build-1", "remind-1", "publish-1", "publish-2"]


@pytest.mark.parametrize("bad", ["30 5 * *", "61 5 * * 1", "30 5 * * 8", "30 25 * * 1", "chủ nhật"])
def test_invalid_cron_is_a_config_error_naming_key_value_and_line(make_config, bad: str) -> None:
    path = make_config(publish=["30 5 * * 1", bad])
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if text.startswith("publish"))
    assert f"config.toml, dòng {line}: schedule.publish" in message
    assert repr(bad) in message


def test_unknown_policy_is_refused(make_config) -> None:
    with pytest.raises(ConfigError, match=r"schedule\.policy.*'always'"):
        load_settings(make_config(policy="always"))


def test_evergreen_needs_an_episode(make_config) -> None:
    settings = load_settings(make_config(policy="evergreen"))
    with pytest.raises(ConfigError, match=r"schedule\.evergreen_episode"):
        check(settings)
    check(load_settings(make_config(policy="evergreen", evergreen_episode="2026-11-04-cai-cach-hanh-chinh")))


def test_bad_timezone_is_a_config_error(tmp_path: Path, make_config) -> None:
    path = make_config()
    path.write_text('[station]\ntimezone = "Asia/Hanoi_Town"\n' + path.read_text(), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"station\.timezone"):
        check(load_settings(path))


def test_every_schedule_key_is_documented_in_config_toml() -> None:
    text = (PROJECT / "config.toml").read_text(encoding="utf-8")
    section = text.split("[schedule]", 1)[1]
    keys = [k.split(".", 1)[1] for k in all_setting_keys() if k.startswith("schedule.")]
    assert len(keys) == 11
    for key in keys:
        assert f"\n{key} = " in section, key
    load_settings(PROJECT / "config.toml")  # the sample config itself is valid
