"""Cron triggers in the station's time zone, and how times are shown to Vietnamese readers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from broadcast import vnformat
from broadcast.config import Settings
from broadcast.cron import trigger
from broadcast.errors import ConfigError

WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def station_zone(settings: Settings) -> ZoneInfo:
    try:
        return ZoneInfo(settings.station.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        where = settings.source_file.name if settings.source_file else "cấu hình mặc định"
        raise ConfigError(f"{where}: station.timezone: múi giờ {settings.station.timezone!r} không tồn tại. "
                          f"Hãy dùng tên chuẩn, ví dụ \"Asia/Ho_Chi_Minh\".") from exc


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
