"""The officer's own voice on the site: record a phrase of the bank, or a whole segment, in the browser.

The page records with the browser's MediaRecorder (static/record.js) and posts
the take here; the server converts and trims it, brings it to the clip loudness
and stores it in the take bank (``speech.takes``). With the ``[asr]`` extra the
take is transcribed first and one that does not say its text is flagged, shown
with what was heard, and not used until someone confirms it.

A phrase take is used by every later build where its sentence appears. A
segment take re-voices that segment of its episode at once (a new revision,
through the same save as an edit); a segment whose text was edited after its
recording is flagged on the page.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask import Blueprint, abort, current_app, jsonify, render_template, request, send_file, session, url_for

from broadcast.config import Settings
from broadcast.errors import BroadcastError
from broadcast.review import voicing
from broadcast.review.store import Store
from broadcast.review.workflow import DRAFT, NOW, SYSTEM, can, clean_name, sync_manifest, transition
from broadcast.speech.asr import Recognizer
from broadcast.speech.speak import sentences
from broadcast.speech.takes import Take, TakeBank, convert, text_key

recording_pages = Blueprint("recording", __name__, url_prefix="/ghi-am")

FIXED_SEGMENTS = ("mo-dau", "ket-thuc")   # opening and closing: the same words every week
RECENT_EPISODES = 6


def _context() -> tuple[Settings, Store, TakeBank]:
    ext = current_app.extensions["broadcast"]
    settings: Settings = ext["settings"]
    return settings, ext["store"], TakeBank(settings.speech.takes)


def recurring_sentences(store: Store) -> list[str]:
    """Sentences worth recording once: those of the opening and closing, and any heard in two episodes."""
    episodes = store.episodes()[:RECENT_EPISODES]
    seen: Counter[str] = Counter()
    first: dict[str, str] = {}
    fixed: list[str] = []
    for number, record in enumerate(episodes):
        in_this: set[str] = set()
        for segment in store.segments(record.id):
            for sentence in sentences(segment.spoken or segment.text):
                key = text_key(sentence)
                first.setdefault(key, sentence)
                in_this.add(key)
                if number == 0 and segment.id in FIXED_SEGMENTS and key not in fixed:
                    fixed.append(key)
        seen.update(in_this)
    again = [k for k, n in seen.items() if n >= 2 and k not in fixed]
    return [first[k] for k in fixed + again]


def _row(bank: TakeBank, text: str) -> dict[str, Any]:
    take = bank.get(text_key(text))
    return {"text": text, "take": take}


@recording_pages.get("/")
def index() -> Any:
    settings, store, bank = _context()
    texts = recurring_sentences(store)
    keys = {text_key(t) for t in texts}
    own = [t.text for t in bank.all() if t.kind == "phrase" and t.key not in keys]
    return render_template("recording.html", rows=[_row(bank, t) for t in texts + own], episode=None,
                           asr=Recognizer.disabled_message(), editor=session.get("name", ""),
                           configured=settings.speech.takes is not None)


@recording_pages.get("/so-phat/<int:episode_id>")
def episode(episode_id: int) -> Any:
    settings, store, bank = _context()
    try:
        record = store.get(episode_id)
    except BroadcastError:
        abort(404)
    rows = []
    segment_takes = [t for t in bank.all() if t.kind == "segment" and t.episode == record.id]
    for segment in store.segments(record.id):
        row = _row(bank, segment.spoken)
        row.update(segment=segment, stale=_stale(segment_takes, segment.id, segment.spoken))
        rows.append(row)
    return render_template("recording.html", rows=rows, episode=record, can_edit=can(record.state, "edit"),
                           asr=Recognizer.disabled_message(), editor=session.get("name", ""),
                           configured=settings.speech.takes is not None)


def _stale(takes: list[Take], segment_id: str, spoken: str) -> Take | None:
    """A take recorded for this segment whose text has been edited since (it no longer matches)."""
    for take in takes:
        if take.segment == segment_id and take.key != text_key(spoken):
            return take
    return None


@recording_pages.post("/tai-len")
def upload() -> Any:
    settings, store, bank = _context()
    text = request.form.get("text", "").strip()
    by = request.form.get("by", "").strip()
    kind = request.form.get("kind", "phrase")
    file = request.files.get("audio")
    session["name"] = by
    if file is None:
        return jsonify(ok=False, message="Không nhận được bản ghi âm. Hãy ghi âm lại."), 400
    episode_id = segment_id = None
    if kind == "segment":
        episode_id, segment_id = _segment_target(store, request.form)
    try:
        audio = convert(file.read(), sample_rate=settings.audio.sample_rate)
        take = bank.add(text, audio, by=by, kind=kind, episode=episode_id, segment=segment_id,
                        loudness_target=settings.audio.loudness_target, true_peak=settings.audio.true_peak,
                        max_wer=settings.speech.take_max_wer)
    except BroadcastError as exc:
        return jsonify(ok=False, message=str(exc)), 400
    message = f"Đã lưu bản ghi âm ({take.seconds:.1f} giây, lần ghi thứ {take.revision})."
    if take.flagged:
        message = (f"Cảnh báo: máy nghe được \"{take.heard}\", khác xa lời cần đọc (sai {take.wer:.0%}). "
                   "Bản ghi này chưa được dùng: hãy nghe lại rồi ghi âm lại, hoặc bấm xác nhận nếu đúng.")
    elif episode_id is not None and segment_id is not None:
        try:
            revoice_segment(settings, store, episode_id, segment_id, by=by)
            message += f" Đoạn đã được thay bằng giọng ghi âm (phiên bản {store.get(episode_id).revision})."
        except BroadcastError as exc:
            return jsonify(ok=False, message=f"Đã lưu bản ghi nhưng chưa đưa vào chương trình: {exc}"), 409
    return jsonify(ok=True, flagged=take.flagged, heard=take.heard, wer=take.wer, message=message,
                   audio=url_for("recording.take_audio", key=take.key, r=take.revision))


def revoice_segment(settings: Settings, store: Store, episode_id: int, segment_id: str, *, by: str) -> None:
    """A new revision with the segment's text unchanged but marked not voiced; the voicing job then reads
    it from the new take. An approval of the old audio is void, as after an edit."""
    by = clean_name(by, "tên người đọc")
    with store.transaction() as conn:
        record = store._get(conn, episode_id)
        transition(record.state, "edit")
        segment = next(s for s in store.segments_in(conn, episode_id, record.revision) if s.id == segment_id)
        revision = record.revision + 1
        store.copy_revision(conn, episode_id, record.revision, revision, {segment_id: (segment.text, segment.spoken)},
                            by)
        conn.execute(f"UPDATE episodes SET state = ?, revision = ?, updated_at = {NOW}, updated_by = ? WHERE id = ?",
                     (DRAFT, revision, by, episode_id))
        voided = conn.execute("UPDATE approvals SET void = 1 WHERE episode_id = ? AND decision = 'approved' "
                              "AND void = 0", (episode_id,)).rowcount
        store.log(conn, by, "record", episode_id, f"ghi âm đoạn {segment_id}, phiên bản {revision}")
        if voided:
            store.log(conn, SYSTEM, "approval-void", episode_id, "đoạn ghi âm mới sau khi phê duyệt")
    sync_manifest(store.get(episode_id))
    voicing.run(settings, store, episode_id)


def _segment_target(store: Store, form: Any) -> tuple[int, str]:
    try:
        episode_id = int(form.get("episode", ""))
        record = store.get(episode_id)
    except (ValueError, BroadcastError):
        abort(404)
    segment_id = form.get("segment", "")
    if segment_id not in {s.id for s in store.segments(record.id)}:
        abort(404)
    return episode_id, segment_id


@recording_pages.get("/<key>.wav")
def take_audio(key: str) -> Any:
    _, _, bank = _context()
    take = bank.get(key) if len(key) == 32 and key.isalnum() else None
    if take is None or bank.folder is None:
        abort(404)
    response = send_file(bank.folder / f"{take.key}.wav", mimetype="audio/wav", conditional=True, max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@recording_pages.post("/<key>/xac-nhan")
def confirm(key: str) -> Any:
    _, _, bank = _context()
    by = request.form.get("by", "").strip() or str(session.get("name", ""))
    try:
        take = bank.confirm(key, by=by)
    except BroadcastError as exc:
        return jsonify(ok=False, message=str(exc)), 400
    return jsonify(ok=True, message=f"{take.confirmed_by} đã xác nhận bản ghi: từ nay được dùng.")
