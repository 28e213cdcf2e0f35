"""The scheduler's side of the air: each airing time, and the watch for urgent notices.

At an airing time (``[schedule] publish``), once publication has chosen the
programme, the slot plays in this order: waiting *ưu tiên* notices, the column,
waiting *thường* notices. A slot that starts more than ``ONTIME_S`` plus
``onair.late_minutes`` after its time (the PC was off or asleep) is not played
late: the column is logged ``missed`` and the notices wait for the next slot.
Approved *khẩn cấp* notices are looked for every ``onair.notice_poll_s``
seconds and pre-empt whatever is playing; the same watch airs notices given a
time (``airtime``) once their minute has come.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadcast.config import Settings, load_settings
from broadcast.errors import BroadcastError, ConfigError
from broadcast.onair.airtime import due
from broadcast.onair.items import NORMAL, PRIORITY, URGENT, Item, claim, claim_waiting, episode_item
from broadcast.onair.log import MISSED, AsPlayedLog
from broadcast.onair.outputs import make_outputs
from broadcast.onair.playout import ON_AIR, Report, Retry
from broadcast.review.store import Store
from broadcast.schedule.timing import previous_fire, spoken_time, station_zone

LOG = logging.getLogger("broadcast.onair")
ONTIME_S = 60          # a start within a minute of the airing time (or a notice's chosen time) is on time
AIRS = ("published", "evergreen", "on-air")   # publication outcomes that leave a programme on air


@dataclass(frozen=True)
class SlotReport:
    slot: dt.datetime | None
    late_s: float
    reports: tuple[Report, ...]
    missed: bool = False


def load(config: str) -> Settings:
    """The settings a scheduled job re-reads at each run ("" = the built-in defaults)."""
    return load_settings(Path(config), must_exist=True) if config else load_settings(None)


def retry_of(settings: Settings) -> Retry:
    return Retry(settings.onair.retries, settings.onair.retry_wait_s)


def air_slot(settings: Settings, episode: str | None, result: str, *, moment: dt.datetime | None = None) -> SlotReport:
    """Play what this airing time holds; ``episode``/``result`` are what publication decided."""
    zone = station_zone(settings)
    moment = moment or dt.datetime.now(zone)
    slot = previous_fire(settings.schedule.publish, zone, moment) or moment
    late = (moment - slot).total_seconds()
    store = Store.open(settings)
    log = AsPlayedLog(store)
    column: Item | None = None
    if episode is not None and result in AIRS:
        try:
            column = episode_item(settings.review.onair, store, int(episode))
        except BroadcastError as exc:
            LOG.error("Phát sóng: không phát được số phát mã %s: %s", episode, exc)
    if late > ONTIME_S + settings.onair.late_minutes * 60:
        why = (f"bắt đầu lúc {spoken_time(moment)}, trễ {round(late / 60)} phút so với giờ phát "
               f"{spoken_time(slot)} (onair.late_minutes = {settings.onair.late_minutes})")
        if column is not None:
            log.refused(column, MISSED, why, slot=slot.isoformat(timespec="seconds"))
        LOG.warning("Phát sóng: lỡ giờ phát, không phát muộn: %s.", why)
        return SlotReport(slot, late, (), missed=True)
    queue = claim_waiting(store, PRIORITY) + ([column] if column else []) + claim_waiting(store, NORMAL)
    outputs = make_outputs(settings)
    reports = []
    for item in queue:
        try:
            reports.append(ON_AIR.air(item, outputs, log, slot=slot.isoformat(timespec="seconds"),
                                      retry=retry_of(settings)))
        except BroadcastError as exc:  # refused (checksum): logged; the rest of the slot still plays
            LOG.error("Phát sóng: %s", exc)
    return SlotReport(slot, late, tuple(reports))


def after_publish(config: str, episode: str | None, result: str) -> SlotReport | None:
    """The publish job's second half: play the slot when outputs are configured. Never raises."""
    try:
        settings = load(config)
        if not settings.onair.outputs:
            return None
        return air_slot(settings, episode, result)
    except BroadcastError as exc:
        LOG.error("Phát sóng: %s", exc)
    except Exception:  # the scheduler must keep running for the next slot
        LOG.exception("Phát sóng: lỗi không mong đợi")
    return None


# --- urgent notices ------------------------------------------------------------------------------------

def air_urgent(settings: Settings, item: Item) -> Report | None:
    store = Store.open(settings)
    try:
        return ON_AIR.air(item, make_outputs(settings), AsPlayedLog(store), retry=retry_of(settings), urgent=True)
    except BroadcastError as exc:
        LOG.error("Phát sóng: %s", exc)
        return None


def air_timed(settings: Settings, item: Item, at: dt.datetime) -> Report | None:
    """A notice at its chosen time; khẩn cấp pre-empts, the others wait for what is playing to end."""
    store = Store.open(settings)
    try:
        return ON_AIR.air(item, make_outputs(settings), AsPlayedLog(store), slot=at.isoformat(timespec="seconds"),
                          retry=retry_of(settings), urgent=item.priority == URGENT)
    except BroadcastError as exc:
        LOG.error("Phát sóng: %s", exc)
        return None


def _timed_due(settings: Settings, store: Store) -> list[tuple[Item, dt.datetime]]:
    """Claim the timed notices whose minute has come; one found too late is logged missed, not aired."""
    moment = dt.datetime.now(station_zone(settings))
    ready = []
    for item, at in due(store, moment):
        late = (moment - at).total_seconds()
        if not claim(store, item):
            continue
        if late > ONTIME_S + settings.onair.late_minutes * 60:
            why = (f"hẹn phát lúc {spoken_time(at)}, bộ lập lịch thấy lúc {spoken_time(moment)}, trễ "
                   f"{round(late / 60)} phút (onair.late_minutes = {settings.onair.late_minutes})")
            AsPlayedLog(store).refused(item, MISSED, why, slot=at.isoformat(timespec="seconds"))
            LOG.warning("Phát sóng: lỡ giờ hẹn của %s, không phát muộn: %s.", item.label, why)
            continue
        ready.append((item, at))
    return ready


def watch_notices(config: str) -> list[threading.Thread]:
    """One look for notices to air now: approved urgent ones, and timed ones whose minute has come.

    Each found is claimed and aired on its own thread (not a daemon: a stopping scheduler lets it finish).
    """
    try:
        settings = load(config)
        if not settings.onair.outputs:
            return []
        store = Store.open(settings)
        urgent, timed = claim_waiting(store, URGENT), _timed_due(settings, store)
    except BroadcastError as exc:
        LOG.error("Phát sóng: không đọc được thông báo chờ phát: %s", exc)
        return []
    threads = []
    for item in urgent:
        LOG.warning("Phát sóng: THÔNG BÁO KHẨN CẤP %s — ngắt chương trình đang phát", item.label)
        threads.append(threading.Thread(target=air_urgent, args=(settings, item), name=f"onair-urgent-{item.ref_id}"))
    for item, at in timed:
        LOG.warning("Phát sóng: %s đến giờ hẹn %s", item.label, spoken_time(at))
        threads.append(threading.Thread(target=air_timed, args=(settings, item, at), name=f"onair-timed-{item.ref_id}"))
    for thread in threads:
        thread.start()
    return threads


def check_onair(settings: Settings) -> None:
    """At scheduler start-up: an output that cannot run stops now, not at 05:30."""
    where = settings.source_file.name if settings.source_file else "cấu hình mặc định"
    for output in make_outputs(settings):
        if not output.available():
            raise ConfigError(f"{where}: onair.outputs: đầu ra \"{output.name}\" không dùng được: "
                              f"{output.disabled_message()}")


def add_notice_watch(scheduler: Any, settings: Settings, config: str) -> None:
    """The urgent-notice watch, kept in memory (it is rebuilt from the config at every start)."""
    if not settings.onair.outputs:
        return
    from apscheduler.jobstores.memory import MemoryJobStore

    if "soundcard" in settings.onair.outputs:
        import miniaudio  # noqa: F401  (loaded now, so the first slot does not wait for the library)

    scheduler.add_jobstore(MemoryJobStore(), "onair")
    scheduler.add_job(watch_notices, "interval", seconds=settings.onair.notice_poll_s, id="onair-notices",
                      name="Thông báo khẩn cấp và thông báo hẹn giờ", args=(config,), jobstore="onair",
                      max_instances=1, coalesce=True,
                      misfire_grace_time=None)
