"""The site's edit flow: the episode form, saving per segment, conflicts, and voicing in the background.

A save commits the editor's text at once, in the request (``edits.save_segments``,
one transaction, conflicts found at commit time); voicing runs afterwards in a
``Voicer`` thread and the browser follows it on the job page. Every form carries
each segment's own base revision; a page re-rendered after a refusal (a missing
name, a text too long, a CSRF failure) keeps the editor's texts AND the bases
they were typed against, never the current revision, which would silently
revert what others saved meanwhile.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, abort, jsonify, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from broadcast.config import Settings
from broadcast.errors import BroadcastError, ReviewError
from broadcast.models import Segment
from broadcast.review import voicing
from broadcast.review.edits import Conflict, SegmentEdit, bases_at, save_segments
from broadcast.review.integrity import missing_line, missing_segments
from broadcast.review.repair import mark_missing
from broadcast.review.store import EpisodeRecord, Store
from broadcast.review.web import auth
from broadcast.review.web.aired import aired_times
from broadcast.review.workflow import can

CHOICES = ("theirs", "yours", "merge")


@dataclass
class Run:
    """The voicing thread of one episode in this process, and its progress."""

    active: bool = False
    dirty: bool = False
    queued: bool = False
    done: int = 0
    total: int = 0
    message: str = ""
    error: str = ""


class Voicer:
    """One voicing thread per episode here (and, through the lease, one job per episode anywhere)."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings, self.store = settings, store
        self.owner = voicing.new_owner()
        self._lock = threading.Lock()
        self._runs: dict[int, Run] = {}

    def kick(self, episode_id: int) -> None:
        """Make sure what waits in ``episode_id`` gets voiced; a running thread picks new saves up."""
        with self._lock:
            run = self._runs.setdefault(episode_id, Run())
            run.dirty = True
            if run.active:
                return
            run.active, run.error, run.done, run.total = True, "", 0, 0
        threading.Thread(target=self._work, args=(episode_id, run), daemon=True,
                         name=f"voicing-{episode_id}").start()

    def _work(self, episode_id: int, run: Run) -> None:
        def progress(k: int, n: int, segment: Segment, engine: str) -> None:
            with self._lock:
                run.done, run.total, run.queued = k, n, False
                run.message = f"Đã lồng tiếng đoạn {k}/{n}: {segment.title} (giọng {engine})"

        while True:
            with self._lock:
                run.dirty, run.message = False, "Đang lồng tiếng các đoạn đã sửa…"
            try:
                while voicing.run(self.settings, self.store, episode_id, owner=self.owner,
                                  progress=progress) == voicing.BUSY:
                    with self._lock:
                        run.queued, run.message = True, "Đang chờ lồng tiếng (một việc lồng tiếng khác đang chạy)…"
                    time.sleep(1)
                    if not voicing.pending(self.store, episode_id):
                        break
            except BroadcastError as exc:
                run.error = str(exc)
            except Exception as exc:  # a bug: say so; the text is already saved
                run.error = f"Lỗi không mong đợi: {type(exc).__name__}: {exc}"
            with self._lock:
                if run.dirty and not run.error:
                    continue
                run.active = run.queued = False
                return

    def status(self, episode_id: int) -> Run:
        with self._lock:
            run = self._runs.get(episode_id, Run())
            return Run(**{k: getattr(run, k) for k in Run.__dataclass_fields__})

    def resume(self) -> None:
        """At start-up: voice what a stopped server left, in the background."""
        for episode_id in voicing.unfinished(self.store):
            self.kick(episode_id)


@dataclass
class Job:
    """One save, followed by the browser until its voicing is done."""

    id: str
    episode_id: int
    revision: int
    saved: tuple[str, ...]
    created: float = field(default_factory=time.monotonic)

    def as_json(self, voicer: Voicer, store: Store) -> dict[str, Any]:
        run = voicer.status(self.episode_id)
        waiting = voicing.pending(store, self.episode_id)
        out: dict[str, Any] = {"revision": self.revision, "episode": self.episode_id, "done": run.done,
                               "total": max(run.total, len(self.saved))}
        if run.active:
            out.update(state="running", message=run.message or "Đang lồng tiếng…")
        elif run.error:
            out.update(state="error", message=f"Lời đã được lưu (phiên bản {self.revision}) nhưng chưa lồng tiếng "
                                              f"được: {run.error}")
        elif waiting:
            out.update(state="running", message="Đang chờ lồng tiếng…")
        else:
            out.update(state="done", done=out["total"], message=f"Đã lưu và lồng tiếng phiên bản {self.revision}.")
        return out


class Jobs:
    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def add(self, job: Job) -> None:
        with self._lock:
            self._jobs[job.id] = job
            if len(self._jobs) > 200:  # forget the oldest
                for key in sorted(self._jobs, key=lambda k: self._jobs[k].created)[:100]:
                    del self._jobs[key]

    def get(self, job_id: str) -> Job | None:
        if not re.fullmatch(r"[0-9a-f]{32}", job_id):
            return None
        with self._lock:
            return self._jobs.get(job_id)


def _int(value: str | None) -> int | None:
    if value is None or not re.fullmatch(r"\d{1,9}", value.strip()):
        return None
    return int(value)


def form_bases(store: Store, record: EpisodeRecord, form: MultiDict[str, str]) -> dict[str, int]:
    """Each segment's base as the form carries it (a form with only the episode revision: derived from it)."""
    bases: dict[str, int] = {}
    legacy = _int(form.get("revision"))
    derived = bases_at(store, record.id, legacy) if legacy else {}
    for seg in store.segments(record.id):
        base = _int(form.get(f"base-{seg.id}"))
        if base is None:
            base = derived.get(seg.id)
        if base is not None:
            bases[seg.id] = base
    return bases


def install(app: Flask, settings: Settings, store: Store) -> Voicer:
    """Add the episode page and the edit routes to ``app``."""
    voicer = Voicer(settings, store)
    jobs = Jobs()

    def voice_states(record: EpisodeRecord) -> dict[str, str]:
        batch = voicing.batch_of(store, record.id)
        states = {}
        for seg in store.segments(record.id):
            if not seg.voiced:
                states[seg.id] = ("đang lồng tiếng" if batch and seg.id in batch else
                                  "đang chờ lồng tiếng" if batch is not None or voicer.status(record.id).active
                                  else "")
        return states

    def missing_lines(record: EpisodeRecord) -> list[str]:
        """One line per segment file deleted by hand (``integrity.missing_line``)."""
        return [missing_line(record, seg, path) for seg, path in missing_segments(record, store.segments(record.id))]

    def episode_page(record: EpisodeRecord, *, texts: dict[str, str] | None = None,
                     bases: dict[str, int] | None = None, failed: str = "", status: int = 200) -> Any:
        return render_template(
            "episode.html", e=record, segments=store.segments(record.id), texts=texts or {}, bases=bases or {},
            failed=failed, voice_states=voice_states(record), approval=store.approval(record.id),
            decisions=store.decisions(record.id), audit=store.audit(record.id, limit=30),
            publications=store.publications(record.id), local_time=store.local_time,
            aired=aired_times(store, record.id), missing=missing_lines(record),
            **{f"can_{a}": can(record.state, a) and auth.allowed(a) for a in ("edit", "approve", "reject", "publish")}
        ), status

    def conflict_page(record: EpisodeRecord, conflicts: list[Conflict], *, saved: tuple[str, ...] = (),
                      failed: str = "", status: int = 409) -> Any:
        return render_template("conflict.html", e=record, conflicts=conflicts, saved=saved, failed=failed,
                               local_time=store.local_time), status

    def conflicts_from_form(record: EpisodeRecord, form: MultiDict[str, str]) -> list[Conflict]:
        current = {s.id: s for s in store.segments(record.id)}
        out = []
        for seg_id in [x for x in form.get("resolve", "").split(",") if x in current]:
            seg = current[seg_id]
            base = _int(form.get(f"base-{seg_id}")) or 0
            out.append(Conflict(id=seg.id, title=seg.title, theirs=seg.text, yours=form.get(f"yours-{seg_id}", ""),
                                by=seg.saved_by, at=seg.saved_at, revision=base, base=base))
        return out

    def refill(record: EpisodeRecord, message: str) -> Any:
        """The form the editor sent, back on screen with their texts and bases and what went wrong."""
        form = request.form
        if form.get("resolve"):
            return conflict_page(record, conflicts_from_form(record, form), failed=message, status=400)
        texts = {s.id: form[f"text-{s.id}"] for s in store.segments(record.id) if f"text-{s.id}" in form}
        return episode_page(record, texts=texts, bases=form_bases(store, record, form), failed=message, status=400)

    def episode_or_404(episode_id: int) -> EpisodeRecord:
        try:
            return store.get(episode_id)
        except BroadcastError:
            abort(404)

    @app.get("/episodes/<int:episode_id>")
    def episode(episode_id: int) -> Any:
        record = episode_or_404(episode_id)
        job = jobs.get(request.args.get("job", ""))
        failed = ""
        if job and job.episode_id == record.id:
            status = job.as_json(voicer, store)
            failed = status["message"] if status["state"] == "error" else ""
        return episode_page(record, failed=failed)

    @app.post("/episodes/<int:episode_id>/save")
    def save(episode_id: int) -> Any:
        auth.require("edit")
        record = episode_or_404(episode_id)
        form = request.form
        by = auth.actor()  # the logged-in account (or the officer at this PC), never a typed name
        bases = form_bases(store, record, form)
        edits: list[SegmentEdit] = []
        if form.get("resolve"):
            conflicts = conflicts_from_form(record, form)
            missing = [c.title for c in conflicts if form.get(f"choice-{c.id}") not in CHOICES]
            if missing or not conflicts:
                return refill(record, "Hãy chọn cách giải quyết cho từng đoạn (giữ bản của họ, giữ bản của bạn "
                                      f"hoặc tự gộp) rồi mới lưu: {', '.join(missing) or 'không có đoạn nào'}.")
            for c in conflicts:
                choice = form[f"choice-{c.id}"]
                if choice != "theirs":
                    text = form.get(f"yours-{c.id}" if choice == "yours" else f"merge-{c.id}", "")
                    edits.append(SegmentEdit(c.id, text, c.base))
        else:
            for seg in store.segments(record.id):
                if f"text-{seg.id}" in form:
                    if seg.id not in bases:
                        return refill(record, f"Biểu mẫu thiếu phiên bản gốc của đoạn \"{seg.title}\"; lời bạn "
                                              f"viết vẫn còn dưới đây. Hãy bấm Lưu lần nữa sau khi tải lại trang.")
                    edits.append(SegmentEdit(seg.id, form[f"text-{seg.id}"], bases[seg.id]))
        if not can(record.state, "edit"):
            return refill(record, f"Số phát đang ở trạng thái không sửa được nữa ({record.state}).")
        try:
            result = save_segments(settings, store, record.id, edits, by=by)
        except ReviewError as exc:
            return refill(record, str(exc))
        if result.saved:
            voicer.kick(record.id)
        if result.conflicts:
            return conflict_page(result.record, list(result.conflicts), saved=result.saved)
        if not result.saved:
            return redirect(url_for("episode", episode_id=record.id)), 303
        job = Job(id=uuid.uuid4().hex, episode_id=record.id, revision=result.record.revision, saved=result.saved)
        jobs.add(job)
        return redirect(url_for("job_page", job_id=job.id)), 303

    @app.post("/episodes/<int:episode_id>/repair")
    def repair(episode_id: int) -> Any:
        """Voice again, from the saved text, the segments whose audio file was deleted by hand."""
        auth.require("edit")
        record = episode_or_404(episode_id)
        try:
            gone = mark_missing(store, record.id, by=auth.actor())
        except BroadcastError as exc:
            return episode_page(record, failed=str(exc), status=400)
        if not gone:
            return redirect(url_for("episode", episode_id=record.id)), 303
        voicer.kick(record.id)
        job = Job(id=uuid.uuid4().hex, episode_id=record.id, revision=record.revision, saved=tuple(gone))
        jobs.add(job)
        return redirect(url_for("job_page", job_id=job.id)), 303

    @app.get("/jobs/<job_id>")
    def job_page(job_id: str) -> Any:
        job = jobs.get(job_id) or abort(404)
        return render_template("job.html", job=job, status=job.as_json(voicer, store))

    @app.get("/jobs/<job_id>.json")
    def job_status(job_id: str) -> Any:
        job = jobs.get(job_id) or abort(404)
        return jsonify(job.as_json(voicer, store))

    def restore(record: EpisodeRecord, form: MultiDict[str, str], message: str) -> Any:
        """A form held while the login had expired (``held``), back on screen with its texts and bases."""
        texts = {s.id: form[f"text-{s.id}"] for s in store.segments(record.id) if f"text-{s.id}" in form}
        return episode_page(record, texts=texts, bases=form_bases(store, record, form), failed=message)

    app.extensions["broadcast"].update(voicer=voicer, jobs=jobs, refill=refill, episode_page=episode_page,
                                       restore=restore)
    return voicer
