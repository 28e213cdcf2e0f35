"""After a pronunciation fix: re-read the spoken form of every open episode and re-voice what changed.

The written text does not change, so this is not an edit: each affected
episode gets a new revision in which only those segments' spoken form differs
and they are marked "chưa lồng tiếng"; the segment's editor and base revision
stay (a concurrent editor is not put in conflict by a reading fix). An approval
binds to the audio, so an approved episode goes back to draft. Voicing itself is
``voicing.run``, as after any save.
"""

from __future__ import annotations

import json

from broadcast.config import Settings
from broadcast.review.store import Store
from broadcast.review.workflow import DRAFT, NOW, SYSTEM, can, sync_manifest, transition


def respeak(settings: Settings, store: Store, *, by: str) -> dict[int, list[str]]:
    """Episode id → segments whose spoken form the current lexicon changes (committed, not yet voiced)."""
    from broadcast import pipeline  # late: pipeline pulls in the speech engines
    from broadcast.normalize import normalize

    lexicon = pipeline.lexicon_for(settings)
    changed: dict[int, list[str]] = {}
    for record in store.episodes():
        if not can(record.state, "edit"):
            continue
        fresh = {s.id: normalize(s.text, dialect=settings.station.dialect, lexicon=lexicon,
                                 day_prefix=settings.station.day_prefix)
                 for s in store.segments(record.id)}
        with store.transaction() as conn:
            current = store._get(conn, record.id)
            if current.revision != record.revision or not can(current.state, "edit"):
                continue  # saved meanwhile: its own save used the new lexicon already
            transition(current.state, "edit")
            todo = [s.id for s in store.segments_in(conn, record.id, current.revision)
                    if s.id in fresh and fresh[s.id] != s.spoken]
            if not todo:
                continue
            revision = current.revision + 1
            store.copy_revision(conn, record.id, current.revision, revision, {}, by)
            for segment_id in todo:
                conn.execute("UPDATE segment_revisions SET spoken = ?, voiced = 0 WHERE episode_id = ? AND "
                             "revision = ? AND segment_id = ?", (fresh[segment_id], record.id, revision, segment_id))
            conn.execute(f"UPDATE episodes SET state = ?, revision = ?, updated_at = {NOW}, updated_by = ? "
                         "WHERE id = ?", (DRAFT, revision, by, record.id))
            voided = conn.execute("UPDATE approvals SET void = 1 WHERE episode_id = ? AND decision = 'approved' "
                                  "AND void = 0", (record.id,)).rowcount
            store.log(conn, by, "respeak", record.id,
                      json.dumps({"revision": revision, "changed": todo}, ensure_ascii=False))
            if voided:
                store.log(conn, SYSTEM, "approval-void", record.id, "cách đọc đã thay đổi sau khi phê duyệt")
            changed[record.id] = todo
        sync_manifest(store.get(record.id))
    return changed
