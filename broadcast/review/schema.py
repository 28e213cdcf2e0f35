"""The review database's schema: ordered migrations and the code that applies them.

``MIGRATIONS`` are applied in order, each in its own transaction, after a copy
of the old file is taken, so an upgrade never loses data. Migrations only ever
add; a landed entry is never edited (a change is a new entry at the end).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from broadcast.errors import ReviewError
from broadcast.oserrors import is_disk_condition, sqlite_problem
from broadcast.review.private import ACCOUNT_TABLES, owner_only

# Ordered migrations: index + 1 is the schema version they bring the file to.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE episodes (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        date        TEXT NOT NULL,
        column_title TEXT NOT NULL,
        folder      TEXT NOT NULL UNIQUE,
        state       TEXT NOT NULL,
        revision    INTEGER NOT NULL DEFAULT 1,
        duration_s  REAL NOT NULL DEFAULT 0,
        sha256      TEXT NOT NULL DEFAULT '',
        warnings    TEXT NOT NULL DEFAULT '[]',
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        updated_by  TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX episodes_date ON episodes(date);
    CREATE TABLE segment_revisions (
        episode_id  INTEGER NOT NULL REFERENCES episodes(id),
        revision    INTEGER NOT NULL,
        position    INTEGER NOT NULL,
        segment_id  TEXT NOT NULL,
        title       TEXT NOT NULL,
        text        TEXT NOT NULL,
        spoken      TEXT NOT NULL,
        sources     TEXT NOT NULL DEFAULT '[]',
        file        TEXT NOT NULL,
        engine      TEXT NOT NULL DEFAULT '',
        duration_s  REAL NOT NULL DEFAULT 0,
        warnings    TEXT NOT NULL DEFAULT '[]',
        saved_by    TEXT NOT NULL DEFAULT '',
        saved_at    TEXT NOT NULL,
        PRIMARY KEY (episode_id, revision, segment_id)
    );
    CREATE TABLE approvals (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        episode_id  INTEGER NOT NULL REFERENCES episodes(id),
        revision    INTEGER NOT NULL,
        decision    TEXT NOT NULL,          -- 'approved' or 'rejected'
        by_name     TEXT NOT NULL,
        reason      TEXT NOT NULL DEFAULT '',
        sha256      TEXT NOT NULL DEFAULT '',
        at          TEXT NOT NULL,
        void        INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE publications (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        episode_id  INTEGER NOT NULL REFERENCES episodes(id),
        day         TEXT NOT NULL,          -- station-local date of publication
        at          TEXT NOT NULL,
        by_name     TEXT NOT NULL,
        path        TEXT NOT NULL,
        sha256      TEXT NOT NULL
    );
    CREATE TABLE audit (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        at          TEXT NOT NULL,
        who         TEXT NOT NULL,
        action      TEXT NOT NULL,
        episode_id  INTEGER,
        detail      TEXT NOT NULL DEFAULT ''
    );
    """,
    # 2: edits are per segment (text_revision: the revision that last changed a segment's text, the base an
    # editor's form carries); voicing is derived work done after the text is committed (voiced = 0 until the
    # segment's audio matches its text); each segment file's sha256; one voicing lease per episode.
    """
    ALTER TABLE segment_revisions ADD COLUMN text_revision INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE segment_revisions ADD COLUMN voiced INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE segment_revisions ADD COLUMN sha256 TEXT NOT NULL DEFAULT '';
    UPDATE segment_revisions SET text_revision = COALESCE(
        (SELECT MAX(p.revision) + 1 FROM segment_revisions p
          WHERE p.episode_id = segment_revisions.episode_id AND p.segment_id = segment_revisions.segment_id
            AND p.revision < segment_revisions.revision AND p.text != segment_revisions.text),
        (SELECT MIN(q.revision) FROM segment_revisions q
          WHERE q.episode_id = segment_revisions.episode_id AND q.segment_id = segment_revisions.segment_id));
    CREATE TABLE voicing (
        episode_id  INTEGER PRIMARY KEY REFERENCES episodes(id),
        owner       TEXT NOT NULL,
        host        TEXT NOT NULL,
        pid         INTEGER NOT NULL,
        heartbeat   REAL NOT NULL,
        batch       TEXT NOT NULL DEFAULT '[]'
    );
    """,
    ACCOUNT_TABLES,  # 3: personal accounts of the review site, login sessions, failed-login counters
    # 4: on air — notices recorded with their approval, and the as-played log (append-only rows)
    """
    CREATE TABLE notices (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        title       TEXT NOT NULL,
        file        TEXT NOT NULL,
        sha256      TEXT NOT NULL,
        duration_s  REAL NOT NULL DEFAULT 0,
        priority    TEXT NOT NULL,          -- thuong, uu-tien, khan-cap
        approved_by TEXT NOT NULL,
        approved_at TEXT NOT NULL,
        claimed_at  TEXT                    -- set once, when a playout takes the notice: it airs once
    );
    CREATE TABLE aired (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        airing      TEXT NOT NULL,          -- one attempt of one output at one item: a start row, an end row
        play_id     TEXT NOT NULL,          -- one airing of one item, shared by all its outputs and attempts
        event       TEXT NOT NULL,          -- start or end
        at          TEXT NOT NULL,          -- station-local time with its offset
        output      TEXT NOT NULL,
        kind        TEXT NOT NULL,          -- episode or notice
        ref_id      INTEGER NOT NULL,
        title       TEXT NOT NULL,
        priority    TEXT NOT NULL,
        sha256      TEXT NOT NULL,
        slot        TEXT NOT NULL DEFAULT '',
        attempt     INTEGER NOT NULL DEFAULT 1,
        result      TEXT NOT NULL DEFAULT '',
        duration_s  REAL NOT NULL DEFAULT 0,
        detail      TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX aired_at ON aired(at);
    """,
    # 5: a notice may air at a chosen time, and may be cancelled before it airs
    """
    -- air_at: station-local time with its offset, NULL when the notice airs by its priority
    ALTER TABLE notices ADD COLUMN air_at TEXT;
    -- cancelled_at: set once, before any claim, and a cancelled notice never airs
    ALTER TABLE notices ADD COLUMN cancelled_at TEXT;
    ALTER TABLE notices ADD COLUMN cancelled_by TEXT NOT NULL DEFAULT ''
    """,
    # 6: a form posted after the login session expired, kept for its account until it logs in again
    """
    CREATE TABLE held_forms (
        token_sha256 TEXT PRIMARY KEY,
        account_id   INTEGER NOT NULL REFERENCES accounts(id),
        path         TEXT NOT NULL,
        endpoint     TEXT NOT NULL,
        view_args    TEXT NOT NULL,
        fields       TEXT NOT NULL,
        held_at      REAL NOT NULL
    )
    """,
)


def version(conn: sqlite3.Connection) -> int:
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(conn: sqlite3.Connection, path: Path, migrations: tuple[str, ...], *, existed: bool) -> int:
    """Bring the file to the newest schema; returns the version reached."""
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        current = version(conn)
    except sqlite3.DatabaseError as exc:
        if is_disk_condition(exc):  # a full or failing disk is not a damaged database
            raise sqlite_problem(exc, path) from exc
        raise ReviewError(f"Tệp {path} không phải cơ sở dữ liệu SQLite hợp lệ ({exc}). "
                          f"Hãy khôi phục bản sao lưu hoặc đổi [review] database.") from exc
    if current > len(migrations):
        raise ReviewError(f"Cơ sở dữ liệu {path} thuộc phiên bản mới hơn ({current}) phần mềm này "
                          f"({len(migrations)}). Hãy cập nhật chương trình broadcast.")
    if current < len(migrations) and existed and current > 0:
        backup(conn, path, current)
    for number in range(current + 1, len(migrations) + 1):
        try:
            conn.execute("BEGIN IMMEDIATE")
            if version(conn) >= number:  # another process or thread migrated it while we waited for the lock
                conn.execute("COMMIT")
                continue
            for statement in statements(migrations[number - 1]):
                conn.execute(statement)
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (number,))
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise ReviewError(f"Nâng cấp cơ sở dữ liệu {path} lên phiên bản {number} thất bại: "
                              f"{exc}. Dữ liệu cũ không bị thay đổi.") from exc
    return max(current, len(migrations))


def backup(conn: sqlite3.Connection, path: Path, number: int) -> Path:
    """A full copy before any migration, beside the database."""
    target = path.with_name(f"{path.name}.v{number}.bak")
    owner_only(target)  # the copy holds the password hashes too
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    return target


def statements(script: str) -> list[str]:
    """Split a migration into statements (none of ours holds a ';' inside a string)."""
    out = []
    for part in script.split(";"):
        lines = [ln for ln in part.splitlines() if ln.strip() and not ln.strip().startswith("--")]
        if lines:
            out.append("\n".join(ln.split("--", 1)[0] if "--" in ln else ln for ln in lines))
    return out
