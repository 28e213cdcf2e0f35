"""The as-played log on the site, and the quarterly report as a download.

"Đã phát sóng" here means what the as-played log says actually played on an
output, not that a file was put in the on-air folder.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request, send_file

from broadcast.config import Settings
from broadcast.review.store import Store

aired_pages = Blueprint("aired", __name__, url_prefix="/phat-song")

TYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def aired_times(store: Store, episode_id: int) -> list[dt.datetime]:
    """When the episode actually played (the as-played log), one time per airing, oldest first."""
    from broadcast.onair.log import AsPlayedLog
    from broadcast.onair.report import airings

    return [a.started for a in airings(AsPlayedLog(store).rows()) if a.kind == "episode" and a.ref_id == episode_id]


@aired_pages.get("/")
def index() -> Any:
    from broadcast.onair.export import table
    from broadcast.onair.log import AsPlayedLog

    store: Store = current_app.extensions["broadcast"]["store"]
    rows = table(AsPlayedLog(store).rows())[-200:]
    today = dt.datetime.now(store.tz).date()
    return render_template("aired.html", rows=list(reversed(rows)), quarters=recent_quarters(today))


def recent_quarters(today: dt.date, count: int = 4) -> list[str]:
    """"4/2026", "3/2026", … : this quarter first."""
    quarter, year = (today.month - 1) // 3 + 1, today.year
    out = []
    for _ in range(count):
        out.append(f"{quarter}/{year}")
        quarter, year = (quarter - 1, year) if quarter > 1 else (4, year - 1)
    return out


@aired_pages.get("/bao-cao")
def report() -> Any:
    from broadcast.onair.report import docx_bytes, gather, xlsx_bytes

    ext = current_app.extensions["broadcast"]
    settings: Settings = ext["settings"]
    kind = request.args.get("dang", "docx")
    parts = request.args.get("quy", "").split("/")
    if kind not in TYPES or len(parts) != 2 or not all(p.isdigit() for p in parts) or not 1 <= int(parts[0]) <= 4:
        abort(400)
    quarter, year = int(parts[0]), int(parts[1])
    data = gather(settings, ext["store"], quarter, year)
    body = docx_bytes(data) if kind == "docx" else xlsx_bytes(data)
    return send_file(io.BytesIO(body), mimetype=TYPES[kind], as_attachment=True,
                     download_name=f"bao-cao-cchc-quy-{quarter}-{year}.{kind}")
