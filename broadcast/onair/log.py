"""The as-played log: one row when an output starts an item, one when it ends; never edited.

Rows live in the review database (table ``aired``); SQLite triggers refuse any
UPDATE or DELETE, so the log a commune hands to its regulator is only ever added
to. Times are station-local with their offset. An airing refused before it
started (checksum changed, slot missed) is one ``end`` row with no ``start``.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from dataclasses import dataclass

from broadcast.onair.items import Item
from broadcast.review.store import Store

PLAYED, INTERRUPTED, FAILED, REFUSED, MISSED = "played", "interrupted", "failed", "refused", "missed"
RESULTS = {PLAYED: "đã phát", INTERRUPTED: "bị ngắt (thông báo khẩn)", FAILED: "lỗi", REFUSED: "từ chối phát",
           MISSED: "lỡ giờ, không phát muộn", "": "đang phát"}
OUTPUT_LABELS = {"soundcard": "card âm thanh", "icecast": "luồng Icecast", "folder": "thư mục phát", "-": "—"}

_GUARDS = """
CREATE TRIGGER IF NOT EXISTS aired_never_updated BEFORE UPDATE ON aired
BEGIN SELECT RAISE(ABORT, 'the as-played log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS aired_never_deleted BEFORE DELETE ON aired
BEGIN SELECT RAISE(ABORT, 'the as-played log is append-only'); END;
"""


@dataclass(frozen=True)
class Aired:
    """One output's attempt at one item, start and end joined."""

    airing: str
    play_id: str
    output: str
    kind: str
    ref_id: int
    title: str
    priority: str
    sha256: str
    slot: str
    attempt: int
    started: dt.datetime | None
    ended: dt.datetime | None
    result: str
    duration_s: float
    detail: str


class AsPlayedLog:
    def __init__(self, store: Store) -> None:
        self.store = store
        with store.connection() as conn:
            conn.executescript(_GUARDS)

    def _now(self) -> str:
        return dt.datetime.now(self.store.tz).isoformat(timespec="seconds")

    def _insert(self, airing: str, play_id: str, event: str, item: Item, output: str, slot: str, attempt: int,
                result: str = "", duration_s: float = 0.0, detail: str = "") -> None:
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO aired (airing, play_id, event, at, output, kind, ref_id, title, priority, "
                         "sha256, slot, attempt, result, duration_s, detail) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (airing, play_id, event, self._now(), output, item.kind, item.ref_id, item.title,
                          item.priority, item.sha256, slot, attempt, result, round(duration_s, 3), detail))

    def start(self, item: Item, output: str, *, play_id: str, slot: str = "", attempt: int = 1) -> str:
        airing = uuid.uuid4().hex
        self._insert(airing, play_id, "start", item, output, slot, attempt)
        return airing

    def end(self, airing: str, item: Item, output: str, result: str, *, play_id: str, slot: str = "",
            attempt: int = 1, duration_s: float = 0.0, detail: str = "") -> None:
        self._insert(airing, play_id, "end", item, output, slot, attempt, result, duration_s, detail)

    def refused(self, item: Item, result: str, detail: str, *, slot: str = "") -> None:
        self._insert(uuid.uuid4().hex, uuid.uuid4().hex, "end", item, "-", slot, 1, result, 0.0, detail)

    def rows(self, since: dt.date | None = None, until: dt.date | None = None) -> list[Aired]:
        """Airings that started (or were refused) between ``since`` and ``until`` inclusive, oldest first."""
        with self.store.connection() as conn:
            rows = conn.execute("SELECT * FROM aired ORDER BY id").fetchall()
        starts: dict[str, sqlite3.Row] = {}
        ends: dict[str, sqlite3.Row] = {}
        for row in rows:
            (starts if row["event"] == "start" else ends)[row["airing"]] = row
        out = []
        for airing in dict.fromkeys(row["airing"] for row in rows):
            start, end = starts.get(airing), ends.get(airing)
            first = start or end
            assert first is not None
            started = dt.datetime.fromisoformat(start["at"]) if start else None
            ended = dt.datetime.fromisoformat(end["at"]) if end else None
            day = (started or ended or dt.datetime.min).date()
            if (since and day < since) or (until and day > until):
                continue
            out.append(Aired(airing, first["play_id"], first["output"], first["kind"], first["ref_id"], first["title"],
                             first["priority"], first["sha256"], first["slot"], first["attempt"], started, ended,
                             end["result"] if end else "", end["duration_s"] if end else 0.0,
                             end["detail"] if end else ""))
        return out
