"""One voicing job per episode at a time, and voicing resumed at the next start.

A save commits the text and marks the changed segments not voiced; ``run``
then makes their audio. At most one process voices an episode at once: the
job holds a lease, a row in the ``voicing`` table (owner, host, pid, a
heartbeat). A second save while a job runs is committed as text and waits:
the running job loops until no segment of the current revision waits, and it
gives the lease back only inside the transaction that sees nothing waiting, so
a save committed meanwhile is never left behind. A lease whose process is gone
(same host, pid not alive) or whose heartbeat is older than ``LEASE_S`` is
taken over: that is how a SIGTERM'd server's unfinished work resumes.

``resume`` is called at start-up (serve, build, the scheduler): it voices
every segment still marked "chưa lồng tiếng" and re-assembles a programme
whose file does not have the sha256 the database recorded.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import time
import uuid
from collections.abc import Callable

from broadcast.config import Settings
from broadcast.errors import BroadcastError
from broadcast.files import sha256
from broadcast.review import resynth
from broadcast.review.store import SegmentRecord, Store
from broadcast.speech.speak import Progress

LEASE_S = 120.0      # a job beats after every segment; an online voice takes seconds per segment
DONE, BUSY = "done", "busy"

Log = Callable[[str], None]


def new_owner() -> str:
    return uuid.uuid4().hex


def _alive(host: str, pid: int) -> bool:
    """Whether the lease's process still runs (unknown elsewhere: the heartbeat decides)."""
    if host != socket.gethostname() or os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def acquire(store: Store, episode_id: int, owner: str) -> bool:
    with store.transaction() as conn:
        row = conn.execute("SELECT * FROM voicing WHERE episode_id = ?", (episode_id,)).fetchone()
        if row is not None and row["owner"] != owner and _alive(row["host"], row["pid"]) \
                and time.time() - row["heartbeat"] < LEASE_S:
            return False
        conn.execute("INSERT OR REPLACE INTO voicing (episode_id, owner, host, pid, heartbeat, batch) "
                     "VALUES (?, ?, ?, ?, ?, '[]')", (episode_id, owner, socket.gethostname(), os.getpid(),
                                                      time.time()))
        return True


def beat(store: Store, episode_id: int, owner: str, batch: list[str] | None = None) -> None:
    with store.transaction() as conn:
        if batch is None:
            conn.execute("UPDATE voicing SET heartbeat = ? WHERE episode_id = ? AND owner = ?",
                         (time.time(), episode_id, owner))
        else:
            conn.execute("UPDATE voicing SET heartbeat = ?, batch = ? WHERE episode_id = ? AND owner = ?",
                         (time.time(), json.dumps(batch), episode_id, owner))


def release(store: Store, episode_id: int, owner: str, *, force: bool = False) -> bool:
    """Give the lease back, unless (and not forced) a segment is waiting: then the job goes on."""
    with store.transaction() as conn:
        if not force and _waiting(conn, episode_id):
            return False
        conn.execute("DELETE FROM voicing WHERE episode_id = ? AND owner = ?", (episode_id, owner))
        return True


def batch_of(store: Store, episode_id: int) -> list[str] | None:
    """The segments the live job is voicing now; None when no job holds the episode."""
    with store.connection() as conn:
        row = conn.execute("SELECT * FROM voicing WHERE episode_id = ?", (episode_id,)).fetchone()
    if row is None or not _alive(row["host"], row["pid"]) or time.time() - row["heartbeat"] >= LEASE_S:
        return None
    return list(json.loads(row["batch"]))


def _waiting(conn: sqlite3.Connection, episode_id: int) -> bool:
    row = conn.execute(
        "SELECT COUNT(*) FROM segment_revisions s JOIN episodes e ON e.id = s.episode_id AND e.revision = s.revision "
        "WHERE s.episode_id = ? AND s.voiced = 0", (episode_id,)).fetchone()
    return bool(row[0])


def pending(store: Store, episode_id: int) -> list[SegmentRecord]:
    """The current revision's segments whose audio is not made yet."""
    return [s for s in store.segments(episode_id) if not s.voiced]


def program_stale(store: Store, episode_id: int) -> bool:
    record = store.get(episode_id)
    return not record.program.is_file() or sha256(record.program) != record.sha256


def run(settings: Settings, store: Store, episode_id: int, *, owner: str | None = None,
        progress: Progress | None = None, assemble: bool = False) -> str:
    """Voice what waits and re-assemble, until nothing waits: DONE; BUSY when another job holds the episode."""
    owner = owner or new_owner()
    if not acquire(store, episode_id, owner):
        return BUSY
    try:
        while True:
            record = store.get(episode_id)
            todo = pending(store, episode_id)
            if todo:
                beat(store, episode_id, owner, [s.id for s in todo])
                resynth.voice_segments(settings, store, record, todo, progress=progress,
                                       beat=lambda: beat(store, episode_id, owner))
                assemble = True
            if assemble and not pending(store, episode_id):
                assemble = not resynth.assemble(settings, store, store.get(episode_id))
            if not assemble and release(store, episode_id, owner):
                return DONE
    except BaseException:
        release(store, episode_id, owner, force=True)
        raise


def unfinished(store: Store) -> list[int]:
    """Episodes with segments waiting for audio, or a draft whose programme file is not what was recorded."""
    with store.connection() as conn:
        rows = conn.execute("SELECT DISTINCT s.episode_id FROM segment_revisions s JOIN episodes e "
                            "ON e.id = s.episode_id AND e.revision = s.revision WHERE s.voiced = 0").fetchall()
    ids = [int(r[0]) for r in rows]
    for record in store.episodes("draft"):
        if record.id not in ids and record.revision > 1 and program_stale(store, record.id):
            ids.append(record.id)
    return sorted(ids)


def resume(settings: Settings, *, log: Log | None = None) -> list[int]:
    """Finish the voicing a stopped process left (start-up of serve, build, the scheduler); the ids done."""
    done = []
    with Store.open(settings) as store:
        for episode_id in unfinished(store):
            try:
                if run(settings, store, episode_id, assemble=True) == DONE:
                    done.append(episode_id)
                    if log:
                        log(f"Đã lồng tiếng tiếp các đoạn còn dở của số phát mã {episode_id}.")
            except BroadcastError as exc:   # one episode's trouble does not stop the others, nor the start
                if log:
                    log(f"Cảnh báo: chưa lồng tiếng được số phát mã {episode_id}: {exc}")
    return done
