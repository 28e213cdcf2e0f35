"""What an editor posted after their login session expired: kept, and given back after they log in again.

The guard (``auth.identify``) runs after the CSRF check, so only a form from
one of our own pages, sent with the session's token, is held. It is stored in
the database under the hash of a random token and the account whose session
expired; the token goes into the signed session cookie, and the login sends
the browser to ``/giu-lai``. There, the same account (and no other) gets its
form back once: the episode editor with its texts and base revisions (the
usual save then merges or shows conflicts), any other form as a page with the
same fields and a fresh CSRF token that posts to the same local path. A held
form is forgotten after ``HOLD_S`` seconds. Uploaded files are not kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, flash, redirect, render_template, request, session, url_for
from werkzeug.datastructures import MultiDict

from broadcast.errors import BroadcastError
from broadcast.review.store import Store

HOLD_S = 30 * 60
NOT_KEPT = ("csrf_token", "password")
RESTORE_PATH = "/giu-lai"


@dataclass(frozen=True)
class Held:
    path: str
    endpoint: str
    view_args: dict[str, Any]
    fields: tuple[tuple[str, str], ...]
    held_at: float

    @property
    def form(self) -> MultiDict[str, str]:
        return MultiDict(list(self.fields))


def _key(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def hold(store: Store, account_id: int, *, clock: float | None = None) -> str:
    """Keep the current request's form for ``account_id``; the token that gets it back."""
    now = time.time() if clock is None else clock
    token = secrets.token_urlsafe(32)
    fields = [(k, v) for k, v in request.form.items(multi=True) if k not in NOT_KEPT]
    with store.transaction() as conn:
        conn.execute("DELETE FROM held_forms WHERE held_at < ?", (now - HOLD_S,))
        conn.execute("INSERT INTO held_forms (token_sha256, account_id, path, endpoint, view_args, fields, held_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (_key(token), account_id, request.path, request.endpoint or "",
                      json.dumps(request.view_args or {}), json.dumps(fields, ensure_ascii=False), now))
    return token


def take(store: Store, token: str, account_id: int, *, clock: float | None = None) -> Held | None:
    """The form held under ``token`` for this account (once), or None: unknown, another account's, too old."""
    if not token or len(token) > 100:
        return None
    now = time.time() if clock is None else clock
    with store.transaction() as conn:
        row = conn.execute("SELECT * FROM held_forms WHERE token_sha256 = ? AND account_id = ?",
                           (_key(token), account_id)).fetchone()
        if row is None:
            return None
        conn.execute("DELETE FROM held_forms WHERE token_sha256 = ?", (row["token_sha256"],))
    if row["held_at"] < now - HOLD_S:
        return None
    return Held(row["path"], row["endpoint"], json.loads(row["view_args"]),
                tuple((str(k), str(v)) for k, v in json.loads(row["fields"])), row["held_at"])


def install(app: Flask, store: Store, clock: Callable[[], float], current_account: Callable[[], Any],
            local_path: Callable[[str], str]) -> None:
    """The page the login leads to when a form was held (the login guard's helpers passed in: no cycle)."""

    @app.get(RESTORE_PATH, endpoint="held")
    def held_page() -> Any:
        account = current_account()
        item = take(store, str(session.pop("held", "")), account.id, clock=clock()) if account else None
        if item is None:
            flash("Không còn nội dung nào được giữ lại (nội dung chỉ được giữ "
                  f"{HOLD_S // 60} phút, cho đúng tài khoản đã gửi).")
            return redirect(url_for("index"), 303)
        message = (f"Phiên đăng nhập đã hết hạn trước khi nội dung bạn gửi lúc "
                   f"{dt.datetime.fromtimestamp(item.held_at, store.tz):%H:%M} được lưu. Đây là nội dung đó: "
                   f"hãy kiểm tra rồi bấm Lưu (hoặc Gửi lại).")
        if item.endpoint == "save" and "resolve" not in item.form:   # the episode editor, as after a refusal
            try:
                record = store.get(int(item.view_args.get("episode_id", 0)))
            except BroadcastError:
                record = None
            if record is not None:
                return current_app.extensions["broadcast"]["restore"](record, item.form, message)
        shown = [(k, v) for k, v in item.fields if " " in v.strip() or "\n" in v]
        hidden = [(k, v) for k, v in item.fields if (k, v) not in shown]
        return render_template("held.html", action=local_path(item.path), shown=shown, hidden=hidden,
                               message=message)
