"""When an approved notice airs: by its priority, at once, or at a time chosen on the site or the CLI.

A notice without a chosen time keeps the rule of its priority (``items``): khẩn
cấp as soon as the scheduler sees it, ưu tiên / thường at the next airing. A
notice with a time (``notices.air_at``, station-local with its offset) is left
alone by the airing slots; the scheduler's notice watch (``slot.watch_notices``)
claims it once that minute has come and plays it on every output. "Phát ngay"
is a chosen time too: the moment of approval. A timed notice found later than
``slot.ONTIME_S`` + ``onair.late_minutes`` (the PC was off) is not aired late: it is
logged ``missed``. Until it is claimed, a notice can be cancelled; claiming and
cancelling are single guarded UPDATEs, so exactly one of them wins.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from broadcast.errors import OnAirError
from broadcast.onair.items import PRIORITIES, PRIORITY, URGENT, Item, notice_item
from broadcast.onair.log import FAILED, INTERRUPTED, MISSED, PLAYED, REFUSED, AsPlayedLog
from broadcast.review.store import Store, now_utc
from broadcast.review.workflow import clean_name
from broadcast.schedule.timing import spoken_time

BY_PRIORITY, NOW, AT = "theo-muc", "ngay", "hen-gio"
WHEN = {BY_PRIORITY: "theo mức ưu tiên", NOW: "phát ngay khi được duyệt", AT: "hẹn giờ"}
EXAMPLE = "05/12/2026 07:30"
MAX_AHEAD = dt.timedelta(days=366)


def parse_when(choice: str, text: str, zone: ZoneInfo, now: dt.datetime | None = None) -> dt.datetime | None:
    """The chosen airing time (aware, station-local), or None for "by its priority"; one Vietnamese line if bad."""
    now = (now or dt.datetime.now(zone)).astimezone(zone)
    choice = (choice or BY_PRIORITY).strip()
    if choice == BY_PRIORITY:
        return None
    if choice == NOW:
        return now.replace(microsecond=0)
    if choice != AT:
        raise OnAirError(f"Cách phát {choice!r} không hợp lệ. Hãy chọn: theo mức ưu tiên, phát ngay hoặc hẹn giờ.")
    text = " ".join((text or "").split())
    if not text:
        raise OnAirError(f"Hãy ghi giờ phát dạng ngày/tháng/năm giờ:phút, ví dụ {EXAMPLE}, hoặc chọn «Phát ngay».")
    try:
        moment = dt.datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=zone)
    except ValueError:
        raise OnAirError(f"Giờ phát «{text}» không đúng dạng ngày/tháng/năm giờ:phút hoặc không có thật; "
                         f"hãy ghi ví dụ {EXAMPLE}.") from None
    if moment < now.replace(second=0, microsecond=0):
        raise OnAirError(f"Giờ phát {spoken_time(moment)} đã qua (bây giờ là {spoken_time(now)}); hãy chọn một giờ "
                         f"sắp tới hoặc chọn «Phát ngay».")
    if moment - now > MAX_AHEAD:
        raise OnAirError(f"Giờ phát {spoken_time(moment)} quá xa (hơn một năm nữa); hãy kiểm tra lại năm.")
    return moment


@dataclass(frozen=True)
class NoticeState:
    """An approved notice with when it is to air and what the as-played log says happened."""

    item: Item
    approved_by: str
    air_at: dt.datetime | None
    claimed: bool
    cancelled_at: str | None
    cancelled_by: str
    results: tuple[tuple[str, dt.datetime | None], ...]   # (result, started) per output attempt, oldest first

    @property
    def waiting(self) -> bool:
        return not self.claimed and self.cancelled_at is None


def _air_at(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _state(row: sqlite3.Row, log: list[tuple[str, dt.datetime | None]], item: Item) -> NoticeState:
    return NoticeState(item, row["approved_by"], _air_at(row["air_at"]), row["claimed_at"] is not None,
                       row["cancelled_at"], row["cancelled_by"], tuple(log))


def states(store: Store, *, limit: int = 50) -> list[NoticeState]:
    """The newest ``limit`` notices, newest first."""
    with store.connection() as conn:
        rows = conn.execute("SELECT * FROM notices ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
    aired: dict[int, list[tuple[str, dt.datetime | None]]] = {}
    for row in AsPlayedLog(store).rows():
        if row.kind == "notice":
            aired.setdefault(row.ref_id, []).append((row.result, row.started))
    return [_state(r, aired.get(r["id"], []), notice_item(store, r["id"])) for r in rows]


def state_of(store: Store, notice_id: int) -> NoticeState:
    item = notice_item(store, notice_id)   # an OnAirError naming the list when there is no such notice
    with store.connection() as conn:
        row = conn.execute("SELECT * FROM notices WHERE id = ?", (notice_id,)).fetchone()
    log = [(r.result, r.started) for r in AsPlayedLog(store).rows() if r.kind == "notice" and r.ref_id == notice_id]
    return _state(row, log, item)


def describe(state: NoticeState, zone: ZoneInfo, next_slot: dt.datetime | None) -> str:
    """One line for the site and ``notice list``: when it will air, or when (and whether) it aired."""
    if state.cancelled_at:
        when = dt.datetime.fromisoformat(state.cancelled_at).astimezone(zone)
        return f"đã hủy, không phát (bởi {state.cancelled_by}, lúc {spoken_time(when)})"
    played = [started for result, started in state.results if result in (PLAYED, INTERRUPTED) and started]
    if played:
        return f"đã phát lúc {spoken_time(min(played).astimezone(zone))}"
    results = {result for result, _ in state.results}
    if MISSED in results:
        return f"lỡ giờ phát {spoken_time(state.air_at.astimezone(zone)) if state.air_at else ''} vì bộ lập lịch " \
               f"không chạy; không phát muộn. Hãy soạn lại nếu vẫn cần."
    if REFUSED in results or FAILED in results:
        return "không phát được (xem nhật ký phát sóng: broadcast aired)"
    if state.claimed:
        return "đang phát"
    if state.air_at is not None and state.air_at <= dt.datetime.now(zone):
        return "đã đến giờ, chờ bộ lập lịch phát (vài giây)"
    if state.air_at is not None:
        return f"sẽ phát lúc {spoken_time(state.air_at.astimezone(zone))}"
    if state.item.priority == URGENT:
        return "chờ bộ lập lịch phát ngay (vài giây)"
    where = "trước" if state.item.priority == PRIORITY else "sau"
    slot = f" ({spoken_time(next_slot)})" if next_slot else ""
    return f"sẽ phát ở giờ phát tới{slot}, {where} chuyên mục"


def due(store: Store, now: dt.datetime) -> list[tuple[Item, dt.datetime]]:
    """Waiting timed notices whose time has come, oldest time first (not claimed here)."""
    with store.connection() as conn:
        rows = conn.execute("SELECT * FROM notices WHERE claimed_at IS NULL AND cancelled_at IS NULL "
                            "AND air_at IS NOT NULL ORDER BY air_at, id").fetchall()
    timed = [(notice_item(store, r["id"]), dt.datetime.fromisoformat(r["air_at"])) for r in rows]
    return [(item, at) for item, at in timed if at <= now]


def cancel(store: Store, notice_id: int, *, by: str) -> Item:
    """Cancel a notice that has not started airing; an OnAirError saying why when it is too late."""
    by = clean_name(by, "tên người hủy thông báo")
    item = notice_item(store, notice_id)
    with store.transaction() as conn:
        cur = conn.execute("UPDATE notices SET cancelled_at = ?, cancelled_by = ? WHERE id = ? "
                           "AND claimed_at IS NULL AND cancelled_at IS NULL", (now_utc(), by, notice_id))
        if cur.rowcount == 1:
            store.log(conn, by, "notice-cancel", None, f"thông báo {notice_id} ({PRIORITIES[item.priority]}): "
                      f"{item.title}")
            return item
        row = conn.execute("SELECT cancelled_at FROM notices WHERE id = ?", (notice_id,)).fetchone()
    if row["cancelled_at"]:
        raise OnAirError(f"{item.label} đã được hủy từ trước.")
    raise OnAirError(f"{item.label} đã phát (hoặc đang phát) nên không hủy được.")
