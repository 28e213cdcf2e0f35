"""The scheduler's three cron jobs (the re-voice watch, at an interval, is ``schedule/revoice.py``).

Each is a top-level function taking only the config file path (a string; ""
means the built-in defaults): the SQLAlchemy job store pickles a reference to
the function and its arguments, and the settings are read afresh at each run.
A job never raises into the scheduler: every run ends with one log line saying
what happened (built, skipped, reminded, published, held, failed and why) and
returns an ``Outcome`` (the scheduler hands it to listeners; tests read it).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadcast.config import Settings, load_settings
from broadcast.errors import BroadcastError, FeedNotUpdated, StateError
from broadcast.files import probe_writable, write_text
from broadcast.schedule.timing import (
    next_fire,
    now,
    previous_fire,
    schedule_paths,
    spoken_duration,
    spoken_time,
    station_zone,
)

LOG = logging.getLogger("broadcast.schedule")
ACTOR = "bộ lập lịch tự động"

JOB_NAMES = {"build": "Dựng bản nháp", "remind": "Nhắc duyệt", "publish": "Phát sóng",
             "revoice": "Đọc lại bằng giọng trực tuyến"}
CRON_JOBS = ("build", "remind", "publish")   # the jobs of the config's cron lists; revoice runs at an interval
RESULTS = {"built": "ĐÃ DỰNG", "skipped": "BỎ QUA", "reminded": "ĐÃ NHẮC", "published": "ĐÃ PHÁT",
           "evergreen": "PHÁT LẠI SỐ DỰ PHÒNG", "on-air": "ĐANG PHÁT", "held": "TẠM GIỮ", "failed": "THẤT BẠI",
           "revoiced": "ĐÃ ĐỌC LẠI"}


@dataclass(frozen=True)
class Outcome:
    """What one run did: ``result`` is a key of RESULTS, ``detail`` the Vietnamese explanation."""

    job: str
    result: str
    detail: str
    episode: str | None = None


def load(config: str) -> Settings:
    return load_settings(Path(config), must_exist=True) if config else load_settings(None)


def _run(job: str, config: str, work: Callable[[Settings], Outcome]) -> Outcome:
    """Load the settings, do the work, log the result; an error becomes a 'failed' outcome, never a crash."""
    try:
        outcome = work(load(config))
    except BroadcastError as exc:
        outcome = Outcome(job, "failed", str(exc))
    except Exception as exc:  # a bug must not stop next week's runs; the traceback goes to the log
        LOG.exception("%s: lỗi không mong đợi", JOB_NAMES[job])
        outcome = Outcome(job, "failed", f"lỗi không mong đợi {type(exc).__name__}: {exc}")
    level = {"failed": logging.ERROR, "held": logging.WARNING}.get(outcome.result, logging.INFO)
    LOG.log(level, "%s: %s — %s", JOB_NAMES[job], RESULTS[outcome.result], outcome.detail)
    return outcome


def _name(record: Any) -> str:
    return f"số phát mã {record.id} ({record.name})"


def air_date(settings: Settings, moment: dt.datetime) -> dt.date:
    """The date a draft built at ``moment`` is for: the day of the next airing (today if none is scheduled)."""
    zone = station_zone(settings)
    upcoming = next_fire(settings.schedule.publish, zone, moment)
    return (upcoming or moment.astimezone(zone)).date()


# --- build -------------------------------------------------------------------------------------------------

def build(config: str) -> Outcome:
    """Gather and build the draft for the next airing; an approved episode of that date is left alone."""
    return _run("build", config, _build)


def _build(settings: Settings) -> Outcome:
    from broadcast.review.workflow import build_draft

    day = air_date(settings, now(station_zone(settings)))
    probe_writable(settings.output.folder, what="thư mục ra (mục [output] folder)")  # fail before gathering
    LOG.info("Dựng bản nháp: bắt đầu dựng số phát ngày %s", f"{day:%d/%m/%Y}")
    record = build_draft(settings, day, log=lambda line: LOG.info("Dựng bản nháp: %s", line))
    if record is None:
        return Outcome("build", "skipped", f"số phát ngày {day:%d/%m/%Y} đã được phê duyệt; không dựng lại.")
    warnings = len(record.warnings or ())
    return Outcome("build", "built", f"{_name(record)} ngày {day:%d/%m/%Y}, {spoken_duration(record.duration_s)}, "
                   f"{warnings} cảnh báo; đang chờ biên tập viên phê duyệt.", episode=str(record.id))


# --- remind ------------------------------------------------------------------------------------------------

def remind(config: str) -> Outcome:
    """List drafts awaiting approval in the log and in the office's reminder file."""
    return _run("remind", config, _remind)


def reminder_text(settings: Settings, drafts: list[Any], moment: dt.datetime) -> str:
    zone = station_zone(settings)
    lines = [f"NHẮC VIỆC — {settings.station.name}", f"Chuyên mục: {settings.column.title}",
             f"Cập nhật lúc {spoken_time(moment)}", ""]
    if not drafts:
        lines.append("Không có số phát nào đang chờ phê duyệt.")
    else:
        lines += [f"Có {len(drafts)} số phát đang chờ phê duyệt. Số phát chưa được duyệt sẽ KHÔNG được phát sóng.",
                  ""]
        for record in drafts:
            warnings = len(record.warnings or ())
            lines.append(f"- Mã {record.id}: ngày phát {record.date:%d/%m/%Y}, {spoken_duration(record.duration_s)}, "
                         f"{warnings} cảnh báo — thư mục {record.name}")
        first = drafts[0].id
        lines += ["", "Cách duyệt: mở trang duyệt (lệnh broadcast serve) hoặc chạy",
                  f"    broadcast review approve {first} --revision {drafts[0].revision} --by \"Họ và tên\"   "
                  f"(thay {first} bằng mã số phát, {drafts[0].revision} bằng phiên bản đã nghe)"]
    upcoming = next_fire(settings.schedule.publish, zone, moment)
    if upcoming is not None:
        lines += ["", f"Lần phát sóng tiếp theo: {spoken_time(upcoming)}."]
    return "\n".join(lines) + "\n"


def _remind(settings: Settings) -> Outcome:
    from broadcast.review.store import Store

    with Store.open(settings) as store:
        drafts = list(store.episodes("draft"))
    moment = now(station_zone(settings))
    path = schedule_paths(settings).reminder_file
    write_text(path, reminder_text(settings, drafts, moment))
    for record in drafts:
        LOG.info("Nhắc duyệt: %s ngày %s đang chờ phê duyệt", _name(record), f"{record.date:%d/%m/%Y}")
    if not drafts:
        return Outcome("remind", "reminded", f"không có bản nháp nào chờ duyệt (đã ghi {path}).")
    return Outcome("remind", "reminded", f"{len(drafts)} bản nháp chờ duyệt; danh sách ở {path}"
                   f"{_mail(settings, drafts, moment)}.")


def _mail(settings: Settings, drafts: list[Any], moment: dt.datetime) -> str:
    """E-mail the reminder when [email] is set; what happened, for the outcome line."""
    from broadcast.notify import mail

    if not mail.enabled(settings.email):
        return ""
    try:
        mail.send(settings.email, mail.reminder(settings, drafts, moment))
    except BroadcastError as exc:
        LOG.warning("Nhắc duyệt: %s", exc)
        return f"; KHÔNG gửi được thư: {exc}"
    return f"; đã gửi thư tới {', '.join(settings.email.to)}"


# --- publish -----------------------------------------------------------------------------------------------

def publish(config: str) -> Outcome:
    """Air the newest approved, unpublished episode; otherwise apply the hold/evergreen policy.

    Then the slot plays on the configured outputs (``broadcast.onair.slot``), which logs what aired.
    """
    from broadcast.onair.slot import after_publish

    outcome = _run("publish", config, _publish)
    after_publish(config, outcome.episode, outcome.result)
    return outcome


def _publish(settings: Settings) -> Outcome:
    from broadcast.review.publish import publish as publish_episode
    from broadcast.review.store import Store

    zone = station_zone(settings)
    moment = now(zone)
    today = moment.date()
    with Store.open(settings) as store:
        published = store.episodes("published")  # newest first
        latest = published[0].date if published else None
        # Approved, dated today or earlier (an early approval does not air before its date) and not older
        # than what is already on air (a forgotten old approval must not replace this week's programme).
        ready = [r for r in store.episodes("approved") if r.date <= today and (latest is None or r.date >= latest)]
        if ready:
            record = ready[0]
            try:
                path = publish_episode(settings, store, record.id, by=ACTOR)
            except FeedNotUpdated as exc:  # on air all the same; the log says what is left to do
                return Outcome("publish", "published", str(exc), episode=str(record.id))
            return Outcome("publish", "published", f"{_name(record)} ngày {record.date:%d/%m/%Y} đã lên sóng: "
                           f"{path}.", episode=str(record.id))
        # This cycle's programme (dated on or after the last build time) already aired: it stays on air.
        cycle = previous_fire(settings.schedule.build, zone, moment)
        if published and cycle is not None and published[0].date >= cycle.date():
            record = published[0]
            return Outcome("publish", "on-air", f"{_name(record)} của tuần này đã phát từ trước và vẫn đang "
                           f"trên sóng; không có số mới nào được duyệt.", episode=str(record.id))
        waiting = store.episodes("draft")
        why = (f"{len(waiting)} bản nháp chưa được phê duyệt" if waiting else "chưa có số phát nào được duyệt")
        if settings.schedule.policy == "hold":
            return Outcome("publish", "held", f"không có số phát mới nào được phê duyệt ({why}); không phát số "
                           "mới. Hãy duyệt bản nháp trước lần phát sau.")
        return _evergreen(settings, store, why, publish_episode)


def _evergreen(settings: Settings, store: Any, why: str, publish_episode: Callable[..., Path]) -> Outcome:
    wanted = settings.schedule.evergreen_episode
    matches = [r for r in store.episodes() if str(r.id) == wanted or r.name == wanted]
    if not matches:
        raise StateError(f"không có số phát mới ({why}) và không tìm thấy số dự phòng {wanted!r} "
                         f"(schedule.evergreen_episode); không có gì được phát.")
    record = matches[0]
    if record.state not in ("approved", "published"):
        # Never air a draft, a rejected or a superseded script, even as the fallback.
        raise StateError(f"không có số phát mới ({why}) và số dự phòng {_name(record)} đang ở trạng thái "
                         f"{record.state!r}, chưa được phê duyệt; không có gì được phát. Hãy chọn một số đã duyệt "
                         f"cho schedule.evergreen_episode.")
    path = publish_episode(settings, store, record.id, by=ACTOR)
    return Outcome("publish", "evergreen", f"không có số phát mới ({why}); phát lại số dự phòng {_name(record)}: "
                   f"{path}.", episode=str(record.id))
