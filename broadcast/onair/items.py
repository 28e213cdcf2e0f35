"""What may air: an approved episode or an approved notice, with the checksum it was approved with.

Priorities follow the three levels of Thông tư 39/2020/TT-BTTTT for commune
loudspeaker systems: ``thuong`` takes its turn after the column, ``uu-tien``
plays at the next airing time before the column, ``khan-cap`` plays at once.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from broadcast.errors import OnAirError, StateError
from broadcast.files import sha256
from broadcast.review.publish import onair_name
from broadcast.review.store import Store, now_utc
from broadcast.review.workflow import APPROVED, PUBLISHED, clean_name

NORMAL, PRIORITY, URGENT = "thuong", "uu-tien", "khan-cap"
PRIORITIES = {NORMAL: "thường", PRIORITY: "ưu tiên", URGENT: "khẩn cấp"}
EPISODE, NOTICE = "episode", "notice"


@dataclass(frozen=True)
class Item:
    """One thing to air. ``sha256`` is the approved checksum; the file is checked against it just before."""

    kind: str
    ref_id: int
    title: str
    path: Path
    sha256: str
    priority: str = NORMAL
    duration_s: float = 0.0

    @property
    def label(self) -> str:
        what = "số phát" if self.kind == EPISODE else f"thông báo {PRIORITIES[self.priority]}"
        return f"{what} mã {self.ref_id} «{self.title}»"


def priority_key(text: str) -> str:
    """``khẩn cấp``, ``khan-cap``, ``Khẩn Cấp`` … → ``khan-cap``; anything else is an error naming the choices."""
    plain = unicodedata.normalize("NFD", text.strip().casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c)).replace("đ", "d").replace(" ", "-")
    plain = plain.replace("_", "-")
    if plain in PRIORITIES:
        return plain
    raise OnAirError(f"mức ưu tiên {text!r} không hợp lệ. Hãy chọn: thường, ưu tiên hoặc khẩn cấp.")


def episode_item(settings_onair: Path, store: Store, episode_id: int) -> Item:
    """A published episode as it airs: its on-air copy, with the checksum of its approval."""
    record = store.get(episode_id)
    if record.state == APPROVED:
        raise StateError(f"Số phát mã {episode_id} đã được duyệt nhưng chưa xuất bản lên thư mục phát sóng. "
                         f"Hãy chạy trước: broadcast publish {episode_id}")
    if record.state != PUBLISHED:
        raise StateError(f"Số phát mã {episode_id} đang ở trạng thái {record.state!r}, chưa được phê duyệt; "
                         f"không phát sóng. Hãy duyệt trước: broadcast review approve {episode_id} --by \"Họ tên\"")
    approval = store.approval(episode_id)
    if approval is None or not approval.sha256:
        raise StateError(f"Số phát mã {episode_id} chưa có phê duyệt hợp lệ; không phát sóng.")
    copy = settings_onair / onair_name(record)
    path = copy if copy.is_file() else record.program
    return Item(EPISODE, record.id, f"{record.column} {record.date:%d/%m/%Y}", path, approval.sha256,
                NORMAL, record.duration_s)


# --- notices -------------------------------------------------------------------------------------------

def add_notice(store: Store, path: Path, *, title: str, priority: str, by: str,
               air_at: dt.datetime | None = None) -> Item:
    """Record an approved notice (the approver names themself); its checksum is taken now.

    ``air_at`` (station-local, aware) is the time it must air (``onair.airtime``); None: by its priority.
    """
    from broadcast.onair.outputs.soundcard import duration_of

    by = clean_name(by, "tên người duyệt thông báo")
    title = clean_name(title, "tiêu đề thông báo")
    if not path.is_file():
        raise OnAirError(f"Không tìm thấy tệp thông báo {path}. Hãy tạo bằng: broadcast say \"…\" -o {path.name}")
    seconds = duration_of(path)
    digest = sha256(path)
    with store.transaction() as conn:
        cur = conn.execute("INSERT INTO notices (title, file, sha256, duration_s, priority, approved_by, approved_at, "
                           "air_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           (title, str(path.resolve()), digest, seconds, priority, by, now_utc(),
                            air_at.isoformat(timespec="seconds") if air_at else None))
        notice_id = int(cur.lastrowid or 0)
        store.log(conn, by, "notice-approve", None, f"thông báo {notice_id} ({PRIORITIES[priority]}): {title}, "
                  f"sha256 {digest}")
    return Item(NOTICE, notice_id, title, path.resolve(), digest, priority, seconds)


def _notice(row: object) -> Item:
    r = dict(row)  # type: ignore[call-overload]
    return Item(NOTICE, r["id"], r["title"], Path(r["file"]), r["sha256"], r["priority"], r["duration_s"])


def notices(store: Store, *, waiting_only: bool = False) -> list[Item]:
    query = "SELECT * FROM notices" + (" WHERE claimed_at IS NULL AND cancelled_at IS NULL" if waiting_only
                                       else "") + " ORDER BY id"
    with store.connection() as conn:
        return [_notice(r) for r in conn.execute(query).fetchall()]


def notice_item(store: Store, notice_id: int) -> Item:
    with store.connection() as conn:
        row = conn.execute("SELECT * FROM notices WHERE id = ?", (notice_id,)).fetchone()
    if row is None:
        raise OnAirError(f"Không có thông báo mã {notice_id}. Xem danh sách: broadcast notice list")
    return _notice(row)


def claim(store: Store, item: Item) -> bool:
    """Take a waiting notice for airing; False when another playout (or process) already took it."""
    with store.transaction() as conn:
        cur = conn.execute("UPDATE notices SET claimed_at = ? WHERE id = ? AND claimed_at IS NULL "
                           "AND cancelled_at IS NULL", (now_utc(), item.ref_id))
        return cur.rowcount == 1


def claim_waiting(store: Store, priority: str) -> list[Item]:
    """Every waiting notice of ``priority`` without a chosen time, claimed, oldest first."""
    with store.connection() as conn:
        rows = conn.execute("SELECT * FROM notices WHERE claimed_at IS NULL AND cancelled_at IS NULL "
                            "AND air_at IS NULL AND priority = ? ORDER BY id", (priority,)).fetchall()
    return [item for item in map(_notice, rows) if claim(store, item)]


def local_now(store: Store) -> dt.datetime:
    return dt.datetime.now(store.tz)
