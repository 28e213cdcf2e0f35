"""The scheduler: APScheduler 3 with its jobs kept in an SQLite file.

The config is the source of truth. At each start the scheduler is started
*paused*, the stored jobs are brought in line with the config (fixed ids; an
unchanged job keeps its stored next run time, so a run that was due while the
PC was off is still pending; a changed one is replaced; one no longer in the
config is removed), and only then resumed. Resuming runs each pending job once
(``coalesce``) if it is late by less than ``grace_minutes``. Restarting
therefore never duplicates a job and never forgets a missed one.
"""

from __future__ import annotations

import datetime as dt
import logging
import logging.handlers
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED, JobEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from broadcast.config import Settings
from broadcast.errors import ConfigError
from broadcast.onair.slot import add_notice_watch, check_onair
from broadcast.schedule.jobs import CRON_JOBS, JOB_NAMES, LOG
from broadcast.schedule.lock import SchedulerLock
from broadcast.schedule.revoice import add_revoice_watch
from broadcast.schedule.timing import schedule_paths, spoken_time, station_zone, trigger

LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 5
JOB_FUNCTIONS = {kind: f"broadcast.schedule.jobs:{kind}" for kind in CRON_JOBS}


@dataclass(frozen=True)
class JobSpec:
    """One job as the config wants it. ``func`` is a textual reference so the store can pickle it."""

    id: str
    name: str
    func: str
    cron: str
    args: tuple[str, ...]


def job_specs(settings: Settings, config: str) -> list[JobSpec]:
    """build-1, remind-1, remind-2, publish-1, … in config order."""
    sched = settings.schedule
    specs = []
    for kind, exprs in (("build", sched.build), ("remind", sched.remind), ("publish", sched.publish)):
        for number, expr in enumerate(exprs, start=1):
            specs.append(JobSpec(f"{kind}-{number}", f"{JOB_NAMES[kind]} ({expr})", JOB_FUNCTIONS[kind], expr,
                                 (config,)))
    return specs


def check(settings: Settings) -> None:
    """Cross-field checks the per-key validation cannot make; before anything starts."""
    station_zone(settings)
    sched = settings.schedule
    where = settings.source_file.name if settings.source_file else "cấu hình mặc định"
    if sched.policy == "evergreen" and not sched.evergreen_episode:
        raise ConfigError(f"{where}: schedule.evergreen_episode: chính sách \"evergreen\" cần tên hoặc số của một "
                          f"số phát đã duyệt để phát lại. Hãy điền khóa này, hoặc đặt policy = \"hold\".")
    check_onair(settings)


def make_scheduler(settings: Settings) -> BackgroundScheduler:
    paths = schedule_paths(settings)
    paths.jobs_database.parent.mkdir(parents=True, exist_ok=True)
    store = SQLAlchemyJobStore(url=f"sqlite:///{paths.jobs_database}")
    # Three workers: a long build must not delay an airing or the urgent-notice watch; max_instances keeps
    # each job single.
    return BackgroundScheduler(jobstores={"default": store}, executors={"default": ThreadPoolExecutor(3)},
                               job_defaults=_job_options(settings), timezone=station_zone(settings))


def _job_options(settings: Settings) -> dict[str, Any]:
    return {"coalesce": True, "max_instances": 1, "misfire_grace_time": settings.schedule.grace_minutes * 60}


def _same_trigger(old: Any, new: CronTrigger) -> bool:
    return isinstance(old, CronTrigger) and str(old) == str(new) and str(old.timezone) == str(new.timezone)


@dataclass(frozen=True)
class SyncReport:
    added: tuple[str, ...]
    kept: tuple[str, ...]
    removed: tuple[str, ...]


def sync_jobs(scheduler: BackgroundScheduler, specs: list[JobSpec], settings: Settings) -> SyncReport:
    """Make the stored jobs exactly the configured ones (the scheduler must be started, paused)."""
    zone = station_zone(settings)
    wanted = {spec.id for spec in specs}
    removed = []
    for job in scheduler.get_jobs():
        if job.id not in wanted:
            scheduler.remove_job(job.id)
            removed.append(job.id)
    added, kept = [], []
    options = _job_options(settings)
    for spec in specs:
        cron = trigger(spec.cron, zone)
        old = scheduler.get_job(spec.id)
        if old is not None and _same_trigger(old.trigger, cron) and old.func_ref == spec.func:
            scheduler.modify_job(spec.id, name=spec.name, args=spec.args, **options)  # keeps next_run_time
            kept.append(spec.id)
        else:
            scheduler.add_job(spec.func, cron, id=spec.id, name=spec.name, args=spec.args, replace_existing=True,
                              **options)
            added.append(spec.id)
    return SyncReport(tuple(added), tuple(kept), tuple(removed))


def _on_trouble(event: JobEvent) -> None:
    if event.code == EVENT_JOB_MISSED:
        LOG.warning("Bỏ lỡ lần chạy %s lúc %s: máy tắt quá lâu (quá schedule.grace_minutes); lần sau sẽ chạy đúng "
                    "lịch.", event.job_id, spoken_time(event.scheduled_run_time))
    else:
        LOG.error("Công việc %s gặp lỗi: %s", event.job_id, event.exception)


def start(settings: Settings, config: str, specs: list[JobSpec] | None = None) -> BackgroundScheduler:
    """A running scheduler whose stored jobs match ``specs`` (by default, the config's jobs)."""
    check(settings)
    scheduler = make_scheduler(settings)
    scheduler.add_listener(_on_trouble, EVENT_JOB_MISSED | EVENT_JOB_ERROR)
    scheduler.start(paused=True)
    try:
        report = sync_jobs(scheduler, job_specs(settings, config) if specs is None else specs, settings)
    except BaseException:
        scheduler.shutdown(wait=False)
        raise
    add_notice_watch(scheduler, settings, config)
    add_revoice_watch(scheduler, settings, config)
    LOG.info("Đồng bộ lịch với cấu hình: thêm/cập nhật %s; giữ nguyên %s; xóa %s.",
             ", ".join(report.added) or "không", ", ".join(report.kept) or "không",
             ", ".join(report.removed) or "không")
    scheduler.resume()
    return scheduler


# --- listing -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Listed:
    id: str
    name: str
    next_run: dt.datetime | None
    note: str


def list_jobs(settings: Settings, config: str) -> list[Listed]:
    """The jobs as the config defines them, with the next run each will make; changes nothing.

    A job whose stored run is still pending (missed while the PC was off) shows that time; jobs in the
    store that the config no longer has are shown as going away at the next start.
    """
    zone = station_zone(settings)
    stored: dict[str, Any] = {}
    path = schedule_paths(settings).jobs_database
    if path.exists():
        scheduler = make_scheduler(settings)
        scheduler.start(paused=True)
        try:
            stored = {job.id: job for job in scheduler.get_jobs()}
        finally:
            scheduler.shutdown(wait=False)
    current = dt.datetime.now(zone)
    rows = []
    for spec in job_specs(settings, config):
        cron = trigger(spec.cron, zone)
        old = stored.pop(spec.id, None)
        if old is not None and _same_trigger(old.trigger, cron) and old.next_run_time is not None:
            moment = old.next_run_time.astimezone(zone)
            late = current - moment
            if late.total_seconds() <= 0:
                note = ""
            elif late.total_seconds() <= settings.schedule.grace_minutes * 60:
                note = "bị lỡ, sẽ chạy bù ngay khi bộ lập lịch chạy"
            else:
                moment = cron.get_next_fire_time(None, current)
                note = "lần trước bị lỡ quá lâu, bỏ qua"
        else:
            moment = cron.get_next_fire_time(None, current)
            note = "" if old is None and not path.exists() else ("mới, áp dụng khi khởi động lại" if old is None
                                                                   else "đã đổi, áp dụng khi khởi động lại")
        rows.append(Listed(spec.id, spec.name, moment, note))
    for job in stored.values():
        rows.append(Listed(job.id, job.name, None, "không còn trong cấu hình, sẽ bị xóa khi khởi động lại"))
    return rows


def format_listing(rows: list[Listed], zone: ZoneInfo) -> str:
    if not rows:
        return "Không có công việc nào trong mục [schedule] của cấu hình.\n"
    width = max(len(r.id) for r in rows)
    lines = [f"Các công việc đã lên lịch (giờ {zone.key}):"]
    for row in rows:
        when = spoken_time(row.next_run.astimezone(zone)) if row.next_run else "—"
        note = f"  [{row.note}]" if row.note else ""
        lines.append(f"  {row.id:<{width}}  lần chạy tới: {when:<26}  {row.name}{note}")
    return "\n".join(lines) + "\n"


# --- logging and the foreground run ------------------------------------------------------------------------

class _Formatter(logging.Formatter):
    """Station-local timestamps and Vietnamese level names: the office reads this log."""

    LEVELS: ClassVar[dict[str, str]] = {"DEBUG": "gỡ lỗi", "INFO": "thông tin", "WARNING": "CẢNH BÁO",
                                        "ERROR": "LỖI", "CRITICAL": "LỖI NẶNG"}

    def __init__(self, zone: ZoneInfo) -> None:
        super().__init__("%(asctime)s %(levelname)s %(message)s")
        self.zone = zone

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return dt.datetime.fromtimestamp(record.created, self.zone).strftime("%Y-%m-%d %H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        record.levelname = self.LEVELS.get(record.levelname, record.levelname)
        return super().format(record)


@contextmanager
def logging_to(settings: Settings) -> Iterator[None]:
    """Our log (and APScheduler's warnings) to a rotating file and the console, for the run's duration."""
    path = schedule_paths(settings).log_file
    path.parent.mkdir(parents=True, exist_ok=True)
    formatter = _Formatter(station_zone(settings))
    handlers: list[logging.Handler] = [
        logging.handlers.RotatingFileHandler(path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"),
        logging.StreamHandler(),
    ]
    for handler in handlers:
        handler.setFormatter(formatter)
    targets = [(logging.getLogger("broadcast"), logging.INFO), (logging.getLogger("apscheduler"), logging.WARNING)]
    saved = [(logger, logger.level) for logger, _ in targets]
    for logger, level in targets:
        logger.setLevel(level)
        for handler in handlers:
            logger.addHandler(handler)
    try:
        yield
    finally:
        for logger, level in saved:
            for handler in handlers:
                logger.removeHandler(handler)
            logger.setLevel(level)
        for handler in handlers:
            handler.close()


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM (systemd, Task Scheduler's End) and Ctrl-C set ``stop`` instead of killing mid-write."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    names = ["SIGINT", "SIGTERM", "SIGBREAK"]  # SIGBREAK: Ctrl-Break on Windows
    wanted = [getattr(signal, name) for name in names if hasattr(signal, name)]

    def handler(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            LOG.warning("Vẫn đang chờ công việc đang chạy kết thúc để không để lại tệp ghi dở…")
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in wanted}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def run(settings: Settings, config: str, stop: threading.Event | None = None) -> int:
    """``broadcast schedule``: hold the lock, run the jobs until a signal, then stop cleanly."""
    from broadcast.review import voicing  # late: the speech stack

    check(settings)
    stop = stop or threading.Event()
    zone = station_zone(settings)
    # Signals first: a SIGTERM while starting up also ends in a clean stop.
    with stop_on_signals(stop), SchedulerLock(schedule_paths(settings).lock), logging_to(settings):
        scheduler = start(settings, config)
        resume_voicing = threading.Thread(target=voicing.resume, args=(settings,), kwargs={"log": LOG.info},
                                          name="voicing-resume", daemon=True)  # edits left half-voiced by a stop
        resume_voicing.start()
        try:
            LOG.info("Bộ lập lịch đang chạy (cấu hình: %s). Nhấn Ctrl-C để dừng.", config or "mặc định")
            for job in scheduler.get_jobs():
                LOG.info("  %s: lần chạy tới %s — %s", job.id,
                         spoken_time(job.next_run_time.astimezone(zone)) if job.next_run_time else "—", job.name)
            while not stop.wait(1.0):  # a timeout keeps Ctrl-C responsive on Windows
                pass
            LOG.info("Đang dừng: chờ công việc đang chạy (nếu có) làm xong…")
        finally:
            scheduler.shutdown(wait=True)
        LOG.info("Bộ lập lịch đã dừng.")
    return 0
