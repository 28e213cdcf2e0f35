"""Build a draft from the site, for an officer who does not use the terminal.

The same ``build_draft`` the CLI and the scheduler run, in a background
thread, one at a time (``review.buildlock``). The page shows progress with the
same polling script as a save, and refreshes itself when JavaScript is off.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, url_for

from broadcast.config import Settings
from broadcast.errors import BroadcastError
from broadcast.models import Segment
from broadcast.review.store import Store
from broadcast.review.web.faq import editor_name

build_pages = Blueprint("builds", __name__, url_prefix="/dung")


@dataclass
class BuildJob:
    id: str
    day: dt.date
    by: str
    state: str = "running"          # running, done, skipped, error
    done: int = 0
    total: int = 0
    message: str = "Đang thu thập tin, số liệu và câu hỏi…"
    episode_id: int | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def as_json(self) -> dict[str, Any]:
        with self.lock:
            return {"state": self.state, "done": self.done, "total": self.total, "message": self.message,
                    "episode": self.episode_id}


def _builds() -> dict[str, BuildJob]:
    ext = current_app.extensions["broadcast"]
    builds: dict[str, BuildJob] = ext.setdefault("builds", {})
    return builds


def _context() -> tuple[Settings, Store]:
    ext = current_app.extensions["broadcast"]
    return ext["settings"], ext["store"]


def parse_day(text: str) -> dt.date:
    text = text.strip()
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    try:
        if match:
            return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise BroadcastError(f"Ngày \"{text}\" không hợp lệ. Hãy ghi dạng 04/12/2026.") from None
    if not 2000 <= day.year <= 2100:
        raise BroadcastError(f"Ngày \"{text}\" nằm ngoài khoảng hợp lý. Hãy kiểm tra lại năm.")
    return day


def _run(settings: Settings, job: BuildJob) -> None:
    from broadcast.review.workflow import build_draft

    def progress(k: int, n: int, segment: Segment, engine: str) -> None:
        with job.lock:
            job.done, job.total = k, n
            job.message = f"Đang đọc đoạn {k}/{n}: {segment.title}"

    try:
        record = build_draft(settings, job.day, progress=progress)
    except BroadcastError as exc:
        with job.lock:
            job.state, job.message = "error", str(exc)
        return
    except Exception as exc:  # a bug: say so, the page must not hang
        with job.lock:
            job.state, job.message = "error", f"Lỗi không mong đợi khi dựng: {type(exc).__name__}: {exc}"
        return
    with job.lock:
        if record is None:
            job.state = "skipped"
            job.message = (f"Không dựng lại: số phát ngày {job.day:%d/%m/%Y} đã được phê duyệt hoặc đã đưa lên "
                           f"thư mục phát sóng. Muốn làm lại, hãy từ chối số đó trước.")
        else:
            job.state, job.episode_id = "done", record.id
            job.message = f"Đã dựng xong bản nháp mã {record.id}."


@build_pages.get("/")
def index() -> Any:
    _, store = _context()
    running = [j for j in _builds().values() if j.state == "running"]
    return render_template("build.html", today=store.local_today(), running=running[0] if running else None,
                           error="")


@build_pages.post("/")
def start() -> Any:
    settings, store = _context()
    try:
        day = parse_day(request.form.get("day", ""))
    except BroadcastError as exc:
        return render_template("build.html", today=store.local_today(), running=None, error=str(exc)), 400
    builds = _builds()
    running = [j for j in builds.values() if j.state == "running"]
    if running:  # this site's own build: show it rather than refuse
        return redirect(url_for("builds.job", job_id=running[0].id)), 303
    job = BuildJob(id=uuid.uuid4().hex, day=day, by=editor_name())
    builds[job.id] = job
    with store.transaction() as conn:
        store.log(conn, job.by, "dựng bản nháp từ trang web", None, f"ngày {day:%d/%m/%Y}")
    threading.Thread(target=_run, args=(settings, job), daemon=True, name=f"build-{job.id[:8]}").start()
    return redirect(url_for("builds.job", job_id=job.id)), 303


def _job(job_id: str) -> BuildJob:
    job = _builds().get(job_id) if re.fullmatch(r"[0-9a-f]{32}", job_id) else None
    if job is None:
        abort(404)
    return job


@build_pages.get("/<job_id>")
def job(job_id: str) -> Any:
    found = _job(job_id)
    status = found.as_json()
    if status["state"] == "done" and found.episode_id is not None:
        return redirect(url_for("episode", episode_id=found.episode_id)), 303
    return render_template("build_job.html", job=found, status=status)


@build_pages.get("/<job_id>.json")
def job_status(job_id: str) -> Any:
    return jsonify(_job(job_id).as_json())
