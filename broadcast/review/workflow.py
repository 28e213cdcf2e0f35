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

Edits carry the revision they were based on; a save whose base is no longer
the current revision is refused (``ConflictError``) naming who saved since.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Callable
from typing import Any

from broadcast.config import Settings
from broadcast.errors import BroadcastError, ConflictError, ReviewError, StateError
from broadcast.files import sha256, write_json
from broadcast.output import episode_name, read_manifest
from broadcast.review.store import EpisodeRecord, Store
from broadcast.speech.speak import Progress

DRAFT, APPROVED, PUBLISHED, REJECTED, SUPERSEDED = "draft", "approved", "published", "rejected", "superseded"
STATES = (DRAFT, APPROVED, PUBLISHED, REJECTED, SUPERSEDED)

STATE_NAMES = {DRAFT: "bản nháp", APPROVED: "đã phê duyệt", PUBLISHED: "đã phát sóng", REJECTED: "bị từ chối",
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
    return unicodedata.normalize("NFC", text)


def clean_name(name: str, what: str = "tên người thực hiện") -> str:
    name = nfc(" ".join((name or "").split()))
    if not name:
        raise ReviewError(f"Thiếu {what}. Hãy ghi rõ {what}.")
    if len(name) > 200:
        raise ReviewError(f"{what.capitalize()} quá dài (tối đa 200 ký tự).")
    return name


# -- manifest mirror -------------------------------------------------------------------------

def sync_manifest(record: EpisodeRecord, **extra: Any) -> None:
    """Files on disk mirror the database: state, revision, id in manifest.json."""
    path = record.folder / "manifest.json"
    try:
        data = read_manifest(record.folder)
    except (OSError, ValueError):
        return
    data.update({"episode_id": record.id, "status": record.state, "revision": record.revision}, **extra)
    write_json(path, data)


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
        data = read_manifest(episode.folder)
        with store.transaction() as conn:
            episode_id = store.register(
                conn, day=day, column=settings.column.title, folder=episode.folder, state=DRAFT,
                duration_s=episode.duration_s, sha256=sha256(episode.program), warnings=list(episode.warnings),
                segments=data["segments"], by=SYSTEM)
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

    ``revision`` (what the approver saw) guards against approving audio changed meanwhile.
    """
    by = clean_name(by, "tên người phê duyệt")
    with store.transaction() as conn:
        rec = store._get(conn, episode_id)
        new_state = transition(rec.state, "approve")
        if revision is not None and revision != rec.revision:
            raise ConflictError(f"Số phát mã {episode_id} đã được sửa (phiên bản {rec.revision}, "
                                f"bởi {rec.updated_by or 'người khác'}) sau khi bạn mở (phiên bản {revision}). "
                                f"Hãy nghe lại bản mới rồi mới phê duyệt.")
        if not rec.program.is_file():
            raise StateError(f"Không tìm thấy tệp chương trình {rec.program}; không thể phê duyệt.")
        digest = sha256(rec.program)
        if rec.sha256 and digest != rec.sha256:
            raise StateError(f"Tệp {rec.program} đã bị thay đổi ngoài chương trình (mã kiểm tra không khớp). "
                             f"Hãy dựng lại số phát trước khi phê duyệt.")
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


# -- editing ------------------------------------------------------------------------------------------

def changed_segments(store: Store, episode_id: int, texts: dict[str, str]) -> dict[str, str]:
    """The segments whose written text really differs (NFC, surrounding blanks ignored)."""
    current = {s.id: s for s in store.segments(episode_id)}
    unknown = [k for k in texts if k not in current]
    if unknown:
        raise ReviewError(f"Số phát mã {episode_id} không có đoạn {', '.join(unknown)}. "
                          f"Các đoạn có: {', '.join(current)}.")
    out = {}
    for key, text in texts.items():
        text = nfc(text.replace("\r\n", "\n")).strip()
        if not text:
            raise ReviewError(f"Đoạn {key} không được để trống. Nếu muốn bỏ nội dung, hãy từ chối số phát này.")
        if text != current[key].text.strip():
            out[key] = text
    return out


def conflict_message(rec: EpisodeRecord, base_revision: int) -> str:
    who = rec.updated_by or "người khác"
    return (f"Không lưu được: số phát mã {rec.id} đã được {who} lưu thành phiên bản {rec.revision} "
            f"(lúc {rec.updated_at} UTC) sau khi bạn mở phiên bản {base_revision}. Nội dung bạn sửa chưa bị mất; "
            f"hãy tải lại bản mới, xem thay đổi của {who}, rồi sửa và lưu lại.")


def save_edits(settings: Settings, store: Store, episode_id: int, texts: dict[str, str], *, base_revision: int,
               by: str, progress: Progress | None = None, log: Log | None = None) -> EpisodeRecord:
    """Save edited written texts: re-voice only what changed; the episode goes back to draft.

    Raises ConflictError if someone saved since ``base_revision`` (checked
    before the slow re-synthesis and again, atomically, before anything is
    replaced on disk).
    """
    from broadcast.review import resynth  # late: pulls in the speech stack

    by = clean_name(by, "tên người sửa")
    rec = store.get(episode_id)
    transition(rec.state, "edit")
    if rec.revision != base_revision:
        raise ConflictError(conflict_message(rec, base_revision))
    changes = changed_segments(store, episode_id, texts)
    if not changes:
        if log:
            log("Không có thay đổi nào: không cần đọc lại.")
        return rec
    staged = resynth.prepare(settings, rec, changes, progress=progress)
    try:
        with store.transaction() as conn:
            now = store._get(conn, episode_id)
            transition(now.state, "edit")
            if now.revision != base_revision:
                raise ConflictError(conflict_message(now, base_revision))
            revision = now.revision + 1
            staged.commit(revision=revision)
            store.insert_segments(conn, episode_id, revision, staged.segments, by)
            conn.execute("UPDATE episodes SET state = ?, revision = ?, duration_s = ?, sha256 = ?, warnings = ?, "
                         f"updated_at = {NOW}, updated_by = ? WHERE id = ?",
                         (DRAFT, revision, staged.duration_s, staged.sha256,
                          json.dumps(staged.warnings, ensure_ascii=False), by, episode_id))
            voided = conn.execute("UPDATE approvals SET void = 1 WHERE episode_id = ? AND decision = 'approved' "
                                  "AND void = 0", (episode_id,)).rowcount
            detail = {"revision": revision, "changed": sorted(changes), "texts": changes}
            store.log(conn, by, "edit", episode_id, json.dumps(detail, ensure_ascii=False))
            if voided:
                store.log(conn, SYSTEM, "approval-void", episode_id, "âm thanh đã thay đổi sau khi phê duyệt")
    finally:
        staged.discard()
    record = store.get(episode_id)
    sync_manifest(record)
    if log:
        log(f"Đã lưu phiên bản {record.revision}: đọc lại {len(changes)} đoạn ({', '.join(sorted(changes))}).")
    return record
