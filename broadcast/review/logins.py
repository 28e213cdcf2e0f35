"""Logging in: throttled password checks and server-side sessions.

Throttling. Every attempt counts against two keys, the account name typed and
the client address. After ``FREE_FAILURES`` failures on a key, each further
failure blocks that key for a delay that doubles (2 s, 4 s, 8 s … at most 15
minutes); while either key is blocked no password is checked at all and the
site answers 429 with the time to retry. An attempt is counted *before* its
(slow) password check, so parallel guesses cannot slip past the count. A
success clears both keys; a key untouched for a day is forgotten. Every
checked failure goes to the audit log with the name and the address; a refused
attempt while blocked is logged once per block, so a flood cannot grow the
database without bound.

Sessions. A login creates a random token; the cookie carries the token and
the database only its sha256. Each request looks the token up: logout,
disabling the account or changing its password deletes the row, so a copied
cookie stops working at once. A session unused for the idle time
(``[review] session_idle_minutes``) is ended.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import sqlite3
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from broadcast.review import accounts as accounts_module
from broadcast.review.accounts import Account, Accounts
from broadcast.review.store import Store

FREE_FAILURES = 5
FIRST_DELAY_S = 2.0
MAX_DELAY_S = 15 * 60.0
FORGET_S = 24 * 3600.0
TOUCH_EVERY_S = 15.0  # a session's last use is written at most this often
KEEP_EXPIRED_S = 24 * 3600.0  # an expired session is remembered (refused) this long after its idle time

Clock = Callable[[], float]


@dataclass(frozen=True)
class LoginResult:
    """``account`` on success; otherwise ``retry_after_s`` > 0 when throttled, 0 for a wrong password."""

    account: Account | None
    retry_after_s: float = 0.0


def delay(failures: int) -> float:
    """How long a key stays blocked after its ``failures``-th failure."""
    if failures < FREE_FAILURES:
        return 0.0
    return float(min(MAX_DELAY_S, FIRST_DELAY_S * 2 ** min(failures - FREE_FAILURES, 30)))


def clean(text: str, limit: int = 64) -> str:
    """A typed name fit for the audit log: no control characters, bounded length."""
    text = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")[:limit]


def _token_key(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Logins:
    """Password checks with throttling, and the sessions they open."""

    def __init__(self, store: Store, *, idle_s: float, clock: Clock = time.time) -> None:
        self.store = store
        self.accounts = Accounts(store)
        self.idle_s = idle_s
        self.clock = clock

    # -- password checks ---------------------------------------------------------------------
    def attempt(self, name: str, password: str, address: str) -> LoginResult:
        """Check one login; throttled keys are refused without looking at the password."""
        typed = clean(name.strip().lower())
        keys = (f"account:{typed}", f"address:{clean(address)}")
        now = self.clock()
        with self.store.transaction() as conn:
            blocked = self._blocked(conn, keys, now)
            if blocked:
                wait, newly_noted = blocked
                if newly_noted:
                    self.store.log(conn, typed or "(trống)", "login-throttled", None,
                                   f"từ {address}: tạm khóa, thử lại sau {math.ceil(wait)} giây")
                return LoginResult(None, retry_after_s=wait)
            for key in keys:  # counted before the check: parallel guesses cannot overtake the counter
                self._count(conn, key, now)
        stored = self.accounts.password_hash(typed) if accounts_module.LOGIN.fullmatch(typed) else None
        ok = accounts_module.verify_password(password, stored or accounts_module.dummy_hash()) and stored is not None
        account = self.accounts.get(typed) if ok else None
        with self.store.transaction() as conn:
            if account is not None and not account.disabled:
                conn.executemany("DELETE FROM login_failures WHERE key = ?", [(k,) for k in keys])
                self.store.log(conn, account.label, "login", None, f"từ {address}")
                return LoginResult(account)
            self.store.log(conn, typed or "(trống)", "login-failed", None,
                           f"từ {address}: sai tên đăng nhập hoặc mật khẩu")
        return LoginResult(None)

    def _blocked(self, conn: sqlite3.Connection, keys: tuple[str, ...], now: float) -> tuple[float, bool] | None:
        """(seconds to wait, first refusal of this block) for the longest block among ``keys``, or None."""
        conn.execute("DELETE FROM login_failures WHERE last_at < ?", (now - FORGET_S,))
        waits: list[float] = []
        newly_noted = False
        for key in keys:
            row = conn.execute("SELECT blocked_until, noted_until FROM login_failures WHERE key = ?",
                               (key,)).fetchone()
            if row is None or row["blocked_until"] <= now:
                continue
            waits.append(row["blocked_until"] - now)
            if row["noted_until"] < row["blocked_until"]:
                newly_noted = True
                conn.execute("UPDATE login_failures SET noted_until = blocked_until WHERE key = ?", (key,))
        return (max(waits), newly_noted) if waits else None

    @staticmethod
    def _count(conn: sqlite3.Connection, key: str, now: float) -> None:
        row = conn.execute("SELECT failures FROM login_failures WHERE key = ?", (key,)).fetchone()
        failures = (row["failures"] if row else 0) + 1
        conn.execute("INSERT INTO login_failures (key, failures, blocked_until, last_at) VALUES (?, ?, ?, ?) "
                     "ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, "
                     "blocked_until = excluded.blocked_until, last_at = excluded.last_at",
                     (key, failures, now + delay(failures) if delay(failures) else 0.0, now))

    # -- sessions ------------------------------------------------------------------------------
    def open_session(self, account: Account, address: str) -> str:
        token = secrets.token_urlsafe(32)
        now = self.clock()
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM sessions WHERE seen_at < ?", (now - self.idle_s - KEEP_EXPIRED_S,))
            conn.execute("INSERT INTO sessions (token_sha256, account_id, created_at, seen_at, address) "
                         "VALUES (?, ?, ?, ?, ?)", (_token_key(token), account.id, now, now, clean(address)))
        return token

    def session(self, token: str) -> tuple[Account | None, bool]:
        """(the account the token belongs to, or None; True when it existed but was idle too long)."""
        if not token or len(token) > 100:
            return None, False
        key = _token_key(token)
        now = self.clock()
        with self.store.connection() as conn:
            row = conn.execute("SELECT s.seen_at AS seen_at, a.* FROM sessions s JOIN accounts a "
                               "ON a.id = s.account_id WHERE s.token_sha256 = ?", (key,)).fetchone()
        if row is None:
            return None, False
        if row["disabled"]:
            self.close_session(token)
            return None, False
        if row["seen_at"] < now - self.idle_s:   # the row stays a while, refused: ``owner`` still knows it
            return None, True
        if now - row["seen_at"] > TOUCH_EVERY_S:
            with self.store.transaction() as conn:
                conn.execute("UPDATE sessions SET seen_at = ? WHERE token_sha256 = ?", (now, key))
        return accounts_module.account_from_row(row), False

    def owner(self, token: str) -> Account | None:
        """The active account a session token was opened for, expired or not (to keep what it posted)."""
        if not token or len(token) > 100:
            return None
        with self.store.connection() as conn:
            row = conn.execute("SELECT a.* FROM sessions s JOIN accounts a ON a.id = s.account_id "
                               "WHERE s.token_sha256 = ?", (_token_key(token),)).fetchone()
        return accounts_module.account_from_row(row) if row is not None and not row["disabled"] else None

    def close_session(self, token: str) -> None:
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM sessions WHERE token_sha256 = ?", (_token_key(token),))

    def log(self, who: str, action: str, detail: str) -> None:
        with self.store.transaction() as conn:
            self.store.log(conn, who, action, None, detail)
