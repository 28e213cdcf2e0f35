"""Cron triggers in the station's time zone, and how times are shown to Vietnamese readers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger

from broadcast import vnformat
from broadcast.config import Settings
from broadcast.errors import ConfigError

WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def station_zone(settings: Settings) -> ZoneInfo:
    try:
        return ZoneInfo(settings.station.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        where = settings.source_file.name if settings.source_file else "cấu hình mặc định"
        raise ConfigError(f"{where}: station.timezone: múi giờ {settings.station.timezone!r} không tồn tại. "
                          f"Hãy dùng tên chuẩn, ví dụ \"Asia/Ho_Chi_Minh\".") from exc


CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def _cron_day(text: str) -> int:
    text = text.strip().lower()
    if text in CRON_DAYS:
        return CRON_DAYS.index(text)
    if text.isdigit() and int(text) <= 7:
        return int(text) % 7
    raise ValueError(f"thứ {text!r} không hợp lệ (0–7 hoặc sun…sat)")


def crontab_weekdays(field: str) -> str:
    """A crontab weekday field (0 or 7 = Sunday, 1 = Monday) as APScheduler day names.

    APScheduler 3 numbers weekdays from Monday = 0, even in ``from_crontab``, so
    "30 5 * * 1,3,5" would air on Tuesday, Thursday and Saturday. Every number is
    therefore expanded here to explicit names, which both read the same way.
    """
    if field == "*":
        return "*"
    days: set[int] = set()
    for part in field.split(","):
        base, _, step_text = part.partition("/")
        step = int(step_text) if step_text.isdigit() and int(step_text) > 0 else None
        if step_text and step is None:
            raise ValueError(f"bước {step_text!r} không hợp lệ")
        if base == "*":
            low, high = 0, 6
        elif "-" in base:
            first, last = base.split("-", 1)
            low, high = _cron_day(first), _cron_day(last)
            if last.strip() == "7":
                high = 7
            if low > high:
                raise ValueError(f"khoảng {base!r} bị ngược")
        else:
            low = _cron_day(base)
            high = 6 if step else low
        days.update(day % 7 for day in range(low, high + 1, step or 1))
    return ",".join(CRON_DAYS[day] for day in sorted(days))


def trigger(expr: str, zone: ZoneInfo | str) -> CronTrigger:
    """A standard 5-field crontab line ("minute hour day month weekday") in ``zone``.

    Raises ValueError for bad text; the config loader turns that into a ConfigError at start-up.
    """
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(f"cần đúng 5 trường, đang có {len(fields)}")
    minute, hour, day, month, weekday = fields
    return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=crontab_weekdays(weekday),
                       timezone=zone)


def now(zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.now(zone)


def next_fire(exprs: list[str], zone: ZoneInfo, after: dt.datetime) -> dt.datetime | None:
    """The earliest time after ``after`` that any of ``exprs`` fires."""
    times = [t for t in (trigger(e, zone).get_next_fire_time(None, after + dt.timedelta(seconds=1))
                         for e in exprs) if t is not None]
    return min(times) if times else None


def previous_fire(exprs: list[str], zone: ZoneInfo, before: dt.datetime, *,
                  horizon_days: int = 400) -> dt.datetime | None:
    """The latest time at or before ``before`` that any of ``exprs`` fired (searching back ``horizon_days``)."""
    best: dt.datetime | None = None
    for expr in exprs:
        cron = trigger(expr, zone)
        # Walk forward from a week back, then from further back only if nothing fired in that week.
        for days in (8, horizon_days):
            moment = cron.get_next_fire_time(None, before - dt.timedelta(days=days))
            last = None
            steps = 0
            while moment is not None and moment <= before and steps < 100_000:
                last = moment
                moment = cron.get_next_fire_time(None, moment + dt.timedelta(seconds=1))
                steps += 1
            if last is not None:
                best = last if best is None or last > best else best
                break
    return best


def spoken_time(moment: dt.datetime) -> str:
    """'05:30 thứ Sáu 27/11/2026'."""
    return f"{moment:%H:%M} {WEEKDAYS[moment.weekday()]} {moment:%d/%m/%Y}"


def spoken_duration(seconds: float | None) -> str:
    if seconds is None:
        return "chưa rõ thời lượng"
    return vnformat.duration(seconds)


@dataclass(frozen=True)
class SchedulePaths:
    """Where the scheduler keeps its files; unset settings fall back inside the output folder."""

    jobs_database: Path
    log_file: Path
    reminder_file: Path
    lock: Path


def schedule_paths(settings: Settings) -> SchedulePaths:
    sched = settings.schedule
    private = settings.output.folder / ".schedule"
    jobs = sched.jobs_database or private / "jobs.sqlite"
    return SchedulePaths(
        jobs_database=jobs,
        log_file=sched.log_file or private / "schedule.log",
        reminder_file=sched.reminder_file or settings.output.folder / "CHO-DUYET.txt",
        # Locks the episodes, not one config file: two configs on the same output folder also collide.
        lock=settings.output.folder / ".schedule.lock",
    )
