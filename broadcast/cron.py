"""Standard 5-field crontab lines as APScheduler triggers.

A module of its own so the settings table can check cron times at start-up
without importing the scheduler.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

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
