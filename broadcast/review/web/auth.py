"""Who is using the review site: login, logout, idle expiry, roles, and where ``next`` may lead.

Two modes, decided per request:

- no account exists and the site is bound to loopback: one officer at this PC,
  no login; actions are recorded under the operating-system user running the
  site (as on the command line);
- once any account exists (``broadcast users add``): every page but the static
  files and the login page needs a login, and every action is recorded under
  the logged-in account, checked against its role. Creating the first account
  needs no restart.

Sessions are server-side (``review/logins.py``): the signed cookie holds only a
random token whose hash is looked up in the database on every request.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from flask import Flask, abort, flash, g, jsonify, redirect, render_template, request, session, url_for
from werkzeug.exceptions import Forbidden

from broadcast.config import Settings
from broadcast.errors import ConfigError
from broadcast.review.accounts import ACTION_NAMES, Account, Accounts, local_user, roles_for
from broadcast.review.logins import Logins
from broadcast.review.store import Store
from broadcast.review.web import held
from broadcast.review.web.hosts import is_loopback

# A local path: one '/', then URL characters only (no second '/' or '\', no control or space characters,
# so nothing a browser could read as another host once it strips tabs and newlines).
LOCAL_PATH = re.compile(r"/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]{0,1000}")


def safe_next(value: str | None) -> str:
    """``value`` when it is a path on this site, else "/"."""
    return value if value and LOCAL_PATH.fullmatch(value) else "/"


FIRST_ACCOUNT = "broadcast users add TÊN --vai-tro quan-tri"


def check_can_open(settings: Settings, store: Store, bind_host: str) -> None:
    """ConfigError when the site would be open to people it should not be.

    The shared password of earlier versions (``[review] password_hash``) is no
    longer used to log in. While it is set and no account exists, the site
    refuses to start: a site its officer protected never opens silently. Once
    an account exists it is ignored (``legacy_password_warning``).
    """
    if Accounts(store).any():
        return
    if settings.review.password_hash:
        raise ConfigError("Mật khẩu chung ([review] password_hash) không còn dùng: mỗi người nay có tài khoản "
                          f"riêng. Hãy tạo tài khoản bằng lệnh {FIRST_ACCOUNT}, rồi xóa dòng password_hash "
                          "trong tệp cấu hình.")
    if not is_loopback(bind_host):
        raise ConfigError(f"Trang duyệt bài chỉ được mở trên địa chỉ {bind_host} khi đã có tài khoản. "
                          f"Hãy chạy: {FIRST_ACCOUNT}, hoặc dùng --host 127.0.0.1.")


def legacy_password_warning(settings: Settings) -> str:
    if not settings.review.password_hash:
        return ""
    where = settings.source_file or "tệp cấu hình"
    return (f"Cảnh báo: {where}: [review] password_hash (mật khẩu chung cũ) bị bỏ qua vì đã có tài khoản "
            f"riêng; hãy xóa dòng này.")


def actor() -> str:
    """The name the current request's actions are recorded under."""
    return str(g.get("actor") or local_user())


def current_account() -> Account | None:
    account: Account | None = g.get("account")
    return account


def allowed(action: str) -> bool:
    account = current_account()
    return account is None or account.may(action)  # no account at all: the single officer may do everything


def require(action: str) -> None:
    """403 with a Vietnamese message when the logged-in account's role does not allow ``action``."""
    account = current_account()
    if account is not None and not account.may(action):
        abort(403, description=f"Tài khoản {account.name} ({account.role_name}) không có quyền "
                               f"{ACTION_NAMES.get(action, action)}; cần vai trò {roles_for(action)}.")


def _here() -> str:
    path = request.path + (f"?{request.query_string.decode('latin-1')}" if request.query_string else "")
    return safe_next(path)


def install(app: Flask, settings: Settings, store: Store) -> Logins:
    """Register the login guard, the login and logout pages and the 403 page on ``app``."""
    logins = Logins(store, idle_s=settings.review.session_idle_minutes * 60.0)

    @app.before_request
    def identify() -> Any:
        g.account, g.actor = None, None
        if request.endpoint == "static":
            return None
        if not logins.accounts.any():
            g.actor = local_user()
            return None
        account, expired = logins.session(str(session.get("sid", "")))
        if account is not None:
            g.account, g.actor = account, account.label
            if session.get("user") != account.label:
                session["user"] = account.label
            return None
        if expired:   # remembered, so a form posted later from a page opened before is still kept
            session["expired_sid"] = session.get("sid", "")
        for key in ("sid", "user"):
            session.pop(key, None)
        if request.endpoint == "login":
            return None
        message = ("Phiên đăng nhập đã hết hạn vì lâu không thao tác; hãy đăng nhập lại." if expired
                   else "Hãy đăng nhập để dùng trang duyệt bài.")
        if request.path.endswith(".json"):
            return jsonify({"state": "error", "message": message}), 401
        owner = logins.owner(str(session.get("expired_sid", ""))) if request.method == "POST" else None
        if owner is not None and request.form:   # past the CSRF check: a form from our own page
            session["held"] = held.hold(store, owner.id, clock=logins.clock())
            flash("Phiên đăng nhập đã hết hạn vì lâu không thao tác. Nội dung bạn vừa gửi chưa được lưu nhưng "
                  "được giữ lại: hãy đăng nhập lại để lấy lại và lưu.")
            return redirect(url_for("login", next=held.RESTORE_PATH), 303)
        flash(message)
        return redirect(url_for("login", next=_here() if request.method == "GET" else None), 303)

    @app.context_processor
    def who() -> dict[str, Any]:
        account = current_account()
        return {"login_required": account is not None, "logged_in": account is not None, "account": account,
                "actor": actor(), "allowed": allowed}

    @app.route("/login", methods=["GET", "POST"], endpoint="login")
    def login_page() -> Any:
        if not logins.accounts.any() or current_account() is not None:
            return redirect(safe_next(request.args.get("next")))
        error, code, headers = "", 200, {}
        name = request.form.get("name", "")[:64]
        if request.method == "POST":
            address = request.remote_addr or ""
            result = logins.attempt(name, request.form.get("password", ""), address)
            if result.account is not None:
                token = logins.open_session(result.account, address)
                kept = session.get("held")
                session.clear()  # a new session: nothing from before the login carries over but a held form,
                session["sid"], session["user"] = token, result.account.label   # which only its account can take
                if kept:
                    session["held"] = kept
                return redirect(held.RESTORE_PATH if kept else safe_next(request.args.get("next")), 303)
            if result.retry_after_s:
                wait = math.ceil(result.retry_after_s)
                at = dt.datetime.now(store.tz) + dt.timedelta(seconds=wait)
                error = (f"Đăng nhập sai quá nhiều lần nên tạm bị khóa. Hãy thử lại sau {wait} giây "
                         f"(sau {at:%H:%M:%S}).")
                code, headers = 429, {"Retry-After": str(wait)}
            else:
                error, code = "Tên đăng nhập hoặc mật khẩu không đúng.", 401
        return render_template("login.html", error=error, name=name), code, headers

    @app.post("/logout")
    def logout() -> Any:
        token = str(session.get("sid", ""))
        if token:
            logins.close_session(token)
            logins.log(actor(), "logout", f"từ {request.remote_addr or ''}")
        session.clear()
        return redirect(url_for("login" if logins.accounts.any() else "index"), 303)

    held.install(app, store, lambda: logins.clock(), current_account, safe_next)

    @app.errorhandler(Forbidden)
    def forbidden(exc: Forbidden) -> tuple[str, int]:
        return render_template("error.html", message=exc.description), 403

    return logins


__all__ = ["actor", "allowed", "install", "require", "safe_next"]
