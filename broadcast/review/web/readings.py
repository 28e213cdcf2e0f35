"""A pronunciation fix from the episode page: say how a word is read, hear it, save it, re-voice.

"Nghe thử" writes the reading into a scratch copy of the commune lexicon and
voices the sentence that contains the word with it; nothing the build reads
changes. "Lưu" calls the same ``normalize.edit.add_entry`` as ``broadcast
lexicon add`` on the real file, then ``respeak`` marks every open segment
whose spoken form changed and the voicing job re-voices them.
"""

from __future__ import annotations

import dataclasses
import re
import secrets
import shutil
import threading
import time
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for

from broadcast.config import Settings
from broadcast.errors import BroadcastError
from broadcast.review.store import EpisodeRecord, SegmentRecord, Store
from broadcast.review.web.faq import editor_name
from broadcast.sources.text import clean_text

reading_pages = Blueprint("readings", __name__, url_prefix="/cach-doc")
SCRATCH_TTL_S = 3600


def _context() -> tuple[Settings, Store]:
    ext = current_app.extensions["broadcast"]
    return ext["settings"], ext["store"]


def _segment(store: Store) -> tuple[EpisodeRecord, SegmentRecord]:
    try:
        record = store.get(int(request.form.get("episode", "")))
    except (BroadcastError, ValueError):
        abort(404)
    for segment in store.segments(record.id):
        if segment.id == request.form.get("segment"):
            return record, segment
    abort(404)


def sentence_with(text: str, written: str) -> str:
    """The sentence of ``text`` that contains ``written`` (case-insensitive), else ``written`` alone."""
    for sentence in re.split(r"(?<=[.!?…])\s+|\n+", text):
        if written.casefold() in sentence.casefold():
            return sentence.strip()
    return written


def _scratch(settings: Settings) -> Path:
    folder = settings.review.database.parent / "cach-doc-thu"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if time.time() - old.stat().st_mtime > SCRATCH_TTL_S:
            shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)
    return folder


@reading_pages.post("/thu")
def try_reading() -> Any:
    from broadcast.announce import say
    from broadcast.normalize.edit import add_entry
    from broadcast.pipeline import lexicon_path

    settings, store = _context()
    record, segment = _segment(store)
    written, spoken = clean_text(request.form.get("written", "")), clean_text(request.form.get("spoken", ""))
    words = request.form.get("kind") == "words"
    token = secrets.token_hex(16)
    folder = _scratch(settings) / token
    folder.mkdir()
    real = lexicon_path(settings)
    scratch = folder / "lexicon.toml"
    if real.is_file():
        shutil.copyfile(real, scratch)
    sample = sentence_with(segment.text, written) if written else ""
    try:
        added = add_entry(scratch, written, spoken, section="words" if words else "abbreviations", sample=sample,
                          dialect=settings.station.dialect)
        trial = dataclasses.replace(settings, speech=dataclasses.replace(settings.speech, lexicon=scratch))
        say(sample, folder / "nghe-thu.mp3", trial)
    except BroadcastError as exc:
        flash(f"Chưa nghe thử được: {exc}")
        return redirect(url_for("episode", episode_id=record.id) + f"#doan-{segment.id}"), 303
    return render_template("reading.html", e=record, s=segment, written=written, spoken=spoken, words=words,
                           sample=sample, reading=added.reading, token=token)


@reading_pages.get("/thu/<token>.mp3")
def trial_audio(token: str) -> Any:
    settings, _ = _context()
    if not re.fullmatch(r"[0-9a-f]{32}", token):
        abort(404)
    path = settings.review.database.parent / "cach-doc-thu" / token / "nghe-thu.mp3"
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="audio/mpeg", conditional=True, max_age=0)


@reading_pages.post("/luu")
def save() -> Any:
    from broadcast.normalize.edit import add_entry
    from broadcast.pipeline import lexicon_path
    from broadcast.review.respeak import respeak

    settings, store = _context()
    record, segment = _segment(store)
    written, spoken = clean_text(request.form.get("written", "")), clean_text(request.form.get("spoken", ""))
    by = editor_name()
    try:
        added = add_entry(lexicon_path(settings), written, spoken,
                          section="words" if request.form.get("kind") == "words" else "abbreviations",
                          dialect=settings.station.dialect)
        with store.transaction() as conn:
            store.log(conn, by, "sửa cách đọc", record.id, f"\"{written}\" đọc là \"{spoken}\" ({added.path.name})")
        changed = respeak(settings, store, by=by)
    except BroadcastError as exc:
        flash(f"Chưa lưu cách đọc: {exc}")
        return redirect(url_for("episode", episode_id=record.id) + f"#doan-{segment.id}"), 303
    for episode_id in changed:
        threading.Thread(target=_voice, args=(settings, store, episode_id), daemon=True,
                         name=f"voicing-{episode_id}").start()
    count = sum(len(v) for v in changed.values())
    flash(f"Đã lưu vào từ điển phát âm: \"{written}\" đọc là \"{spoken}\". "
          + (f"Đang đọc lại {count} đoạn có từ này." if count else "Không đoạn nào đang mở cần đọc lại."))
    return redirect(url_for("episode", episode_id=record.id) + f"#doan-{segment.id}"), 303


def _voice(settings: Settings, store: Store, episode_id: int) -> None:
    from broadcast.review import voicing

    try:
        voicing.run(settings, store, episode_id)
    except BroadcastError:
        pass  # the segments stay "chưa lồng tiếng"; the next start (or save) resumes them
