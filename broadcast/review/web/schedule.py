"""The schedule on the site: next build, reminder and airing in local time; is this week's episode ready?

Read-only: the page shows what ``broadcast schedule --list`` shows, plus the
state of the episode the next airing will use and what was put on air.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, current_app, render_template

from broadcast.config import Settings
from broadcast.review.store import EpisodeRecord, Store
from broadcast.review.workflow import STATE_NAMES

schedule_pages = Blueprint("schedule", __name__, url_prefix="/lich")

READY = ("approved", "published")


def readiness(record: EpisodeRecord | None, day: dt.date, airing: dt.datetime | None,
              now: dt.datetime, *, policy: str = "hold") -> tuple[str, str]:
    """(css class, sentence) about the episode the next airing needs."""
    if record is None:
        return "warn", f"Chưa có bản nháp cho ngày {day:%d/%m/%Y}. Hãy dựng bản nháp."
    if record.state in READY:
        return "ok", f"Số phát mã {record.id} đã được phê duyệt, kịp giờ phát."
    if airing is None:
        return "warn", f"Số phát mã {record.id} đang ở trạng thái \"{STATE_NAMES[record.state]}\"."
    hours = (airing - now).total_seconds() / 3600
    left = f"còn khoảng {hours:.0f} giờ" if hours >= 1 else "còn chưa đầy một giờ"
    fallback = ("chương trình dự phòng sẽ được phát lại" if policy == "evergreen"
                else "sẽ không có số mới nào được phát")
    return "error", (f"Số phát mã {record.id} chưa được phê duyệt ({STATE_NAMES[record.state]}); {left} đến giờ "
                     f"phát {airing:%H:%M %d/%m/%Y}. Nếu không kịp, {fallback}.")


@schedule_pages.get("/")
def index() -> Any:
    from broadcast.onair.airtime import states
    from broadcast.onair.items import PRIORITIES
    from broadcast.schedule.jobs import air_date
    from broadcast.schedule.runner import list_jobs
    from broadcast.schedule.timing import next_fire, station_zone

    ext = current_app.extensions["broadcast"]
    settings: Settings = ext["settings"]
    store: Store = ext["store"]
    zone = station_zone(settings)
    now = dt.datetime.now(zone)
    rows = [{"name": r.name, "when": r.next_run.astimezone(zone) if r.next_run else None, "note": r.note}
            for r in list_jobs(settings, "")]
    airing = next_fire(settings.schedule.publish, zone, now)
    day = air_date(settings, now)
    candidates = [r for r in store.for_date(day) if r.state not in ("superseded", "rejected")]
    record = candidates[-1] if candidates else None
    css, sentence = readiness(record, day, airing, now, policy=settings.schedule.policy)
    on_air = list(reversed(store.publications()))[:20]
    names = {e.id: e for e in store.episodes()}
    history = [{"at": dt.datetime.fromisoformat(p["at"]).astimezone(zone), "episode": names.get(p["episode_id"]),
                "file": p["path"].rsplit("/", 1)[-1]} for p in on_air]
    timed = sorted((s for s in states(store) if s.waiting and s.air_at), key=lambda s: s.air_at or now)
    return render_template("schedule.html", rows=rows, zone=zone.key, airing=airing, day=day, record=record,
                           css=css, sentence=sentence, history=history, PRIORITIES=PRIORITIES,
                           timed=[(s.item, (s.air_at or now).astimezone(zone)) for s in timed])
