"""The review site: list, listen, edit, approve, reject, publish — in Vietnamese, phone-sized.

Flask for the pages (Jinja autoescape: feed text is always shown as text),
Flask-WTF's CSRFProtect on every form, waitress as the server. It listens on
127.0.0.1 unless told otherwise; any other address needs the password whose
hash is in ``[review] password_hash``. Ids in URLs are integers, audio is
served only from files the episode's own segments name, inside its folder.

Saving re-voices changed segments in a background thread; the browser is sent
to a job page whose ``<progress>`` polls the job's JSON. A failed save keeps
the editor's text in the job and puts it back into the form.
"""

from __future__ import annotations

import re
import secrets
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import (
    Flask,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.security import check_password_hash

from broadcast import vnformat
from broadcast.config import Settings
from broadcast.errors import BroadcastError, ConfigError, ConflictError
from broadcast.models import Segment
from broadcast.review.store import EpisodeRecord, Store
from broadcast.review.web.hosts import HostGuard, is_loopback, policy
from broadcast.review.web.pages import register_pages
from broadcast.review.workflow import STATE_NAMES, approve, can, conflict_message, reject, save_edits

SEGMENT_FILE = re.compile(r"^segments/\d{2}-[a-z0-9][a-z0-9\-]*\.mp3$")
ONAIR_FILE = re.compile(r"^[\w.\-]+\.(mp3|m3u8?|xml)$")


@dataclass
class Job:
    """A save running in the background, and what the browser needs to show its progress."""

    id: str
    episode_id: int
    by: str
    texts: dict[str, str]
    total: int = 0
    done: int = 0
    state: str = "running"          # running, done, error
    message: str = "Đang chuẩn bị…"
    revision: int | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def as_json(self) -> dict[str, Any]:
        with self.lock:
            return {"state": self.state, "done": self.done, "total": self.total, "message": self.message,
                    "revision": self.revision, "episode": self.episode_id}


class Jobs:
    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def add(self, job: Job) -> None:
        with self._lock:
            self._jobs[job.id] = job
            if len(self._jobs) > 200:  # forget the oldest finished jobs
                for key in [k for k, j in self._jobs.items() if j.state != "running"][:100]:
                    del self._jobs[key]

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)


def source_view(ref: str) -> dict[str, str]:
    """Where a fact came from, for people: a link only for http(s) addresses."""
    if re.match(r"^https?://", ref):
        return {"kind": "Tin", "text": ref, "href": ref}
    if ref.startswith("faq:"):
        return {"kind": "Hỏi – đáp", "text": ref[4:], "href": ""}
    if ref.startswith("stats:"):
        return {"kind": "Thống kê", "text": ref[6:], "href": ""}
    return {"kind": "Nguồn", "text": ref, "href": ""}


def waiting_questions(settings: Settings) -> dict[str, Any]:
    """Citizens' questions no FAQ entry answers yet; a broken inbox is a note, not a broken page."""
    from broadcast.sources.inbox import pending_questions

    try:
        return {"questions": pending_questions(settings), "inbox_error": ""}
    except BroadcastError as exc:
        return {"questions": [], "inbox_error": str(exc)}


def create_app(settings: Settings, *, require_login: bool | None = None, secret_key: str | None = None,
               bind_host: str | None = None) -> Flask:
    """The review site for ``settings``. Login is required when a password is set or when asked to."""
    app = Flask(__name__)
    app.wsgi_app = HostGuard(app.wsgi_app, policy(bind_host or settings.review.host,  # type: ignore[method-assign]
                                                  base_url=settings.review.base_url,
                                                  site_names=settings.review.site_names))
    app.config.update(SECRET_KEY=secret_key or secrets.token_hex(32), SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_HTTPONLY=True, WTF_CSRF_TIME_LIMIT=None, MAX_CONTENT_LENGTH=2 * 1024 * 1024,
                      TEMPLATES_AUTO_RELOAD=False)
    login = bool(settings.review.password_hash) if require_login is None else require_login
    if login and not settings.review.password_hash:
        raise ConfigError("Trang duyệt bài cần mật khẩu nhưng chưa đặt: hãy chạy lệnh broadcast review password.")
    CSRFProtect(app)
    store = Store.open(settings)
    jobs = Jobs()
    app.extensions["broadcast"] = {"settings": settings, "store": store, "jobs": jobs}
    register_pages(app)

    @app.context_processor
    def helpers() -> dict[str, Any]:
        return {"STATE_NAMES": STATE_NAMES, "login_required": login, "logged_in": session.get("ok", False),
                "source_view": source_view, "minutes": vnformat.duration}

    @app.before_request
    def guard() -> Response | None:
        if login and not session.get("ok") and request.endpoint not in ("login", "static"):
            return redirect(url_for("login", next=request.path))  # type: ignore[return-value]
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                                                       "img-src 'self'; media-src 'self'; form-action 'self'; "
                                                       "frame-ancestors 'none'; base-uri 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> tuple[str, int]:
        return render_template("error.html", message="Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ "
                               "(thiếu mã CSRF). Hãy tải lại trang rồi thử lại."), 400

    @app.errorhandler(404)
    def not_found(exc: Exception) -> tuple[str, int]:
        return render_template("error.html", message="Không tìm thấy trang hoặc tệp này."), 404

    @app.errorhandler(BroadcastError)
    def broadcast_error(exc: BroadcastError) -> tuple[str, int]:
        return render_template("error.html", message=str(exc)), 409 if isinstance(exc, ConflictError) else 400

    def episode_or_404(episode_id: int) -> EpisodeRecord:
        try:
            return store.get(episode_id)
        except BroadcastError:
            abort(404)

    # -- pages -------------------------------------------------------------------------------------
    @app.get("/")
    def index() -> str:
        state = request.args.get("state")
        if state is not None and state not in STATE_NAMES:
            abort(404)
        return render_template("index.html", episodes=store.episodes(state), state=state,
                               **waiting_questions(settings))

    @app.route("/login", methods=["GET", "POST"], endpoint="login")
    def login_page() -> Any:
        error = ""
        if request.method == "POST":
            password = request.form.get("password", "")
            if settings.review.password_hash and check_password_hash(settings.review.password_hash, password):
                session.clear()
                session["ok"] = True
                target = request.args.get("next", "/")
                if not target.startswith("/") or target.startswith("//"):
                    target = "/"
                return redirect(target)
            error = "Mật khẩu không đúng."
        return render_template("login.html", error=error), 401 if error else 200

    @app.post("/logout")
    def logout() -> Any:
        session.clear()
        return redirect(url_for("login" if login else "index"))

    @app.get("/episodes/<int:episode_id>")
    def episode(episode_id: int) -> Any:
        record = episode_or_404(episode_id)
        segments = store.segments(record.id)
        texts: dict[str, str] = {}
        failed = None
        job_id = request.args.get("job", "")
        if job_id:
            job = jobs.get(job_id)
            if job and job.episode_id == record.id and job.state == "error":
                texts, failed = job.texts, job.message
        return render_template("episode.html", e=record, segments=segments, texts=texts, failed=failed,
                               approval=store.approval(record.id), decisions=store.decisions(record.id),
                               audit=store.audit(record.id, limit=30), publications=store.publications(record.id),
                               can_edit=can(record.state, "edit"), can_approve=can(record.state, "approve"),
                               can_reject=can(record.state, "reject"), can_publish=can(record.state, "publish"),
                               editor=session.get("name", ""))

    @app.post("/episodes/<int:episode_id>/save")
    def save(episode_id: int) -> Any:
        record = episode_or_404(episode_id)
        by = request.form.get("by", "").strip()
        session["name"] = by
        base = _int(request.form.get("revision"))
        texts = {s.id: request.form.get(f"text-{s.id}", s.text) for s in store.segments(record.id)}
        problem = ""
        if not by:
            problem = "Hãy ghi tên người sửa trước khi lưu."
        elif base != record.revision:
            problem = conflict_message(record, base if base is not None else 0)
        elif not can(record.state, "edit"):
            problem = f"Số phát đang ở trạng thái \"{STATE_NAMES[record.state]}\": không sửa được nữa."
        if problem:
            job = Job(id=uuid.uuid4().hex, episode_id=record.id, by=by, texts=texts, state="error", message=problem)
            jobs.add(job)
            return redirect(url_for("episode", episode_id=record.id, job=job.id) + "#luu"), 303
        job = Job(id=uuid.uuid4().hex, episode_id=record.id, by=by, texts=texts)
        jobs.add(job)
        threading.Thread(target=_run_save, args=(settings, store, job, base), daemon=True).start()
        return redirect(url_for("job_page", job_id=job.id)), 303

    @app.get("/jobs/<job_id>")
    def job_page(job_id: str) -> Any:
        job = _job_or_404(jobs, job_id)
        return render_template("job.html", job=job, status=job.as_json())

    @app.get("/jobs/<job_id>.json")
    def job_status(job_id: str) -> Any:
        return jsonify(_job_or_404(jobs, job_id).as_json())

    def decide(episode_id: int, act: Callable[[EpisodeRecord, str], str]) -> Any:
        """One editorial decision from a form: who decides is remembered for the next form."""
        record = episode_or_404(episode_id)
        by = request.form.get("by", "")
        session["name"] = by.strip()
        flash(act(record, by))
        return redirect(url_for("episode", episode_id=record.id)), 303

    @app.post("/episodes/<int:episode_id>/approve")
    def approve_page(episode_id: int) -> Any:
        def act(record: EpisodeRecord, by: str) -> str:
            approve(settings, store, record.id, by=by, revision=_int(request.form.get("revision")))
            return f"Đã phê duyệt số phát mã {record.id}."

        return decide(episode_id, act)

    @app.post("/episodes/<int:episode_id>/reject")
    def reject_page(episode_id: int) -> Any:
        def act(record: EpisodeRecord, by: str) -> str:
            reject(settings, store, record.id, by=by, reason=request.form.get("reason", ""))
            return f"Đã từ chối số phát mã {record.id}."

        return decide(episode_id, act)

    @app.post("/episodes/<int:episode_id>/publish")
    def publish_page(episode_id: int) -> Any:
        from broadcast.review.publish import publish

        def act(record: EpisodeRecord, by: str) -> str:
            return f"Đã đưa lên thư mục phát sóng: {publish(settings, store, record.id, by=by).name}."

        return decide(episode_id, act)

    # -- audio -------------------------------------------------------------------------------------
    @app.get("/episodes/<int:episode_id>/program.mp3")
    def program(episode_id: int) -> Any:
        record = episode_or_404(episode_id)
        return _send(record.folder, "program.mp3")

    @app.get("/episodes/<int:episode_id>/<path:name>")
    def segment_audio(episode_id: int, name: str) -> Any:
        record = episode_or_404(episode_id)
        if not SEGMENT_FILE.match(name) or name not in {s.file for s in store.segments(record.id)}:
            abort(404)
        return _send(record.folder, name)

    @app.get("/onair/<name>")
    def onair(name: str) -> Any:
        if not ONAIR_FILE.match(name):
            abort(404)
        return _send(settings.review.onair, name)

    return app


def _send(folder: Path, name: str) -> Response:
    """A file from inside ``folder`` only (resolved path checked), with range support for seeking."""
    base = folder.resolve()
    path = (base / name).resolve()
    if base not in path.parents or not path.is_file():
        abort(404)
    response = send_file(path, conditional=True, max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


def _int(value: str | None) -> int | None:
    if value is None or not re.fullmatch(r"\d{1,9}", value.strip()):
        return None
    return int(value)


def _job_or_404(jobs: Jobs, job_id: str) -> Job:
    if not re.fullmatch(r"[0-9a-f]{32}", job_id):
        abort(404)
    job = jobs.get(job_id)
    if job is None:
        abort(404)
    return job




def _run_save(settings: Settings, store: Store, job: Job, base: int | None) -> None:
    def progress(k: int, n: int, segment: Segment, engine: str) -> None:
        with job.lock:
            job.done, job.total = k, n
            job.message = f"Đã đọc lại đoạn {k}/{n}: {segment.title} (giọng {engine})"

    try:
        with job.lock:
            job.message = "Đang đọc lại các đoạn đã sửa…"
        record = save_edits(settings, store, job.episode_id, job.texts, base_revision=base or 0, by=job.by,
                            progress=progress)
    except BroadcastError as exc:
        with job.lock:
            job.state, job.message = "error", str(exc)
        return
    except Exception as exc:  # a bug: tell the editor, keep the text
        with job.lock:
            job.state, job.message = "error", f"Lỗi không mong đợi: {type(exc).__name__}: {exc}"
        return
    with job.lock:
        job.state, job.revision = "done", record.revision
        job.done = job.total = max(job.total, job.done)
        job.message = (f"Đã lưu phiên bản {record.revision}." if record.revision != base
                       else "Không có thay đổi nào: không cần đọc lại.")


def make_server(settings: Settings, *, host: str, port: int, **app_options: Any) -> Any:
    """A waitress server for the site (``.run()`` to serve, ``.close()`` to stop)."""
    from broadcast.review.web.connections import create_server

    if not is_loopback(host) and not settings.review.password_hash:
        raise ConfigError(f"Trang duyệt bài chỉ được mở trên địa chỉ {host} khi đã đặt mật khẩu. "
                          f"Hãy chạy: broadcast review password, hoặc dùng --host 127.0.0.1.")
    require = app_options.pop("require_login", None)
    if require is None:
        require = not is_loopback(host) or bool(settings.review.password_hash)
    app = create_app(settings, require_login=require, bind_host=host, **app_options)
    try:
        return create_server(app, host=host, port=port, max_body=app.config["MAX_CONTENT_LENGTH"])
    except OSError as exc:
        raise ConfigError(f"Không mở được cổng {host}:{port}: {exc}. Hãy chọn cổng khác với --port.") from exc


def serve(settings: Settings, *, host: str, port: int) -> None:
    server = make_server(settings, host=host, port=port)
    print(f"Trang duyệt bài: http://{host}:{server.effective_port}/  (Ctrl+C để dừng)", flush=True)
    try:
        server.run()
    finally:
        server.close()
