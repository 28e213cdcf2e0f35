"""The scheduler's re-voice watch: when the online voice answers again, drafts read offline get it back.

Every ``schedule.revoice_minutes`` the job looks for drafts with segments read
by the offline voice (``broadcast.review.revoice``). Only when there are some
does it ask the first online engine for one short sentence; when that engine
answers, each such draft whose airing is more than ``revoice_stop_minutes``
away is re-voiced (a new revision, the text kept, the programme re-joined) and
the editor reads about it in the episode's log and on its page. An approved or
published episode is never touched. Like the notice watch it lives in memory,
rebuilt from the config at every start.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from broadcast.config import Settings
from broadcast.errors import SpeechError
from broadcast.schedule.jobs import ACTOR, JOB_NAMES, Outcome, _run
from broadcast.schedule.timing import next_fire, now, station_zone
from broadcast.speech import Engine, make_engines

PROBE_TEXT = "Xin chào bà con."
JOB_ID = "revoice"


def first_online(settings: Settings) -> Engine | None:
    """The online engine a build would try first, or None when only offline voices are configured."""
    return next((engine for engine in make_engines(settings.speech) if engine.online), None)


def probe(engine: Engine) -> str | None:
    """Why ``engine`` cannot voice a short sentence now (the network is still down), or None: it answered."""
    try:
        engine.synthesize(PROBE_TEXT)
    except SpeechError as exc:   # EngineUnavailable included
        return str(exc)
    return None


def airing_of(settings: Settings, day: dt.date) -> dt.datetime | None:
    """The first scheduled airing on the episode's date (``schedule.publish``), or None if none is set."""
    zone = station_zone(settings)
    midnight = dt.datetime.combine(day, dt.time.min, zone)
    moment = next_fire(settings.schedule.publish, zone, midnight - dt.timedelta(seconds=2))
    return moment if moment is not None and moment.date() == day else None


def too_late(settings: Settings, day: dt.date, moment: dt.datetime) -> bool:
    """Whether re-voicing an episode of ``day`` would come too close to its airing (or after it)."""
    airing = airing_of(settings, day)
    if airing is None:
        return day < moment.date()
    return moment >= airing - dt.timedelta(minutes=settings.schedule.revoice_stop_minutes)


def revoice(config: str) -> Outcome:
    """The job: re-voice offline-read drafts in the online voice, if it answers and there is time."""
    return _run("revoice", config, _revoice)


def _revoice(settings: Settings) -> Outcome:
    from broadcast.review import revoice as drafts
    from broadcast.review.store import Store
    from broadcast.review.wording import voice_name

    engine = first_online(settings)
    if engine is None:
        return Outcome("revoice", "skipped", "không có giọng trực tuyến nào trong speech.engines.")
    with Store.open(settings) as store:
        waiting = drafts.candidates(store)
        if not waiting:
            return Outcome("revoice", "skipped", "không có bản nháp nào đọc bằng giọng dự phòng.")
        moment = now(station_zone(settings))
        due = [(record, segments) for record, segments in waiting if not too_late(settings, record.date, moment)]
        if not due:
            return Outcome("revoice", "skipped", f"{len(waiting)} bản nháp đọc bằng giọng dự phòng nhưng đã quá gần "
                           f"giờ phát (dưới {settings.schedule.revoice_stop_minutes} phút); không đọc lại.")
        problem = probe(engine)
        if problem is not None:
            return Outcome("revoice", "skipped", f"{voice_name(engine.name)} vẫn chưa dùng được ({problem}); thử lại "
                           f"sau {settings.schedule.revoice_minutes} phút.")
        done, ids = [], []
        for record, _ in due:
            result = drafts.revoice_episode(settings, store, record, engine.name, by=ACTOR)
            if result is not None:
                ids.append(record.id)
                done.append(f"số phát mã {record.id}: {len(result.online)}/{len(result.marked)} đoạn "
                            f"(phiên bản {result.revision})")
    if not done:
        return Outcome("revoice", "skipped", "các bản nháp vừa thay đổi; lần sau sẽ xem lại.")
    return Outcome("revoice", "revoiced", f"đã đọc lại bằng {voice_name(engine.name)}: {'; '.join(done)}; đang chờ "
                   "biên tập viên nghe lại và phê duyệt.", episode=str(ids[0]))


def add_revoice_watch(scheduler: Any, settings: Settings, config: str) -> None:
    """The re-voice job, kept in memory, every ``schedule.revoice_minutes`` (none when 0 or no online voice)."""
    minutes = settings.schedule.revoice_minutes
    if minutes <= 0 or first_online(settings) is None:
        return
    from apscheduler.jobstores.memory import MemoryJobStore

    scheduler.add_jobstore(MemoryJobStore(), JOB_ID)
    scheduler.add_job(revoice, "interval", minutes=minutes, id=JOB_ID, name=JOB_NAMES["revoice"], args=(config,),
                      jobstore=JOB_ID, max_instances=1, coalesce=True, misfire_grace_time=None)
