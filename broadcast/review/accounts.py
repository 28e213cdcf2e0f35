"""Personal accounts of the review site: who may edit, approve and manage, each with a password.

Accounts live in the review database (tables ``accounts``, ``sessions``,
``login_failures``; the file is owner-only, 0600). Passwords are stored as
scrypt hashes (``hashlib.scrypt``, N=2^15, r=8, p=1: 32 MiB and about 0.1 s
per check, so a stolen database costs an attacker that much per guess) with
a random salt per password; the password itself is never stored or logged.

Roles, each including the one before:

    biên tập  (editor)    edit scripts, publish what was approved
    phê duyệt (approver)  also approve and reject
    quản trị  (admin)     also manage accounts and settings

An account is never deleted, only disabled, so every name in the audit log
and in the approvals stays meaningful.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import re
import secrets
import sqlite3
import unicodedata
from dataclasses import dataclass

from broadcast.errors import ReviewError
from broadcast.review.store import Store, now_utc

EDITOR, APPROVER, ADMIN = "editor", "approver", "admin"
ROLES: dict[str, str] = {EDITOR: "biên tập", APPROVER: "phê duyệt", ADMIN: "quản trị"}
ROLE_ARGS: dict[str, str] = {"bien-tap": EDITOR, "phe-duyet": APPROVER, "quan-tri": ADMIN}
PERMISSIONS: dict[str, frozenset[str]] = {
    EDITOR: frozenset({"edit", "publish"}),
    APPROVER: frozenset({"edit", "publish", "approve", "reject"}),
    ADMIN: frozenset({"edit", "publish", "approve", "reject", "users", "settings"}),
}
ACTION_NAMES = {"edit": "sửa bài", "publish": "đưa lên phát sóng", "approve": "phê duyệt", "reject": "từ chối",
                "users": "quản lý tài khoản", "settings": "đổi cài đặt"}

LOGIN = re.compile(r"^[a-z0-9][a-z0-9._\-]{0,31}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024
SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P = 15, 8, 1
SCRYPT_MAXMEM = 64 * 1024 * 1024


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    full_name: str
    role: str
    disabled: bool
    created_at: str = ""

    @property
    def label(self) -> str:
        """How the account is recorded in approvals and the audit log."""
        return f"{self.full_name} ({self.name})" if self.full_name else self.name

    @property
    def role_name(self) -> str:
        return ROLES.get(self.role, self.role)

    def may(self, action: str) -> bool:
        return not self.disabled and action in PERMISSIONS.get(self.role, frozenset())


def role_of(text: str) -> str:
    """A role from the command line: bien-tap, phe-duyet, quan-tri (or the Vietnamese words)."""
    key = unicodedata.normalize("NFC", text.strip().lower())
    for arg, role in ROLE_ARGS.items():
        if key in (arg, ROLES[role], role):
            return role
    raise ReviewError(f"Vai trò \"{text}\" không có. Hãy chọn một trong: {', '.join(ROLE_ARGS)} "
                      f"({', '.join(ROLES.values())}).")


def login_name(text: str) -> str:
    """A login name as stored: lower-case ASCII letters, digits, '.', '_' or '-' (at most 32)."""
    name = text.strip().lower()
    if not LOGIN.fullmatch(name):
        raise ReviewError(f"Tên đăng nhập \"{text[:40]}\" không hợp lệ: chỉ dùng chữ thường không dấu, số, "
                          f"dấu chấm, gạch dưới hoặc gạch ngang (tối đa 32 ký tự), ví dụ \"lan\" hoặc \"nguyen.hung\".")
    return name


def check_password(password: str, name: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ReviewError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự; mật khẩu chưa được lưu.")
    if len(password) > MAX_PASSWORD:
        raise ReviewError(f"Mật khẩu dài quá {MAX_PASSWORD} ký tự; mật khẩu chưa được lưu.")
    if password.strip().lower() == name:
        raise ReviewError("Mật khẩu không được trùng với tên đăng nhập; mật khẩu chưa được lưu.")
    return password


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(password: str, salt: bytes, log_n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(unicodedata.normalize("NFC", password).encode("utf-8"), salt=salt, n=2 ** log_n, r=r,
                          p=p, maxmem=SCRYPT_MAXMEM, dklen=32)


def hash_password(password: str) -> str:
    """``scrypt$logN$r$p$salt$hash`` (base64): the parameters travel with the hash."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_LOG_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        kind, log_n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt" or not (10 <= int(log_n) <= 20):
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(password, base64.b64decode(salt), int(log_n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


_DUMMY: list[str] = []


def dummy_hash() -> str:
    """A hash to check unknown names against, so a wrong name costs as long as a wrong password."""
    if not _DUMMY:
        _DUMMY.append(hash_password(secrets.token_hex(16)))
    return _DUMMY[0]


def account_from_row(row: sqlite3.Row) -> Account:
    return Account(id=row["id"], name=row["name"], full_name=row["full_name"], role=row["role"],
                   disabled=bool(row["disabled"]), created_at=row["created_at"])


class Accounts:
    """The accounts in one review database."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def any(self) -> bool:
        """True once an account exists (even a disabled one): from then on the site needs a login."""
        with self.store.connection() as conn:
            return conn.execute("SELECT 1 FROM accounts LIMIT 1").fetchone() is not None

    def all(self) -> list[Account]:
        with self.store.connection() as conn:
            return [account_from_row(r) for r in conn.execute("SELECT * FROM accounts ORDER BY name")]

    def get(self, name: str) -> Account | None:
        with self.store.connection() as conn:
            row = conn.execute("SELECT * FROM accounts WHERE name = ?", (name.strip().lower(),)).fetchone()
        return account_from_row(row) if row else None

    def password_hash(self, name: str) -> str | None:
        with self.store.connection() as conn:
            row = conn.execute("SELECT password_hash FROM accounts WHERE name = ? AND disabled = 0",
                               (name,)).fetchone()
        return str(row[0]) if row else None

    def require(self, name: str) -> Account:
        account = self.get(name)
        if account is None:
            raise ReviewError(f"Không có tài khoản \"{name}\". Xem danh sách bằng lệnh: broadcast users list")
        return account

    def add(self, name: str, role: str, password: str, *, full_name: str = "", by: str) -> Account:
        name = login_name(name)
        full_name = unicodedata.normalize("NFC", " ".join(full_name.split()))[:80]
        hashed = hash_password(check_password(password, name))
        with self.store.transaction() as conn:
            if conn.execute("SELECT 1 FROM accounts WHERE name = ?", (name,)).fetchone():
                raise ReviewError(f"Tài khoản \"{name}\" đã có. Muốn đổi mật khẩu: broadcast users password {name}")
            at = now_utc()
            conn.execute("INSERT INTO accounts (name, full_name, role, password_hash, disabled, created_at, "
                         "updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)", (name, full_name, role, hashed, at, at))
            self.store.log(conn, by, "account-add", None, f"{name}: {ROLES[role]}")
        return self.require(name)

    def set_password(self, name: str, password: str, *, by: str) -> Account:
        account = self.require(name)
        hashed = hash_password(check_password(password, account.name))
        with self.store.transaction() as conn:
            conn.execute("UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?",
                         (hashed, now_utc(), account.id))
            conn.execute("DELETE FROM sessions WHERE account_id = ?", (account.id,))  # old logins end
            self.store.log(conn, by, "account-password", None, account.name)
        return account

    def set_disabled(self, name: str, disabled: bool, *, by: str) -> Account:
        """Disable (every session of the account ends at once) or enable again."""
        account = self.require(name)
        with self.store.transaction() as conn:
            conn.execute("UPDATE accounts SET disabled = ?, updated_at = ? WHERE id = ?",
                         (int(disabled), now_utc(), account.id))
            if disabled:
                conn.execute("DELETE FROM sessions WHERE account_id = ?", (account.id,))
            self.store.log(conn, by, "account-disable" if disabled else "account-enable", None, account.name)
        return self.require(name)

    def actor(self, name: str, action: str) -> Account:
        """The account a command-line action is recorded under, or ReviewError in one line."""
        account = self.get(name)
        what = ACTION_NAMES.get(action, action)
        if account is None:
            raise ReviewError(f"\"{name}\" không phải tài khoản nào nên không được {what}. Hãy dùng --by TÊN với "
                              f"một tài khoản có trong: broadcast users list")
        if account.disabled:
            raise ReviewError(f"Tài khoản \"{account.name}\" đã bị khóa nên không được {what}.")
        if not account.may(action):
            raise ReviewError(f"Tài khoản \"{account.name}\" ({account.role_name}) không có quyền {what}; "
                              f"cần vai trò {roles_for(action)}.")
        return account


def roles_for(action: str) -> str:
    return " hoặc ".join(ROLES[r] for r, allowed in PERMISSIONS.items() if action in allowed)


def local_user() -> str:
    """The operating-system user running this process."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "người dùng máy này"


def command_line_actor(store: Store, by: str | None, action: str) -> str:
    """Who a command-line action is recorded under: ``--by`` or the OS user, checked once accounts exist."""
    name = (by or "").strip() or local_user()
    accounts = Accounts(store)
    if not accounts.any():
        return name  # one officer, no accounts yet: as before
    return accounts.actor(name, action).label
