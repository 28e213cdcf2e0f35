"""Two parts of one program opening a brand-new review database at once both get a working store.

Seen in the scheduler's first start: the missed build and the voicing-resume thread open the fresh
database together, and the slower one failed with "table episodes already exists".
"""

from __future__ import annotations

import threading
from pathlib import Path

from broadcast.review import schema
from broadcast.review.store import Store


def open_together(path: Path, openers: int) -> list[BaseException | int]:
    barrier = threading.Barrier(openers)
    results: list[BaseException | int] = []
    lock = threading.Lock()

    def one() -> None:
        barrier.wait()
        try:
            outcome: BaseException | int = Store(path).migrate()
        except BaseException as exc:  # the test reports whatever happened
            outcome = exc
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=one) for _ in range(openers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_concurrent_first_opens_all_succeed_and_migrate_once(tmp_path: Path) -> None:
    newest = len(schema.MIGRATIONS)
    for attempt in range(12):
        path = tmp_path / f"review-{attempt}.sqlite"
        results = open_together(path, 4)
        assert results == [newest] * 4, results
        store = Store(path)
        assert store.schema_version() == newest
        with store.connection() as conn:
            versions = [row[0] for row in conn.execute("SELECT version FROM schema_version ORDER BY version")]
        assert versions == list(range(1, newest + 1))   # each migration recorded exactly once
