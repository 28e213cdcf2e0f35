"""Saving an editor's text: per segment, against the revision each segment was based on.

The unit of a save is a segment with its base (``SegmentEdit.base``: the
revision that last changed that segment's text when the editor opened it).
Inside one write transaction, at commit time:

- a segment whose text is what it already is, or what it was at the editor's
  base (the editor did not touch it), is left as it stands: a stale form never
  reverts another editor's work;
- a segment unchanged since its base takes the new text;
- a segment that someone else changed since its base is a ``Conflict``: it is
  not written, and the caller shows theirs and yours side by side.

Saves to different segments therefore merge into one new revision. The text is
committed before any voicing: the changed segments are marked not voiced
("chưa lồng tiếng") and ``voicing.run`` makes their audio afterwards, so a
kill or a restart during voicing loses no text.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from broadcast.config import Settings
from broadcast.errors import ConflictError, ReviewError
from broadcast.review import limits
from broadcast.review.store import EpisodeRecord, SegmentRecord, Store
from broadcast.review.workflow import DRAFT, NOW, SYSTEM, clean_name, sync_manifest, transition
from broadcast.sources.text import hygiene
from broadcast.speech.speak import Progress

Log = Callable[[str], None]


@dataclass(frozen=True)
class SegmentEdit:
    """What an editor submitted for one segment, and the segment revision it was based on."""

    id: str
    text: str
    base: int


@dataclass(frozen=True)
class Conflict:
    """A segment changed by someone else since the editor's base: theirs and yours."""

    id: str
    title: str
    theirs: str
    yours: str
    by: str            # who saved theirs
    at: str            # when (UTC, ISO)
    revision: int      # the segment revision of theirs: the base of a resolution
    base: int          # the editor's base


@dataclass(frozen=True)
class SaveResult:
    record: EpisodeRecord
    saved: tuple[str, ...]
    conflicts: tuple[Conflict, ...]


def clean_text(segment: SegmentRecord, text: str) -> str:
    text = hygiene(text, keep_newlines=True).strip()
    limits.check_segment(segment.id, segment.title, text)  # before anything else looks at a huge text
    if not text:
        raise ReviewError(f"Đoạn \"{segment.title}\" ({segment.id}) không được để trống. "
                          f"Nếu muốn bỏ nội dung, hãy từ chối số phát này.")
    return text


def _text_at(conn: sqlite3.Connection, episode_id: int, segment_id: str, revision: int) -> str | None:
    row = conn.execute("SELECT text FROM segment_revisions WHERE episode_id = ? AND segment_id = ? AND revision = ?",
                       (episode_id, segment_id, revision)).fetchone()
    return None if row is None else str(row["text"])


def bases_at(store: Store, episode_id: int, revision: int) -> dict[str, int]:
    """Each segment's base as it was at episode revision ``revision`` (for forms that carry only that)."""
    return {s.id: s.text_revision for s in store.segments(episode_id, revision)}


def save_segments(settings: Settings, store: Store, episode_id: int, edits: list[SegmentEdit], *,
                  by: str) -> SaveResult:
    """Commit the edits that apply, in one transaction; return them and the conflicts. No voicing here."""
    from broadcast import pipeline  # late: pipeline pulls in the speech engines
    from broadcast.normalize import normalize

    by = clean_name(by, "tên người sửa")
    before = {s.id: s for s in store.segments(episode_id)}
    unknown = [e.id for e in edits if e.id not in before]
    if unknown:
        raise ReviewError(f"Số phát mã {episode_id} không có đoạn {', '.join(unknown)}. "
                          f"Các đoạn có: {', '.join(before)}.")
    texts = {e.id: clean_text(before[e.id], e.text) for e in edits}
    lexicon = None
    spoken: dict[str, str] = {}

    def speak(segment_id: str) -> str:  # the spoken form is pure text work: done outside the lock when possible
        nonlocal lexicon
        if segment_id not in spoken:
            lexicon = lexicon or pipeline.lexicon_for(settings)
            spoken[segment_id] = normalize(texts[segment_id], dialect=settings.station.dialect, lexicon=lexicon,
                                            day_prefix=settings.station.day_prefix)
        return spoken[segment_id]

    for e in edits:
        if texts[e.id] != before[e.id].text.strip() and e.base == before[e.id].text_revision:
            speak(e.id)
    with store.transaction() as conn:
        record = store._get(conn, episode_id)
        transition(record.state, "edit")
        current = {s.id: s for s in store.segments_in(conn, episode_id, record.revision)}
        changes: dict[str, str] = {}
        conflicts: list[Conflict] = []
        for e in edits:
            seg, text = current[e.id], texts[e.id]
            if text == seg.text.strip():
                continue
            if e.base == seg.text_revision:
                changes[e.id] = text
                continue
            at_base = _text_at(conn, episode_id, e.id, e.base) if 0 < e.base <= record.revision else None
            if at_base is not None and text == at_base.strip():
                continue  # the editor did not touch it; theirs stands
            conflicts.append(Conflict(id=seg.id, title=seg.title, theirs=seg.text, yours=text, by=seg.saved_by,
                                      at=seg.saved_at, revision=seg.text_revision, base=e.base))
        limits.check_episode(sum(len(changes.get(s.id, s.text)) for s in current.values()))
        if conflicts:
            store.log(conn, by, "edit-conflict", episode_id, ", ".join(c.id for c in conflicts))
        if changes:
            revision = record.revision + 1
            store.copy_revision(conn, episode_id, record.revision, revision,
                                {k: (v, speak(k)) for k, v in changes.items()}, by)
            conn.execute(f"UPDATE episodes SET state = ?, revision = ?, updated_at = {NOW}, updated_by = ? "
                         "WHERE id = ?", (DRAFT, revision, by, episode_id))
            voided = conn.execute("UPDATE approvals SET void = 1 WHERE episode_id = ? AND decision = 'approved' "
                                  "AND void = 0", (episode_id,)).rowcount
            detail = {"revision": revision, "changed": sorted(changes), "texts": changes}
            store.log(conn, by, "edit", episode_id, json.dumps(detail, ensure_ascii=False))
            if voided:
                store.log(conn, SYSTEM, "approval-void", episode_id, "lời đã thay đổi sau khi phê duyệt")
    record = store.get(episode_id)
    if changes:
        sync_manifest(record)
    return SaveResult(record=record, saved=tuple(sorted(changes)), conflicts=tuple(conflicts))


def conflict_summary(store: Store, result: SaveResult) -> str:
    """One line for the command line: which segments conflict, who saved theirs and when."""
    parts = [f"đoạn \"{c.title}\" ({c.id}) đã được {c.by or 'người khác'} sửa lúc {store.local_time(c.at)}"
             for c in result.conflicts]
    saved = f" Các đoạn khác đã được lưu ({', '.join(result.saved)})." if result.saved else ""
    return (f"Không lưu được {len(result.conflicts)} đoạn vì có người sửa sau khi bạn mở: {'; '.join(parts)}. "
            f"Bản của họ được giữ nguyên.{saved}")


def save_edits(settings: Settings, store: Store, episode_id: int, texts: dict[str, str], *, base_revision: int,
               by: str, progress: Progress | None = None, log: Log | None = None) -> EpisodeRecord:
    """Save texts edited from episode revision ``base_revision``, then voice them (the CLI's and a script's path).

    The text is committed first; conflicting segments raise ConflictError after
    the others were saved and voiced.
    """
    from broadcast.review import voicing

    bases = bases_at(store, episode_id, base_revision)
    if not bases:
        raise ReviewError(f"Số phát mã {episode_id} không có phiên bản {base_revision}.")
    edits = [SegmentEdit(k, v, bases.get(k, 0)) for k, v in texts.items()]
    result = save_segments(settings, store, episode_id, edits, by=by)
    if log and not result.saved and not result.conflicts:
        log("Không có thay đổi nào: không cần đọc lại.")
    if result.saved or voicing.pending(store, episode_id):
        if voicing.run(settings, store, episode_id, progress=progress) == voicing.BUSY and log:
            log("Lời đã được lưu; đang chờ lồng tiếng (một tiến trình khác đang lồng tiếng số phát này).")
        elif log:
            log(f"Đã lưu phiên bản {result.record.revision}: đọc lại {len(result.saved)} đoạn "
                f"({', '.join(result.saved)}).")
    if result.conflicts:
        raise ConflictError(conflict_summary(store, result))
    return store.get(episode_id)
