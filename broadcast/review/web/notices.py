"""Urgent notices (Thông báo) from the site: type, hear, choose a priority, approve, and it goes on air.

An editor types the notice; "Nghe thử" voices it (``announce.say``, the same
path as ``broadcast say``) into a draft kept in the state folder, with a link
the approver opens on the phone. Only an account allowed to approve (or the
single officer on a PC without accounts) can approve it; approval records the
notice with its checksum (``onair.items.add_notice``, as ``broadcast notice
add``) and the playout takes it: khẩn cấp at once, ưu tiên before the column
at the next airing, thường after it — or at the time the editor chose ("phát
ngay", or dd/mm/yyyy HH:MM in the station's zone, ``onair.airtime``), which
the approver may change. The list says when each notice will air or when it
aired (from the as-played log); an approver can cancel one that has not aired.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for

from broadcast.config import Settings
from broadcast.errors import BroadcastError
from broadcast.files import write_json
from broadcast.review.store import Store
from broadcast.review.web import auth
from broadcast.schedule.timing import spoken_time
from broadcast.sources.text import clean_text

notice_pages = Blueprint("notices", __name__, url_prefix="/thong-bao")
TOKEN = re.compile(r"[0-9a-f]{32}")


def _context() -> tuple[Settings, Store, Path]:
    ext = current_app.extensions["broadcast"]
    settings: Settings = ext["settings"]
    folder = settings.review.database.parent / "thong-bao"
    folder.mkdir(parents=True, exist_ok=True)
    return settings, ext["store"], folder


def _draft(folder: Path, token: str) -> dict[str, Any]:
    if not TOKEN.fullmatch(token) or not (folder / f"{token}.json").is_file():
        abort(404)
    data: dict[str, Any] = json.loads((folder / f"{token}.json").read_text(encoding="utf-8"))
    return data


def _drafts(folder: Path) -> list[dict[str, Any]]:
    found = []
    for path in sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["token"] = path.stem
        found.append(data)
    return found


def _when(form: dict[str, str], settings: Settings) -> dt.datetime | None:
    """The airing time the form asks for (None: by priority); OnAirError in one line when it is bad or past."""
    from broadcast.onair.airtime import parse_when
    from broadcast.schedule.timing import station_zone

    return parse_when(form.get("khi", ""), form.get("luc", ""), station_zone(settings))


def _listing(settings: Settings, store: Store, folder: Path, **page: Any) -> str:
    """The notices page: the form, drafts waiting for approval, and each approved notice with when it airs."""
    from broadcast.onair.airtime import WHEN, describe, states
    from broadcast.onair.items import PRIORITIES
    from broadcast.schedule.timing import next_fire, station_zone

    zone = station_zone(settings)
    next_slot = next_fire(settings.schedule.publish, zone, dt.datetime.now(zone))
    approved = [(s, describe(s, zone, next_slot)) for s in states(store, limit=20)]
    page.setdefault("form", {})
    page.setdefault("error", "")
    return render_template("notices.html", drafts=[d for d in _drafts(folder) if not d.get("notice_id")],
                           approved=approved, PRIORITIES=PRIORITIES, WHEN=WHEN,
                           may_cancel=auth.allowed("approve"), no_outputs=not settings.onair.outputs, **page)


@notice_pages.get("/")
def index() -> Any:
    settings, store, folder = _context()
    return _listing(settings, store, folder)


@notice_pages.post("/")
def draft() -> Any:
    from broadcast.announce import say
    from broadcast.onair.items import PRIORITIES, priority_key

    settings, store, folder = _context()
    form = {k: clean_text(request.form.get(k, "")) for k in ("title", "text", "priority", "khi", "luc")}
    try:
        if not form["title"]:
            raise BroadcastError("Hãy ghi tiêu đề thông báo (ví dụ: Lịch cắt điện thôn Đông).")
        priority = priority_key(form["priority"] or "thuong")
        _when(form, settings)
        token = secrets.token_hex(16)
        seconds, engine = say(form["text"], folder / f"{token}.mp3", settings)
    except BroadcastError as exc:
        return _listing(settings, store, folder, form=form, error=str(exc)), 400
    write_json(folder / f"{token}.json", {"title": form["title"], "text": form["text"], "priority": priority,
                                          "khi": form["khi"] or "theo-muc", "luc": form["luc"],
                                          "seconds": round(seconds, 1), "engine": engine, "by": auth.actor()})
    with store.transaction() as conn:
        store.log(conn, auth.actor(), "soạn thông báo", None, f"{form['title']} ({PRIORITIES[priority]})")
    return redirect(url_for("notices.review", token=token)), 303


def _review_page(token: str, data: dict[str, Any], *, error: str = "", form: dict[str, str] | None = None) -> str:
    from broadcast.onair.airtime import WHEN, describe, state_of
    from broadcast.onair.items import PRIORITIES
    from broadcast.schedule.timing import next_fire, station_zone

    settings, store, _ = _context()
    status, waiting = "", False
    if data.get("notice_id"):
        zone = station_zone(settings)
        state = state_of(store, int(data["notice_id"]))
        status, waiting = describe(state, zone, next_fire(settings.schedule.publish, zone, dt.datetime.now(zone))), \
            state.waiting
    form = form or {"khi": data.get("khi", "theo-muc"), "luc": data.get("luc", "")}
    return render_template("notice.html", d=data, token=token, PRIORITIES=PRIORITIES, WHEN=WHEN, form=form,
                           status=status, waiting=waiting, error=error, may_approve=auth.allowed("approve"),
                           may_cancel=auth.allowed("approve"))


@notice_pages.get("/<token>")
def review(token: str) -> Any:
    _, _, folder = _context()
    return _review_page(token, _draft(folder, token))


@notice_pages.get("/<token>.mp3")
def audio(token: str) -> Any:
    _, _, folder = _context()
    _draft(folder, token)
    return send_file(folder / f"{token}.mp3", mimetype="audio/mpeg", conditional=True, max_age=0)


@notice_pages.post("/<token>/duyet")
def approve(token: str) -> Any:
    from broadcast.onair.items import PRIORITIES, add_notice

    auth.require("approve")
    settings, store, folder = _context()
    data = _draft(folder, token)
    if data.get("notice_id"):
        flash(f"Thông báo này đã được duyệt (mã {data['notice_id']}).")
        return redirect(url_for("notices.index")), 303
    if request.form.get("da_nghe") != "1":
        flash("Hãy nghe thông báo rồi đánh dấu \"Tôi đã nghe thông báo\" trước khi duyệt.")
        return redirect(url_for("notices.review", token=token)), 303
    form = {k: clean_text(request.form.get(k, "")) for k in ("khi", "luc")}
    try:
        air_at = _when(form, settings)
    except BroadcastError as exc:
        return _review_page(token, data, error=str(exc), form=form), 400
    item = add_notice(store, folder / f"{token}.mp3", title=data["title"], priority=data["priority"],
                      by=auth.actor(), air_at=air_at)
    data.update(notice_id=item.ref_id, khi=form["khi"] or "theo-muc", luc=form["luc"])
    write_json(folder / f"{token}.json", data)
    if air_at is not None:
        when = f"sẽ phát lúc {spoken_time(air_at)}"
    else:
        when = {"khan-cap": "phát ngay trên loa", "uu-tien": "phát ở giờ phát tới, trước chuyên mục",
                "thuong": "phát ở giờ phát tới, sau chuyên mục"}[data["priority"]]
    flash(f"Đã duyệt thông báo {PRIORITIES[data['priority']]} mã {item.ref_id}: {when}.")
    return redirect(url_for("notices.index")), 303


@notice_pages.post("/huy/<int:notice_id>")
def cancel(notice_id: int) -> Any:
    """Cancel an approved notice that has not started airing (an approver's decision, like approving)."""
    from broadcast.onair.airtime import cancel as cancel_notice

    auth.require("approve")
    _, store, _ = _context()
    try:
        item = cancel_notice(store, notice_id, by=auth.actor())
    except BroadcastError as exc:
        flash(str(exc))
    else:
        flash(f"Đã hủy {item.label}: thông báo này sẽ không được phát.")
    return redirect(url_for("notices.index")), 303
