"""The editorial state machine, drafts from builds, edits with revision numbers.

    draft ──approve──▶ approved ──publish──▶ published ──publish (re-air)──▶ published
      │  ▲                │
      │  └──── edit ──────┘ (the audio changed: the approval is void)
      ├──reject──▶ rejected ──edit──▶ draft
      └──supersede (a rebuild of the same date)──▶ superseded

The rebuild rule (``build_draft``): a build for a date that already has an
approved or published episode is skipped (returns None: what the leadership
approved stays what airs). Otherwise the build always goes to a new folder
(``<date>-<slug>``, then ``-2``, ``-3``…) and every earlier draft or rejected
episode of that date becomes ``superseded``; its folder and its edits stay on
disk and in the database. Nothing an editor wrote is ever overwritten.

Edits are saved per segment against the revision each segment was based on
(``edits.save_segments``); approval binds to a revision and to the sha256 of
every file it covers (``integrity``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from broadcast.config import Settings
from broadcast.errors import BroadcastError, ConflictError, ManifestError, ReviewError, StateError
from broadcast.files import sha256
from broadcast.manifest import read_manifest, write_manifest
from broadcast.output import episode_name
from broadcast.review.store import EpisodeRecord, Store
from broadcast.speech.speak import Progress

DRAFT, APPROVED, PUBLISHED, REJECTED, SUPERSEDED = "draft", "approved", "published", "rejected", "superseded"
STATES = (DRAFT, APPROVED, PUBLISHED, REJECTED, SUPERSEDED)

STATE_NAMES = {DRAFT: "bản nháp", APPROVED: "đã phê duyệt", PUBLISHED: "đã đưa lên sóng", REJECTED: "bị từ chối",
               SUPERSEDED: "đã thay thế"}
ACTION_NAMES = {"approve": "phê duyệt", "reject": "từ chối", "publish": "phát sóng", "edit": "sửa",
                "supersede": "thay bằng bản dựng mới"}

# Every legal transition, in one place: (state, action) → new state.
TRANSITIONS: dict[tuple[str, str], str] = {
    (DRAFT, "edit"): DRAFT,
    (DRAFT, "approve"): APPROVED,
    (DRAFT, "reject"): REJECTED,
    (DRAFT, "supersede"): SUPERSEDED,
    (REJECTED, "edit"): DRAFT,
    (REJECTED, "supersede"): SUPERSEDED,
    (APPROVED, "edit"): DRAFT,
    (APPROVED, "reject"): REJECTED,
    (APPROVED, "publish"): PUBLISHED,
    (PUBLISHED, "publish"): PUBLISHED,
}

SYSTEM = "hệ thống"
NOW = "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')"  # same form as store.now_utc()

Log = Callable[[str], None]


def transition(state: str, action: str) -> str:
    """The state after ``action``, or StateError saying why it is not allowed."""
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        allowed = [ACTION_NAMES[a] for (s, a) in TRANSITIONS if s == state]
        what = ACTION_NAMES.get(action, action)
        hint = (f"Ở trạng thái này chỉ có thể: {', '.join(allowed)}." if allowed
                else "Số phát này không thể thay đổi nữa.")
        raise StateError(f"Không thể {what} số phát đang ở trạng thái \"{STATE_NAMES.get(state, state)}\". "
                         f"{hint}") from None


def can(state: str, action: str) -> bool:
    return (state, action) in TRANSITIONS


def nfc(text: str) -> str:
    """NFC with invisible and control characters gone: every name and reason typed in passes here."""
    from broadcast.sources.text import hygiene

    return hygiene(text)


def clean_name(name: str, what: str = "tên người thực hiện") -> str:
    name = nfc(" ".join((name or "").split()))
    if not name:
        raise ReviewError(f"Thiếu {what}. Hãy ghi rõ {what}.")
    if len(name) > 200:
        raise ReviewError(f"{what.capitalize()} quá dài (tối đa 200 ký tự).")
    return name


# -- manifest mirror -------------------------------------------------------------------------

def sync_manifest(record: EpisodeRecord, *, approved_by: str | None = None, approved_sha256: str | None = None,
                  rejected_reason: str | None = None, published_at: str | None = None,
                  onair_file: str | None = None) -> None:
    """Files on disk mirror the database: state, revision, id in manifest.json, and what is given.

    Best effort: the database is the truth, so a manifest that cannot be read is left as it is."""
    try:
        old = read_manifest(record.folder)
    except ManifestError:
        return

    def given(new: str | None, kept: str | None) -> str | None:
        return kept if new is None else new

    write_manifest(record.folder, dataclasses.replace(
        old, episode_id=record.id, status=record.state, revision=record.revision,
        approved_by=given(approved_by, old.approved_by), approved_sha256=given(approved_sha256, old.approved_sha256),
        rejected_reason=given(rejected_reason, old.rejected_reason), published_at=given(published_at, old.published_at),
        onair_file=given(onair_file, old.onair_file)))


# -- building -----------------------------------------------------------------------------------

def _free_name(settings: Settings, store: Store, day: dt.date) -> str:
    base = episode_name(day, settings.column.title)
    root = settings.output.folder
    taken = {r.folder.name for r in store.for_date(day)}
    number = 1
    while True:
        name = base if number == 1 else f"{base}-{number}"
        if name not in taken and not (root / name).exists():
            return name
        number += 1


HISTORY_DAYS = 366   # an FAQ entry not aired for a year counts as new again


def build_draft(settings: Settings, day: dt.date, *, progress: Progress | None = None,
                log: Log | None = None) -> EpisodeRecord | None:
    """Build ``day``'s episode and register it as a draft; None when skipped.

    Skipped when an approved or published episode exists for that date. Else a
    new folder; earlier drafts/rejected episodes of the date become superseded.
    """
    from broadcast.pipeline import build  # late: pipeline pulls in speech engines
    from broadcast.review.buildlock import build_lock
    from broadcast.review.voicing import resume

    resume(settings, log=log)   # edits a stopped process left without audio are voiced first
    with build_lock(settings), Store.open(settings) as store:
        locked = [r for r in store.for_date(day) if r.state in (APPROVED, PUBLISHED)]
        if locked:
            rec = locked[-1]
            if log:
                log(f"Bỏ qua: số phát ngày {day:%d/%m/%Y} đã {STATE_NAMES[rec.state]} (mã {rec.id}, {rec.name}); "
                    f"bản dựng mới không thay nó. Muốn làm lại, hãy từ chối số đó trước "
                    f"(broadcast review reject {rec.id} --by TÊN --reason LÝ_DO).")
            return None
        name = _free_name(settings, store, day)
        # What aired in the last year: news never airs twice, FAQ entries rotate (sources.select/faq).
        history = store.aired_sources(since=day - dt.timedelta(days=HISTORY_DAYS))
        episode = build(settings, day, progress=progress, log=log, name=name, history=history)
        segments = read_manifest(episode.folder).segments
        sha256s = {s.id: sha256(episode.folder / s.file) for s in segments}   # files and database agree from the start
        with store.transaction() as conn:
            episode_id = store.register(
                conn, day=day, column=settings.column.title, folder=episode.folder, state=DRAFT,
                duration_s=episode.duration_s, sha256=sha256(episode.program), warnings=list(episode.warnings),
                segments=segments, sha256s=sha256s, by=SYSTEM)
            rows = conn.execute("SELECT id, state FROM episodes WHERE date = ? AND id != ?",
                                (day.isoformat(), episode_id)).fetchall()
            superseded = []
            for row in rows:
                if can(row["state"], "supersede"):
                    conn.execute(f"UPDATE episodes SET state = ?, updated_at = {NOW}, updated_by = ? "
                                 "WHERE id = ?", (SUPERSEDED, SYSTEM, row["id"]))
                    store.log(conn, SYSTEM, "supersede", row["id"], f"thay bằng số phát mã {episode_id}")
                    superseded.append(row["id"])
        for old_id in superseded:
            sync_manifest(store.get(old_id))
            if log:
                log(f"Số phát mã {old_id} được giữ nguyên và chuyển sang trạng thái \"đã thay thế\".")
        record = store.get(episode_id)
        sync_manifest(record)
        try:
            from broadcast.review.resynth import ensure_parts

            ensure_parts(settings, record)
        except BroadcastError as exc:  # the first edit will try again; the draft itself is fine
            if log:
                log(f"Cảnh báo: chưa chuẩn bị được phần nhạc hiệu/khoảng lặng để sửa nhanh: {exc}")
        return record


# -- approving and rejecting ----------------------------------------------------------------------

def approve(settings: Settings, store: Store, episode_id: int, *, by: str,
            revision: int | None = None) -> EpisodeRecord:
    """Approve the current audio: its sha256 is recorded, and checked again at publication.

    ``revision`` is what the approver read and heard; the CLI and the site
    always pass it, and an episode that has moved on since is refused.
    Segments still waiting for their audio, or a segment or programme file
    that differs from what the database recorded, are refused too.
    """
    from broadcast.review.integrity import check_segments

    by = clean_name(by, "tên người phê duyệt")
    with store.transaction() as conn:
        rec = store._get(conn, episode_id)
        new_state = transition(rec.state, "approve")
        if revision is not None and revision != rec.revision:
            raise ConflictError(f"Số phát mã {episode_id} đã chuyển sang phiên bản {rec.revision} "
                                f"(do {rec.updated_by or 'người khác'} lưu lúc {store.local_time(rec.updated_at)}) "
                                f"sau phiên bản {revision} bạn đã xem. Hãy nghe lại bản mới rồi mới phê duyệt "
                                f"(--revision {rec.revision}).")
        check_segments(rec, store.segments_in(conn, episode_id, rec.revision))
        if not rec.program.is_file():
            raise StateError(f"Không tìm thấy tệp chương trình {rec.program}; không thể phê duyệt.")
        digest = sha256(rec.program)
        if digest != rec.sha256:   # empty while a re-voiced programme is still being joined
            raise StateError(f"Tệp {rec.program} không khớp mã kiểm tra đã ghi (bị thay đổi ngoài chương trình, "
                             f"hoặc chưa ghép xong sau khi sửa). Hãy chạy lại broadcast serve hoặc dựng lại "
                             f"số phát trước khi phê duyệt.")
        conn.execute("INSERT INTO approvals (episode_id, revision, decision, by_name, sha256, at) "
                     f"VALUES (?, ?, 'approved', ?, ?, {NOW})", (episode_id, rec.revision, by, digest))
        conn.execute(f"UPDATE episodes SET state = ?, updated_at = {NOW}, updated_by = ? WHERE id = ?",
                     (new_state, by, episode_id))
        store.log(conn, by, "approve", episode_id, f"phiên bản {rec.revision}, sha256 {digest}")
    record = store.get(episode_id)
    sync_manifest(record, approved_by=by, approved_sha256=digest)
    return record


def reject(settings: Settings, store: Store, episode_id: int, *, by: str, reason: str) -> EpisodeRecord:
    by = clean_name(by, "tên người từ chối")
    reason = clean_name(reason, "lý do từ chối")
    with store.transaction() as conn:
        rec = store._get(conn, episode_id)
        new_state = transition(rec.state, "reject")
        conn.execute("UPDATE approvals SET void = 1 WHERE episode_id = ? AND decision = 'approved'", (episode_id,))
        conn.execute("INSERT INTO approvals (episode_id, revision, decision, by_name, reason, at) "
                     f"VALUES (?, ?, 'rejected', ?, ?, {NOW})", (episode_id, rec.revision, by, reason))
        conn.execute(f"UPDATE episodes SET state = ?, updated_at = {NOW}, updated_by = ? WHERE id = ?",
                     (new_state, by, episode_id))
        store.log(conn, by, "reject", episode_id, reason)
    record = store.get(episode_id)
    sync_manifest(record, rejected_reason=reason)
    return record
