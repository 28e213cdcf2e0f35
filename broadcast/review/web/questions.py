"""Citizens' questions on the site: upload the inbox CSV, answer a question in place, merge or close.

Answering writes a new FAQ entry (``sources.faq_edit``) whose ``answers_inbox``
names the question, so the CLI, the files and the build all see the same thing:
a question is answered when an FAQ entry says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from broadcast.config import Settings
from broadcast.errors import BroadcastError, DataError
from broadcast.review.store import Store
from broadcast.review.web.faq import editor_name
from broadcast.sources import faq_edit, inbox
from broadcast.sources.text import clean_text

question_pages = Blueprint("questions", __name__, url_prefix="/cau-hoi")


def _context() -> tuple[Settings, Store]:
    ext = current_app.extensions["broadcast"]
    return ext["settings"], ext["store"]


def _question(settings: Settings, question_id: str) -> inbox.InboxQuestion:
    for q in inbox.load(settings.sources.inbox):
        if q.id == question_id:
            return q
    abort(404)


def asked(q: inbox.InboxQuestion) -> str:
    """The question as the programme reads it: who asks, from where, then the question."""
    who = " ở ".join(part for part in (q.asker, q.place) if part)
    return f"{who} hỏi: {q.question}" if who else q.question


@question_pages.get("/")
def index() -> Any:
    settings, _ = _context()
    try:
        stored = inbox.load(settings.sources.inbox)
        waiting = {q.id for q in inbox.pending_questions(settings)}
        answered = inbox.answered_ids(settings)
        error = ""
    except BroadcastError as exc:
        stored, waiting, answered, error = [], set(), set(), str(exc)
    stored = sorted(stored, key=lambda q: (q.id not in waiting, q.received or dt.date.max, q.id))
    rows = [{"q": q, "state": "đã trả lời" if q.id in answered else inbox.STATUS_NAMES[q.status],
             "waiting": q.id in waiting} for q in stored]
    return render_template("questions.html", rows=rows, error=error, waiting=len(waiting))


@question_pages.post("/tai-len")
def upload() -> Any:
    settings, store = _context()
    sent = request.files.get("tep")
    if sent is None or not sent.filename:
        flash("Hãy chọn tệp CSV câu hỏi trước khi bấm Tải lên.")
        return redirect(url_for("questions.index")), 303
    name = clean_text(sent.filename) or "cau-hoi.csv"
    try:
        added, already = inbox.import_questions(settings.sources.inbox, inbox.parse_csv(sent.read(), name=name))
    except BroadcastError as exc:
        flash(f"Chưa nhập câu hỏi nào: {exc}")
        return redirect(url_for("questions.index")), 303
    _log(store, "nhập câu hỏi của bà con", f"{name}: {added} câu mới, {already} câu đã có")
    flash(f"Đã nhập {added} câu hỏi mới từ {name} ({already} câu đã có từ trước).")
    return redirect(url_for("questions.index")), 303


@question_pages.route("/<question_id>", methods=["GET", "POST"])
def answer(question_id: str) -> Any:
    settings, store = _context()
    q = _question(settings, question_id)
    others = [o for o in inbox.pending_questions(settings) if o.id != q.id]
    form = {"question": asked(q), "topic": "", "answer": "", "source": "", "priority": "2"}
    error = ""
    if request.method == "POST":
        if settings.sources.faq is None:
            abort(404)
        form = {k: v for k, v in request.form.items() if k != "csrf_token"}
        form["answers_inbox"] = q.id
        form.setdefault("valid_from", f"{store.local_today():%d/%m/%Y}")
        try:
            draft = faq_edit.parse_draft(form, entry_id="tạm")
            draft = replace(draft, id=faq_edit.new_id(settings.sources.faq, draft.topic, draft.question))
            target = faq_edit.file_for_topic(settings.sources.faq, draft.topic)
            path = faq_edit.add_entry(settings.sources.faq, draft, expected=faq_edit.fingerprint(target))
        except BroadcastError as exc:
            error = str(exc)
        else:
            _log(store, "trả lời câu hỏi của bà con", f"{q.id} → hỏi đáp {draft.id} ({path.name})")
            flash(f"Đã trả lời câu hỏi {q.id}: thêm mục hỏi đáp {draft.id} vào {path.name}. "
                  f"Câu trả lời sẽ được chọn phát ở các số tới.")
            return redirect(url_for("questions.index")), 303
    topics = sorted({e.topic for e in _bank_entries(settings)}, key=str.casefold)
    return render_template("question.html", q=q, form=form, error=error, others=others, topics=topics,
                           state=inbox.STATUS_NAMES[q.status]), 400 if error else 200


@question_pages.post("/<question_id>/dong")
def close(question_id: str) -> Any:
    settings, store = _context()
    q = _question(settings, question_id)
    duplicate_of = clean_text(request.form.get("duplicate_of", ""))
    try:
        inbox.close(settings.sources.inbox, q.id, reason=clean_text(request.form.get("reason", "")),
                    day=store.local_today(), duplicate_of=duplicate_of)
    except DataError as exc:
        flash(str(exc))
        return redirect(url_for("questions.answer", question_id=q.id)), 303
    if duplicate_of:
        _log(store, "gộp câu hỏi trùng", f"{q.id} trùng {duplicate_of}")
        flash(f"Đã gộp câu hỏi {q.id} vào câu {duplicate_of}: trả lời câu {duplicate_of} là đủ.")
    else:
        _log(store, "đóng câu hỏi", f"{q.id}: {request.form.get('reason', '')}")
        flash(f"Đã đóng câu hỏi {q.id}.")
    return redirect(url_for("questions.index")), 303


@question_pages.post("/<question_id>/mo-lai")
def reopen(question_id: str) -> Any:
    settings, store = _context()
    q = _question(settings, question_id)
    inbox.reopen(settings.sources.inbox, q.id)
    _log(store, "mở lại câu hỏi", q.id)
    flash(f"Đã mở lại câu hỏi {q.id}.")
    return redirect(url_for("questions.answer", question_id=q.id)), 303


def _bank_entries(settings: Settings) -> list[Any]:
    from broadcast.sources.faq import read_faq

    if settings.sources.faq is None or not settings.sources.faq.exists():
        return []
    return read_faq(settings.sources.faq)


def _log(store: Store, action: str, detail: str) -> None:
    with store.transaction() as conn:
        store.log(conn, editor_name(), action, None, detail)
