"""The online voice back when the network returns: draft segments read offline are voiced again.

A build (or an edit's voicing) made while Google and Edge were unreachable
reads its segments with the offline voice. ``revoice_episode`` makes a new
revision of such a draft in which exactly those segments are marked "chưa
lồng tiếng", their text and spoken form unchanged (the editor's, as saved),
and ``voicing.run`` voices them again, so with the online voice reachable
they come back in it and the programme is re-joined. As after a reading fix
(``respeak``) this is not an edit: each segment keeps its editor and base
revision, so an editor working at the same time is not put in conflict.

Only drafts are touched: approved and published audio is never changed. When
the segments still come out offline (the network dropped again, or the online
voice refused a text) the episode is tried again, at most ``MAX_TRIES`` times
in a row without a person acting on it in between, so a text the online voice
cannot read does not make a new revision every half hour.

The scheduler's job (``broadcast.schedule.revoice``) decides when: the online
voice answers, and the airing is not too close.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from broadcast.config import Settings
from broadcast.review import voicing
from broadcast.review.store import AuditEntry, EpisodeRecord, SegmentRecord, Store
from broadcast.review.wording import voice_name
from broadcast.review.workflow import DRAFT, NOW, sync_manifest
from broadcast.speech import ENGINES
from broadcast.speech.voices import ordered

ACTION = "revoice"
OFFLINE = frozenset(name for name, cls in ENGINES.items() if not cls.online)
MAX_TRIES = 3
# actions that are the machine's own, between two tries: they do not reset the count
_MACHINE = frozenset({ACTION, "voice", "approval-void"})
_DETAIL = re.compile(r"^phiên bản (\d+): đọc lại (\d+) đoạn bằng (.+?) \(")


@dataclass(frozen=True)
class Revoiced:
    """One draft re-voiced: the revision made, the segments marked, those now in an online voice."""

    episode_id: int
    revision: int
    marked: tuple[str, ...]
    online: tuple[str, ...]


def offline_segments(segments: list[SegmentRecord]) -> list[SegmentRecord]:
    """Segments whose audio was made by an offline engine (not an officer's recording, not waiting)."""
    return [s for s in segments if s.voiced and s.engine in OFFLINE]


def tries(entries: list[AuditEntry]) -> int:
    """Re-voicings in a row, newest first, since a person last acted on the episode."""
    count = 0
    for entry in entries:
        if entry.action not in _MACHINE:
            break
        count += entry.action == ACTION
    return count


def candidates(store: Store) -> list[tuple[EpisodeRecord, list[SegmentRecord]]]:
    """Drafts with segments read offline, none waiting for voicing, not yet tried ``MAX_TRIES`` times."""
    out = []
    for record in store.episodes(DRAFT):
        segments = store.segments(record.id)
        offline = offline_segments(segments)
        if offline and all(s.voiced for s in segments) and tries(store.audit(record.id, limit=50)) < MAX_TRIES:
            out.append((record, offline))
    return out


def mark(store: Store, record: EpisodeRecord, engine: str, *, by: str) -> tuple[int, list[str]] | None:
    """A new revision with the offline segments marked not voiced; None if the draft changed meanwhile."""
    with store.transaction() as conn:
        current = store._get(conn, record.id)
        if current.state != DRAFT or current.revision != record.revision:
            return None   # approved, or saved meanwhile: the next round looks again
        segments = store.segments_in(conn, record.id, current.revision)
        todo = [s.id for s in offline_segments(segments)]
        if not todo or not all(s.voiced for s in segments):
            return None
        revision = current.revision + 1
        store.copy_revision(conn, record.id, current.revision, revision, {}, by)
        conn.executemany("UPDATE segment_revisions SET voiced = 0 WHERE episode_id = ? AND revision = ? AND "
                         "segment_id = ?", [(record.id, revision, segment_id) for segment_id in todo])
        conn.execute(f"UPDATE episodes SET revision = ?, updated_at = {NOW}, updated_by = ? WHERE id = ?",
                     (revision, by, record.id))
        store.log(conn, by, ACTION, record.id, f"phiên bản {revision}: đọc lại {len(todo)} đoạn bằng "
                  f"{_lower_first(voice_name(engine))} ({', '.join(todo)}), lời giữ nguyên")
    sync_manifest(store.get(record.id))
    return revision, todo


def revoice_episode(settings: Settings, store: Store, record: EpisodeRecord, engine: str, *,
                    by: str) -> Revoiced | None:
    """Mark the draft's offline segments and voice them again (the programme is re-joined)."""
    marked = mark(store, record, engine, by=by)
    if marked is None:
        return None
    revision, todo = marked
    voicing.run(settings, store, record.id)
    now = {s.id: s for s in store.segments(record.id)}
    online = tuple(i for i in todo if i in now and now[i].voiced and now[i].engine not in OFFLINE)
    return Revoiced(record.id, revision, tuple(todo), online)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def note(settings: Settings, store: Store, record: EpisodeRecord) -> str:
    """The plain line the episode page shows about the offline voice and its re-voicing ("" for none)."""
    entries = store.audit(record.id, limit=50)
    last = next((e for e in entries if e.action == ACTION), None)
    offline = offline_segments(store.segments(record.id))
    sched = settings.schedule
    engines = ordered(settings.speech.engines, settings.speech.voice)
    if record.state == DRAFT and offline and sched.revoice_minutes and any(ENGINES[n].online for n in engines):
        waiting = (f"{len(offline)} đoạn đang đọc bằng giọng dự phòng của máy tính vì lúc lồng tiếng không có mạng. "
                   f"Khi có mạng, máy sẽ tự đọc lại các đoạn này bằng giọng trực tuyến (thử lại mỗi "
                   f"{sched.revoice_minutes} phút, đến {sched.revoice_stop_minutes} phút trước giờ phát); lời đã "
                   "sửa được giữ nguyên.")
        if tries(entries) < MAX_TRIES:
            return waiting
        return (f"Máy đã thử đọc lại {MAX_TRIES} lần bằng giọng trực tuyến nhưng {len(offline)} đoạn vẫn đọc bằng "
                "giọng dự phòng; máy không tự thử lại nữa.")
    if last is None:
        return ""
    found = _DETAIL.match(last.detail)
    what = (f"máy đã tự đọc lại {found.group(2)} đoạn bằng {found.group(3)} (phiên bản {found.group(1)})" if found
            else "máy đã tự đọc lại các đoạn đọc bằng giọng dự phòng")
    return (f"Lúc {store.local_time(last.at)}, khi có mạng trở lại, {what}. Lời đã sửa được giữ nguyên; hãy nghe "
            "lại trước khi phê duyệt.")
