"""The review database: episodes, segment revisions, approvals, publications, audit log.

One SQLite file (path in ``[review] database``), WAL mode so the review site
can read while a save writes. Each operation opens its own connection, so the
CLI, the web server's threads and a scheduler can share the file safely; a
write that must not interleave with another (a save checking its revision)
runs inside one ``BEGIN IMMEDIATE`` transaction (``Store.transaction``).

The schema is versioned: ``MIGRATIONS`` are applied in order, each in its own
transaction, after a copy of the old file is taken, so an upgrade never loses
data. Migrations only ever add.

The file holds password hashes and login sessions (``review/accounts.py``), so
it, its WAL/shared-memory files and its backups are owner-only (0600), whatever
the umask.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from broadcast import vnformat
from broadcast.config import Settings
from broadcast.errors import FileProblem, ReviewError
from broadcast.manifest import ManifestSegment
from broadcast.oserrors import describe, is_disk_condition, sqlite_problem
from broadcast.review import schema
from broadcast.review.private import owner_only
from broadcast.review.schema import MIGRATIONS as MIGRATIONS  # re-exported


def now_utc() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class EpisodeRecord:
    """One episode as the database knows it (its current revision)."""

    id: int
    date: dt.date
    state: str
    folder: Path
    duration_s: float
    revision: int
    warnings: tuple[str, ...]
    column: str = ""
    sha256: str = ""
    created_at: str = ""
    updated_at: str = ""
    updated_by: str = ""

    @property
    def program(self) -> Path:
        return self.folder / "program.mp3"

    @property
    def name(self) -> str:
        return self.folder.name


@dataclass(frozen=True)
class SegmentRecord:
    """One segment at one revision."""

    id: str
    position: int
    title: str
    text: str
    spoken: str
    sources: tuple[str, ...]
    file: str
    engine: str
    duration_s: float
    warnings: tuple[str, ...]
    revision: int
    saved_by: str = ""              # who last changed this segment's text
    saved_at: str = ""              # when (UTC, ISO)
    text_revision: int = 0          # the revision that last changed the text: an editor's base for this segment
    voiced: bool = True             # False: the text is saved but its audio is not made yet ("chưa lồng tiếng")
    sha256: str = ""                # of ``file``, checked before it is joined, approved or published


@dataclass(frozen=True)
class Decision:
    """An approval or rejection."""

    decision: str
    by: str
    reason: str
    sha256: str
    at: str
    revision: int
    void: bool


@dataclass(frozen=True)
class AuditEntry:
    at: str
    who: str
    action: str
    episode_id: int | None
    detail: str


def _episode(row: sqlite3.Row) -> EpisodeRecord:
    return EpisodeRecord(id=row["id"], date=dt.date.fromisoformat(row["date"]), state=row["state"],
                         folder=Path(row["folder"]), duration_s=row["duration_s"], revision=row["revision"],
                         warnings=tuple(json.loads(row["warnings"])), column=row["column_title"],
                         sha256=row["sha256"], created_at=row["created_at"], updated_at=row["updated_at"],
                         updated_by=row["updated_by"])


def _segment(row: sqlite3.Row) -> SegmentRecord:
    return SegmentRecord(id=row["segment_id"], position=row["position"], title=row["title"], text=row["text"],
                         spoken=row["spoken"], sources=tuple(json.loads(row["sources"])), file=row["file"],
                         engine=row["engine"], duration_s=row["duration_s"],
                         warnings=tuple(json.loads(row["warnings"])), revision=row["revision"],
                         saved_by=row["saved_by"], saved_at=row["saved_at"], text_revision=row["text_revision"],
                         voiced=bool(row["voiced"]), sha256=row["sha256"])


class Store:
    """Access to the review database. ``Store.open(settings)``; usable as a context manager."""

    def __init__(self, path: Path, *, timezone: str = "Asia/Ho_Chi_Minh") -> None:
        self.path = path
        self.tz = ZoneInfo(timezone)

    # -- opening and migrating ---------------------------------------------------------------
    @classmethod
    def open(cls, settings: Settings) -> Store:
        store = cls(settings.review.database, timezone=settings.station.timezone)
        store.migrate()
        return store

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        return None  # connections are per operation: nothing is held open

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self.path.exists():
                owner_only(self.path)  # SQLite gives its -wal and -shm files the mode of the database
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        except OSError as exc:
            raise FileProblem(f"Không mở được cơ sở dữ liệu {self.path}: {describe(exc)}") from exc
        except sqlite3.Error as exc:
            if is_disk_condition(exc):
                raise sqlite_problem(exc, self.path) from exc
            raise ReviewError(f"Không mở được cơ sở dữ liệu {self.path}: {exc}. "
                              f"Hãy kiểm tra mục [review] database trong tệp cấu hình.") from exc
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """A connection for reads; closed afterwards."""
        conn = self._connect()
        try:
            yield conn
        except sqlite3.Error as exc:
            if is_disk_condition(exc):
                raise sqlite_problem(exc, self.path) from exc
            raise
        finally:
            conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``): committed on success, rolled back on error."""
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if is_disk_condition(exc):
                raise sqlite_problem(exc, self.path) from exc
            raise
        finally:
            conn.close()

    def schema_version(self) -> int:
        with self.connection() as conn:
            return schema.version(conn)

    def migrate(self, migrations: tuple[str, ...] = schema.MIGRATIONS) -> int:
        """Bring the file to the newest schema; returns the version reached."""
        existed = self.path.exists() and self.path.stat().st_size > 0
        with self.connection() as conn:
            try:
                owner_only(self.path)  # a database made by an older version may be world-readable
            except OSError as exc:
                raise ReviewError(f"Không đặt được quyền riêng tư (0600) cho {self.path}: {exc}. "
                                  f"Hãy chạy lệnh bằng tài khoản sở hữu tệp này.") from exc
            return schema.migrate(conn, self.path, migrations, existed=existed)

    # -- reading ----------------------------------------------------------------------------------
    def episodes(self, state: str | None = None) -> list[EpisodeRecord]:
        """Episodes, newest first (by date, then by id)."""
        query = "SELECT * FROM episodes"
        params: tuple[Any, ...] = ()
        if state is not None:
            query += " WHERE state = ?"
            params = (state,)
        with self.connection() as conn:
            rows = conn.execute(query + " ORDER BY date DESC, id DESC", params).fetchall()
        return [_episode(r) for r in rows]

    def get(self, episode_id: int) -> EpisodeRecord:
        with self.connection() as conn:
            return self._get(conn, episode_id)

    @staticmethod
    def _get(conn: sqlite3.Connection, episode_id: int) -> EpisodeRecord:
        try:
            row = conn.execute("SELECT * FROM episodes WHERE id = ?", (int(episode_id),)).fetchone()
        except OverflowError:  # an id beyond SQLite's integers cannot exist
            row = None
        if row is None:
            raise ReviewError(f"Không có số phát mã {episode_id}. Hãy xem danh sách bằng lệnh: broadcast review list")
        return _episode(row)

    def for_date(self, day: dt.date) -> list[EpisodeRecord]:
        with self.connection() as conn:
            rows = conn.execute("SELECT * FROM episodes WHERE date = ? ORDER BY id", (day.isoformat(),)).fetchall()
        return [_episode(r) for r in rows]

    def by_folder(self, folder: Path) -> EpisodeRecord | None:
        with self.connection() as conn:
            row = conn.execute("SELECT * FROM episodes WHERE folder = ?", (str(folder),)).fetchone()
        return _episode(row) if row else None

    def segments(self, episode_id: int, revision: int | None = None) -> list[SegmentRecord]:
        """The segments of one revision (the current one by default), in programme order."""
        with self.connection() as conn:
            if revision is None:
                revision = self._get(conn, episode_id).revision
            return self.segments_in(conn, episode_id, revision)

    def decisions(self, episode_id: int) -> list[Decision]:
        with self.connection() as conn:
            rows = conn.execute("SELECT * FROM approvals WHERE episode_id = ? ORDER BY id", (episode_id,)).fetchall()
        return [Decision(decision=r["decision"], by=r["by_name"], reason=r["reason"], sha256=r["sha256"], at=r["at"],
                         revision=r["revision"], void=bool(r["void"])) for r in rows]

    def approval(self, episode_id: int) -> Decision | None:
        """The approval in force (latest, not voided by a later edit), if any."""
        valid = [d for d in self.decisions(episode_id) if d.decision == "approved" and not d.void]
        return valid[-1] if valid else None

    def audit(self, episode_id: int | None = None, limit: int = 200) -> list[AuditEntry]:
        with self.connection() as conn:
            if episode_id is None:
                rows = conn.execute("SELECT * FROM audit ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
            else:
                rows = conn.execute("SELECT * FROM audit WHERE episode_id = ? ORDER BY id DESC LIMIT ?",
                                    (episode_id, limit)).fetchall()
        return [AuditEntry(r["at"], r["who"], r["action"], r["episode_id"], r["detail"]) for r in rows]

    def publications(self, episode_id: int | None = None) -> list[dict[str, Any]]:
        with self.connection() as conn:
            if episode_id is None:
                rows = conn.execute("SELECT * FROM publications ORDER BY id").fetchall()
            else:
                rows = conn.execute("SELECT * FROM publications WHERE episode_id = ? ORDER BY id",
                                    (episode_id,)).fetchall()
        return [dict(r) for r in rows]

    def aired_sources(self, since: dt.date) -> dict[str, dt.date]:
        """Every source ref of episodes published on or after ``since`` → latest publication date."""
        with self.connection() as conn:
            rows = conn.execute(
                "SELECT s.sources AS sources, MAX(p.day) AS day FROM publications p "
                "JOIN episodes e ON e.id = p.episode_id "
                "JOIN segment_revisions s ON s.episode_id = e.id AND s.revision = e.revision "
                "WHERE p.day >= ? GROUP BY s.episode_id, s.segment_id", (since.isoformat(),)).fetchall()
        aired: dict[str, dt.date] = {}
        for row in rows:
            day = dt.date.fromisoformat(row["day"])
            for ref in json.loads(row["sources"]):
                if ref not in aired or aired[ref] < day:
                    aired[ref] = day
        return aired

    def local_today(self) -> dt.date:
        return dt.datetime.now(self.tz).date()

    def local_time(self, iso_utc: str) -> str:
        """A stored UTC time as the station reads it: dd/mm/yyyy HH:MM."""
        try:
            moment = dt.datetime.fromisoformat(iso_utc)
        except ValueError:
            return iso_utc
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return moment.astimezone(self.tz).strftime("%d/%m/%Y %H:%M")

    # -- writing (used by workflow/publish; each inside a transaction) ------------------------
    @staticmethod
    def log(conn: sqlite3.Connection, who: str, action: str, episode_id: int | None, detail: str = "") -> None:
        conn.execute("INSERT INTO audit (at, who, action, episode_id, detail) VALUES (?, ?, ?, ?, ?)",
                     (now_utc(), who, action, episode_id, detail))

    @staticmethod
    def insert_segments(conn: sqlite3.Connection, episode_id: int, revision: int,
                        segments: Sequence[ManifestSegment], sha256s: Mapping[str, str], by: str) -> None:
        """The built segments as revision ``revision``; ``sha256s`` by segment id ("" where not known)."""
        at = now_utc()
        for position, seg in enumerate(segments, start=1):
            conn.execute(
                "INSERT INTO segment_revisions (episode_id, revision, position, segment_id, title, text, spoken, "
                "sources, file, engine, duration_s, warnings, saved_by, saved_at, text_revision, voiced, sha256) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
                (episode_id, revision, position, seg.id, seg.title, seg.text, seg.spoken,
                 json.dumps(list(seg.sources), ensure_ascii=False), seg.file, seg.engine, seg.duration_s,
                 json.dumps(list(seg.warnings), ensure_ascii=False), by, at, revision, sha256s.get(seg.id, "")))

    @staticmethod
    def copy_revision(conn: sqlite3.Connection, episode_id: int, old: int, new: int,
                      texts: dict[str, tuple[str, str]], by: str) -> None:
        """Revision ``new`` = ``old`` with the given segments' (text, spoken) replaced and marked not voiced.

        The audio columns of a changed segment still name its old file: the
        database never points at audio that does not exist yet.
        """
        conn.execute(
            "INSERT INTO segment_revisions (episode_id, revision, position, segment_id, title, text, spoken, "
            "sources, file, engine, duration_s, warnings, saved_by, saved_at, text_revision, voiced, sha256) "
            "SELECT episode_id, ?, position, segment_id, title, text, spoken, sources, file, engine, duration_s, "
            "warnings, saved_by, saved_at, text_revision, voiced, sha256 FROM segment_revisions "
            "WHERE episode_id = ? AND revision = ?", (new, episode_id, old))
        at = now_utc()
        for segment_id, (text, spoken) in texts.items():
            conn.execute("UPDATE segment_revisions SET text = ?, spoken = ?, voiced = 0, text_revision = ?, "
                         "saved_by = ?, saved_at = ? WHERE episode_id = ? AND revision = ? AND segment_id = ?",
                         (text, spoken, new, by, at, episode_id, new, segment_id))

    @staticmethod
    def segments_in(conn: sqlite3.Connection, episode_id: int, revision: int) -> list[SegmentRecord]:
        rows = conn.execute("SELECT * FROM segment_revisions WHERE episode_id = ? AND revision = ? ORDER BY position",
                            (episode_id, revision)).fetchall()
        return [_segment(r) for r in rows]

    def register(self, conn: sqlite3.Connection, *, day: dt.date, column: str, folder: Path, state: str,
                 duration_s: float, sha256: str, warnings: list[str], segments: Sequence[ManifestSegment],
                 by: str, sha256s: Mapping[str, str] | None = None) -> int:
        """A newly built episode at revision 1 (``sha256s``: each segment file's, by segment id)."""
        at = now_utc()
        cur = conn.execute(
            "INSERT INTO episodes (date, column_title, folder, state, revision, duration_s, sha256, warnings, "
            "created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)",
            (day.isoformat(), column, str(folder), state, duration_s, sha256,
             json.dumps(warnings, ensure_ascii=False), at, at, by))
        episode_id = int(cur.lastrowid or 0)
        self.insert_segments(conn, episode_id, 1, segments, sha256s or {}, by)
        self.log(conn, by, "build", episode_id, f"{folder.name}: {len(segments)} đoạn, {vnformat.duration(duration_s)}")
        return episode_id
