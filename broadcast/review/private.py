"""What the review database holds that must stay private: the account tables, and a 0600 helper.

A leaf module (no imports from the rest of ``broadcast``) so the store can use
it while ``accounts.py`` builds on the store.
"""

from __future__ import annotations

import os
from pathlib import Path

# Schema version 2 of the review database (``store.MIGRATIONS``).
ACCOUNT_TABLES = """
    CREATE TABLE accounts (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        name          TEXT NOT NULL UNIQUE,     -- login name, lower-case
        full_name     TEXT NOT NULL DEFAULT '',
        role          TEXT NOT NULL,            -- 'editor', 'approver' or 'admin'
        password_hash TEXT NOT NULL,            -- scrypt, never the password
        disabled      INTEGER NOT NULL DEFAULT 0,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
    );
    CREATE TABLE sessions (
        token_sha256  TEXT PRIMARY KEY,         -- the cookie holds the token, the database only its hash
        account_id    INTEGER NOT NULL REFERENCES accounts(id),
        created_at    REAL NOT NULL,            -- Unix seconds
        seen_at       REAL NOT NULL,
        address       TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE login_failures (
        key           TEXT PRIMARY KEY,         -- 'account:NAME' or 'address:IP'
        failures      INTEGER NOT NULL,
        blocked_until REAL NOT NULL DEFAULT 0,
        noted_until   REAL NOT NULL DEFAULT 0,  -- a refusal while blocked is logged once per block
        last_at       REAL NOT NULL
    );
    """

PRIVATE = 0o600


def owner_only(path: Path) -> None:
    """Create ``path`` empty as 0600 if missing; tighten it and its SQLite side files if they are wider."""
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE))
    if os.name == "nt":
        return  # NTFS rights come from the folder; chmod only sets the read-only bit there
    for item in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if item.stat().st_mode & 0o077:
                item.chmod(PRIVATE)
        except FileNotFoundError:
            pass

