"""Segment audio deleted by hand: made again from the saved text.

``integrity.missing_segments`` finds the current revision's segments whose
file is gone; ``mark_missing`` marks them "chưa lồng tiếng" in one
transaction (an approval is voided, since the audio will change; the state
goes back to draft as after an edit), and the voicing job (``voicing.run`` on
the CLI, the site's voicer) voices them under new names and joins the
programme again. A published or superseded episode is not changed: its line
says to build again.
"""

from __future__ import annotations

from broadcast.errors import StateError
from broadcast.review.integrity import missing_segments
from broadcast.review.store import Store
from broadcast.review.workflow import DRAFT, NOW, STATE_NAMES, SYSTEM, can, clean_name, sync_manifest


def mark_missing(store: Store, episode_id: int, *, by: str) -> list[str]:
    """Mark the segments whose file is missing as waiting for their audio; their ids (empty: nothing missing)."""
    by = clean_name(by, "tên người lồng tiếng lại")
    with store.transaction() as conn:
        record = store._get(conn, episode_id)
        gone = [seg.id for seg, _ in missing_segments(record, store.segments_in(conn, episode_id, record.revision))]
        if not gone:
            return []
        if not can(record.state, "edit"):
            state = STATE_NAMES.get(record.state, record.state)
            raise StateError(f"Số phát mã {episode_id} đang ở trạng thái \"{state}\" nên không lồng tiếng lại "
                             f"được; hãy dựng lại số phát (broadcast build --date {record.date:%d/%m/%Y}).")
        marks = ", ".join("?" for _ in gone)
        conn.execute(f"UPDATE segment_revisions SET voiced = 0 WHERE episode_id = ? AND revision = ? "
                     f"AND segment_id IN ({marks})", (episode_id, record.revision, *gone))
        conn.execute(f"UPDATE episodes SET state = ?, sha256 = '', updated_at = {NOW}, updated_by = ? WHERE id = ?",
                     (DRAFT, by, episode_id))
        voided = conn.execute("UPDATE approvals SET void = 1 WHERE episode_id = ? AND decision = 'approved' "
                              "AND void = 0", (episode_id,)).rowcount
        store.log(conn, by, "repair", episode_id, f"lồng tiếng lại đoạn thiếu tệp: {', '.join(gone)}")
        if voided:
            store.log(conn, SYSTEM, "approval-void", episode_id, "tệp âm thanh bị mất, phải lồng tiếng lại")
    sync_manifest(store.get(episode_id))
    return gone
