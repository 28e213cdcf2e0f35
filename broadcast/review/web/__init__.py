"""The review site: list, listen, edit, approve, reject, publish — in Vietnamese, phone-sized.

Flask for the pages (Jinja autoescape: feed text is always shown as text),
Flask-WTF's CSRFProtect on every form, waitress as the server. It listens on
127.0.0.1 unless told otherwise; any other address needs personal accounts
(``auth.py``: login, roles, sessions; ``hosts.py``: the Host allow-list;
``connections.py``: connection limits). Ids in URLs are integers, audio is
served only from files the episode's own segments name, inside its folder.

Saving (``editing``) commits the editor's text in the request, then voices
the changed segments in a background thread; the browser is sent to a job page
whose ``<progress>`` polls the job's JSON. The session secret lives in the
state folder (``secret``), so a restart does not void open forms, and a CSRF
failure puts the editor's text back into the form instead of an error page.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import (
    Flask,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_wtf.csrf import CSRFError, CSRFProtect

from broadcast import vnformat
from broadcast.config import Settings
from broadcast.errors import BroadcastError, ConfigError, ConflictError, ReviewError
from broadcast.review import display, limits
from broadcast.review.secret import SECRET_FILE, state_secret
from broadcast.review.store import EpisodeRecord, Store
from broadcast.review.web import auth, editing
from broadcast.review.web.hosts import HostGuard, policy
from broadcast.review.web.pages import register_pages
from broadcast.review.workflow import STATE_NAMES, approve, reject

SEGMENT_FILE = re.compile(r"^segments/\d{2}-[a-z0-9][a-z0-9\-]*\.mp3$")
ONAIR_FILE = re.compile(r"^[\w.\-]+\.(mp3|m3u8?|xml)$")
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


def create_app(settings: Settings, *, secret_key: str | None = None, bind_host: str | None = None) -> Flask:
    """The review site for ``settings`` bound to ``bind_host``; login is required once an account exists."""
    bind_host = bind_host or settings.review.host
    app = Flask(__name__)
    app.wsgi_app = HostGuard(app.wsgi_app, policy(bind_host,  # type: ignore[method-assign]
                                                  base_url=settings.review.base_url,
                                                  site_names=settings.review.site_names))
    secret = secret_key or state_secret(settings.review.database.parent / SECRET_FILE)
    app.config.update(SECRET_KEY=secret, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_HTTPONLY=True, WTF_CSRF_TIME_LIMIT=None, MAX_CONTENT_LENGTH=limits.REQUEST_BYTES,
                      TEMPLATES_AUTO_RELOAD=False)
    CSRFProtect(app)
    store = Store.open(settings)
    auth.check_can_open(settings, store, bind_host)
    logins = auth.install(app, settings, store)
    app.extensions["broadcast"] = {"settings": settings, "store": store, "logins": logins}
    editing.install(app, settings, store)
    register_pages(app)
    app.jinja_env.filters.update(display.filters(settings))   # Vietnamese actions, short hashes, serious first
    app.jinja_env.globals["local_time"] = store.local_time     # dd/mm/yyyy HH:MM in the station's zone

    @app.context_processor
    def helpers() -> dict[str, Any]:
        return {"STATE_NAMES": STATE_NAMES, "source_view": source_view, "minutes": vnformat.duration}

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
    def csrf_error(exc: CSRFError) -> Any:
        message = "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ (thiếu mã CSRF)."
        if logins.accounts.any() and logins.session(str(session.get("sid", "")))[0] is None:
            flash("Hãy đăng nhập để dùng trang duyệt bài.")   # the login guard has not run: show nothing here
            return redirect(url_for("login"), 303)
        episode_id = (request.view_args or {}).get("episode_id")
        if request.endpoint in ("save", "approve_page", "reject_page", "publish_page") and episode_id is not None:
            try:
                record = store.get(episode_id)
            except BroadcastError:
                abort(404)
            extensions = app.extensions["broadcast"]
            if request.endpoint == "save":  # the editor's text comes back, with the bases it was typed against
                return extensions["refill"](record, f"{message} Lời bạn viết vẫn còn dưới đây: hãy bấm Lưu lần nữa.")
            return extensions["episode_page"](record, failed=f"{message} Hãy thử lại.", status=400)
        return render_template("error.html", message=f"{message} Hãy tải lại trang rồi thử lại."), 400

    @app.errorhandler(413)
    def too_large(exc: Exception) -> tuple[str, int]:
        return render_template("error.html", message=f"Nội dung gửi lên quá lớn (tối đa "
                               f"{limits.REQUEST_BYTES // 1024} KB; mỗi đoạn tối đa {limits.SEGMENT_CHARS} ký tự, "
                               f"cả số phát {limits.EPISODE_CHARS} ký tự). Hãy rút gọn rồi lưu lại."), 413

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

    def decide(episode_id: int, action: str, act: Callable[[EpisodeRecord, str], str]) -> Any:
        """One editorial decision from a form, recorded under the logged-in account (never a typed name)."""
        auth.require(action)
        record = episode_or_404(episode_id)
        flash(act(record, auth.actor()))
        return redirect(url_for("episode", episode_id=record.id)), 303

    @app.post("/episodes/<int:episode_id>/approve")
    def approve_page(episode_id: int) -> Any:
        def act(record: EpisodeRecord, by: str) -> str:
            revision = _int(request.form.get("revision"))
            if revision is None:
                raise ReviewError("Biểu mẫu phê duyệt thiếu số phiên bản đã nghe; không phê duyệt. "
                                  "Hãy tải lại trang, nghe lại rồi bấm Phê duyệt.")
            approve(settings, store, record.id, by=by, revision=revision)
            return f"Đã phê duyệt số phát mã {record.id}."

        return decide(episode_id, "approve", act)

    @app.post("/episodes/<int:episode_id>/reject")
    def reject_page(episode_id: int) -> Any:
        def act(record: EpisodeRecord, by: str) -> str:
            reject(settings, store, record.id, by=by, reason=request.form.get("reason", ""))
            return f"Đã từ chối số phát mã {record.id}."

        return decide(episode_id, "reject", act)

    @app.post("/episodes/<int:episode_id>/publish")
    def publish_page(episode_id: int) -> Any:
        from broadcast.review.publish import publish

        def act(record: EpisodeRecord, by: str) -> str:
            return f"Đã đưa lên thư mục phát sóng: {publish(settings, store, record.id, by=by).name}."

        return decide(episode_id, "publish", act)

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


def make_server(settings: Settings, *, host: str, port: int, **app_options: Any) -> Any:
    """A waitress server for the site (``.run()`` to serve, ``.close()`` to stop)."""
    from broadcast.review.web.connections import create_server

    app = create_app(settings, bind_host=host, **app_options)
    try:
        server = create_server(app, host=host, port=port, max_body=app.config["MAX_CONTENT_LENGTH"])
        server.review_app = app
        return server
    except OSError as exc:
        raise ConfigError(f"Không mở được cổng {host}:{port}: {exc}. Hãy chọn cổng khác với --port.") from exc


def serve(settings: Settings, *, host: str, port: int) -> None:
    server = make_server(settings, host=host, port=port)
    server.review_app.extensions["broadcast"]["voicer"].resume()  # what a stopped server left half-voiced
    warning = auth.legacy_password_warning(settings)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    from broadcast.review.lan import announce

    print("\n".join(announce(host, server.effective_port)), flush=True)
    try:
        server.run()
    finally:
        server.close()
