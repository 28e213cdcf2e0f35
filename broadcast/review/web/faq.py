"""The FAQ bank on the site: list, search, add, edit, retire and restore entries.

Pages read the TOML files directly (the files stay the source of truth and the
CLI keeps working); writes go through ``sources.faq_edit``, which keeps
comments and refuses a stale write. Each write is recorded in the audit log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from broadcast.config import Settings
from broadcast.errors import BroadcastError
from broadcast.models import FaqEntry
from broadcast.review.store import Store
from broadcast.sources import faq_edit
from broadcast.sources.faq import read_faq

faq_pages = Blueprint("faq", __name__, url_prefix="/hoi-dap")

# All of it: the bank decides which entries are resting, not a short window.
HISTORY_START = dt.date(2000, 1, 1)


def _context() -> tuple[Settings, Store]:
    ext = current_app.extensions["broadcast"]
    return ext["settings"], ext["store"]


def _bank(settings: Settings) -> Path:
    if settings.sources.faq is None:
        abort(404)
    return settings.sources.faq


def editor_name() -> str:
    """Who is acting, for the audit log: the logged-in account, else the OS user (no account yet)."""
    from broadcast.review.web.auth import actor

    return actor()


def status_of(entry: FaqEntry, day: dt.date) -> str:
    if entry.valid_until is not None and entry.valid_until < day:
        return "đã ngừng"
    if entry.valid_from is not None and entry.valid_from > day:
        return "chưa đến ngày áp dụng"
    return "đang dùng"


def row(entry: FaqEntry, *, day: dt.date, aired: dict[str, dt.date], rest_weeks: int) -> dict[str, Any]:
    last = aired.get(entry.ref)
    again = last + dt.timedelta(weeks=rest_weeks) if last else None
    return {"e": entry, "status": status_of(entry, day), "last": last,
            "again": again if again and again > day else None, "file": Path(entry.file).name}


def matches(entry: FaqEntry, query: str, topic: str) -> bool:
    if topic and entry.topic.casefold() != topic.casefold():
        return False
    if not query:
        return True
    hay = " ".join((entry.id, entry.question, entry.answer, entry.topic, *entry.tags, entry.source)).casefold()
    return all(word in hay for word in query.casefold().split())


@faq_pages.get("/")
def index() -> Any:
    settings, store = _context()
    entries = read_faq(_bank(settings))
    day = store.local_today()
    aired = store.aired_sources(since=HISTORY_START)
    query, topic = request.args.get("q", "").strip(), request.args.get("linh-vuc", "").strip()
    rows = [row(e, day=day, aired=aired, rest_weeks=settings.sources.faq_rest_weeks)
            for e in entries if matches(e, query, topic)]
    topics = sorted({e.topic for e in entries}, key=str.casefold)
    return render_template("faq_list.html", rows=rows, topics=topics, query=query, topic=topic, total=len(entries))


def _form_page(*, entry: FaqEntry | None, form: dict[str, str], expected: str, error: str = "",
               status: int = 200) -> Any:
    topics = sorted({e.topic for e in read_faq(_bank(_context()[0]))}, key=str.casefold)
    return render_template("faq_form.html", entry=entry, form=form, expected=expected, error=error,
                           topics=topics), status


def _form_of(entry: FaqEntry) -> dict[str, str]:
    def day(value: dt.date | None) -> str:
        return f"{value:%d/%m/%Y}" if value else ""

    return {"topic": entry.topic, "question": entry.question, "answer": entry.answer, "tags": ", ".join(entry.tags),
            "priority": str(entry.priority), "valid_from": day(entry.valid_from),
            "valid_until": day(entry.valid_until), "source": entry.source,
            "answers_inbox": ", ".join(entry.answers_inbox)}


@faq_pages.route("/moi", methods=["GET", "POST"])
def new() -> Any:
    settings, store = _context()
    bank = _bank(settings)
    if request.method == "GET":
        prefill = {"priority": "2", "topic": request.args.get("linh-vuc", ""),
                   "question": request.args.get("cau-hoi", ""), "answers_inbox": request.args.get("tra-loi", "")}
        return _form_page(entry=None, form=prefill, expected="")
    form = {k: v for k, v in request.form.items() if k != "csrf_token"}
    try:
        draft = faq_edit.parse_draft(form, entry_id="tạm")
        draft = replace(draft, id=faq_edit.new_id(bank, draft.topic, draft.question))
        # A new entry is appended to the file as it is now: nothing of anyone else's can be overwritten.
        target = faq_edit.file_for_topic(bank, draft.topic)
        path = faq_edit.add_entry(bank, draft, expected=faq_edit.fingerprint(target))
    except BroadcastError as exc:
        return _form_page(entry=None, form=form, expected=form.get("expected", ""), error=str(exc), status=400)
    _log(store, "thêm câu hỏi", f"{draft.id} ({path.name})")
    flash(f"Đã thêm câu hỏi mã {draft.id} vào tệp {path.name}.")
    return redirect(url_for("faq.index", q=draft.id)), 303


@faq_pages.route("/<entry_id>", methods=["GET", "POST"])
def edit(entry_id: str) -> Any:
    settings, store = _context()
    bank = _bank(settings)
    entry = _entry_or_404(bank, entry_id)
    if request.method == "GET":
        return _form_page(entry=entry, form=_form_of(entry), expected=faq_edit.fingerprint(Path(entry.file)))
    form = {k: v for k, v in request.form.items() if k != "csrf_token"}
    try:
        draft = faq_edit.parse_draft(form, entry_id=entry.id)
        faq_edit.update_entry(Path(entry.file), entry.id, draft, expected=form.get("expected", ""))
    except BroadcastError as exc:
        return _form_page(entry=entry, form=form, expected=form.get("expected", ""), error=str(exc), status=409)
    _log(store, "sửa câu hỏi", f"{entry.id} ({Path(entry.file).name})")
    flash(f"Đã lưu câu hỏi mã {entry.id}.")
    return redirect(url_for("faq.index", q=entry.id)), 303


@faq_pages.post("/<entry_id>/ngung")
def retire(entry_id: str) -> Any:
    settings, store = _context()
    bank = _bank(settings)
    entry = _entry_or_404(bank, entry_id)
    try:
        faq_edit.retire(bank, entry.id, day=store.local_today(), expected=request.form.get("expected", ""))
    except BroadcastError as exc:
        flash(str(exc))
        return redirect(url_for("faq.edit", entry_id=entry.id)), 303
    _log(store, "ngừng phát câu hỏi", entry.id)
    flash(f"Câu hỏi mã {entry.id} sẽ không được phát nữa (có thể khôi phục).")
    return redirect(url_for("faq.index", q=entry.id)), 303


@faq_pages.post("/<entry_id>/khoi-phuc")
def restore(entry_id: str) -> Any:
    settings, store = _context()
    bank = _bank(settings)
    entry = _entry_or_404(bank, entry_id)
    try:
        faq_edit.restore(bank, entry.id, expected=request.form.get("expected", ""))
    except BroadcastError as exc:
        flash(str(exc))
        return redirect(url_for("faq.edit", entry_id=entry.id)), 303
    _log(store, "khôi phục câu hỏi", entry.id)
    flash(f"Đã khôi phục câu hỏi mã {entry.id}: câu hỏi lại được chọn để phát.")
    return redirect(url_for("faq.index", q=entry.id)), 303


def _entry_or_404(bank: Path, entry_id: str) -> FaqEntry:
    for entry in read_faq(bank):
        if entry.id == entry_id:
            return entry
    abort(404)


def _log(store: Store, action: str, detail: str) -> None:
    with store.transaction() as conn:
        store.log(conn, editor_name(), action, None, detail)
