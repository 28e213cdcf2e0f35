"""Publication: the approved programme to the on-air folder, the playlist and the podcast feed.

Only an approved episode (or one already published, to re-air it) is
published, and only if program.mp3 still has the sha256 recorded when it was
approved: what airs is exactly what the approver heard. The on-air name is
stable, ``<date>-<column slug>.mp3``, so a loudspeaker system can be pointed at it.

Every step leaves the on-air folder whole:
1. the programme is copied to a hidden temporary file *in* the on-air folder;
2. that copy's sha256 is checked against the approval (a file swapped or still
   changing during the copy fails here, and only the temporary file is removed);
3. the copy is renamed onto the on-air name (atomic: a player sees the old
   programme or the new one, never a half);
4. only then the playlist and the feed are rewritten, each atomically. If one
   of them cannot be written, the audio is still on air: ``FeedNotUpdated``
   says so, and what to do, rather than reporting a failed publication.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from broadcast import files
from broadcast.config import Settings
from broadcast.errors import FeedNotUpdated, ReviewError, StateError
from broadcast.files import sha256, write_text
from broadcast.oserrors import describe
from broadcast.output import episode_name
from broadcast.review.integrity import check_segments
from broadcast.review.store import EpisodeRecord, Store, now_utc
from broadcast.review.workflow import PUBLISHED, clean_name, sync_manifest, transition

COPY_BLOCK = 1 << 20


def onair_name(record: EpisodeRecord) -> str:
    return f"{episode_name(record.date, record.column)}.mp3"


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def stage_copy(source: Path, folder: Path, name: str) -> Path:
    """The approved programme's bytes in a hidden temporary file in the on-air folder."""
    return files.copy_to_temp(source, folder, name, block=COPY_BLOCK)


def put_on_air(source: Path, target: Path, expected_sha256: str) -> None:
    """Place exactly the approved bytes at ``target``; on any failure ``target`` is as it was."""
    try:
        tmp = stage_copy(source, target.parent, target.name)
    except OSError as exc:
        raise ReviewError(f"Không chép được chương trình vào thư mục phát sóng {target.parent}: "
                          f"{describe(exc, with_path=False)} Chương trình đang phát không bị thay đổi. "
                          f"Hãy kiểm tra mục [review] onair rồi phát sóng lại.") from exc
    try:
        if sha256(tmp) != expected_sha256:
            raise StateError(f"Bản chép của {source} không khớp bản đã duyệt (tệp bị thay đổi trong lúc chép). "
                             f"Không phát sóng; chương trình đang phát không bị thay đổi. Hãy nghe lại, "
                             f"phê duyệt lại rồi phát sóng lại.")
        os.replace(tmp, target)
    except OSError as exc:
        raise ReviewError(f"Không đưa được chương trình vào {target}: {describe(exc, with_path=False)} "
                          f"Chương trình đang phát không bị thay đổi. Hãy kiểm tra thư mục phát sóng "
                          f"rồi phát sóng lại.") from exc
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_folder(target.parent)


def publish(settings: Settings, store: Store, episode_id: int, *, by: str) -> Path:
    """Copy the approved programme on air; rewrite the playlist and the feed. Returns the on-air file."""
    by = clean_name(by, "tên người phát sóng")
    record = store.get(episode_id)
    transition(record.state, "publish")
    approval = store.approval(episode_id)
    if approval is None or not approval.sha256:
        raise StateError(f"Số phát mã {episode_id} chưa có phê duyệt hợp lệ; không thể phát sóng.")
    if not record.program.is_file():
        raise StateError(f"Không tìm thấy tệp chương trình {record.program}. Hãy dựng lại và phê duyệt lại.")
    check_segments(record, store.segments(episode_id))   # each segment file is still the one recorded
    digest = sha256(record.program)
    if digest != approval.sha256:
        with store.transaction() as conn:
            store.log(conn, by, "publish-refused", episode_id, f"sha256 {digest} ≠ đã duyệt {approval.sha256}")
        raise StateError(f"Tệp {record.program} đã bị thay đổi sau khi {approval.by} phê duyệt "
                         f"(mã kiểm tra không khớp). Không phát sóng. Hãy nghe lại và phê duyệt lại, "
                         f"hoặc dựng lại số phát.")
    target = settings.review.onair / onair_name(record)
    put_on_air(record.program, target, approval.sha256)
    day = store.local_today()
    with store.transaction() as conn:
        now = store._get(conn, episode_id)
        new_state = transition(now.state, "publish")
        conn.execute("INSERT INTO publications (episode_id, day, at, by_name, path, sha256) VALUES (?, ?, ?, ?, ?, ?)",
                     (episode_id, day.isoformat(), now_utc(), by, str(target), approval.sha256))
        conn.execute("UPDATE episodes SET state = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                     (new_state, now_utc(), by, episode_id))
        store.log(conn, by, "publish", episode_id, f"{target.name}, sha256 {approval.sha256}")
    sync_manifest(store.get(episode_id), published_at=now_utc(), onair_file=target.name)
    refresh_listings(settings, store, target)
    return target


def refresh_listings(settings: Settings, store: Store, target: Path) -> None:
    """Rewrite the playlist, then the feed; a failure says the audio is on air and what is left to do."""
    steps = (("danh sách phát", settings.review.playlist, write_playlist),
             ("bản tin podcast", settings.review.feed_file, write_feed))
    for what, name, write in steps:
        try:
            write(settings, store)
        except OSError as exc:
            raise FeedNotUpdated(
                f"Chương trình đã lên sóng ({target}), nhưng chưa cập nhật được {what} "
                f"{settings.review.onair / name}: {describe(exc, with_path=False)} Hãy sửa lỗi này rồi chạy "
                f"\"broadcast publish\" lại cho số phát này để cập nhật.", target=target) from exc


def to_air(store: Store) -> list[EpisodeRecord]:
    """Published episodes still to air: dated today or later, or (re-)published today; by date."""
    today = store.local_today()
    published_today = {p["episode_id"] for p in store.publications() if p["day"] == today.isoformat()}
    chosen = [r for r in store.episodes(PUBLISHED) if r.date >= today or r.id in published_today]
    return sorted(chosen, key=lambda r: (r.date, r.id))


def write_playlist(settings: Settings, store: Store) -> Path:
    """An extended M3U of what is to air, with paths relative to the on-air folder."""
    lines = ["#EXTM3U"]
    for record in to_air(store):
        lines.append(f"#EXTINF:{round(record.duration_s)},{record.column} {record.date:%d/%m/%Y}")
        lines.append(onair_name(record))
    path = settings.review.onair / settings.review.playlist
    write_text(path, "\n".join(lines) + "\n")
    return path


def write_feed(settings: Settings, store: Store, *, limit: int = 50) -> Path:
    """The podcast RSS feed of published episodes (newest first) for the commune website."""
    from feedgen.feed import FeedGenerator  # late: only publication needs it

    base = settings.review.base_url.rstrip("/") + "/"
    gen = FeedGenerator()
    gen.load_extension("podcast")
    gen.title(settings.review.feed_title)
    gen.link(href=base, rel="alternate")
    gen.description(f"{settings.column.title} — {settings.station.name}")
    gen.language("vi")
    gen.author({"name": settings.station.name})
    gen.podcast.itunes_category("Government")
    published = {p["episode_id"]: p for p in store.publications()}
    for record in reversed(store.episodes(PUBLISHED)[:limit]):
        name = onair_name(record)
        file = settings.review.onair / name
        size = file.stat().st_size if file.is_file() else 0
        pub = published.get(record.id)
        entry = gen.add_entry()
        entry.id(f"{base}{name}#{record.sha256[:16]}")
        entry.title(f"{record.column} {record.date:%d/%m/%Y}")
        titles = "; ".join(s.title for s in store.segments(record.id))
        entry.description(titles or record.column)
        entry.enclosure(f"{base}{name}", str(size), "audio/mpeg")
        when = dt.datetime.fromisoformat(pub["at"]) if pub else dt.datetime.now(dt.UTC)
        entry.pubDate(when)
        entry.podcast.itunes_duration(round(record.duration_s))
    path = settings.review.onair / settings.review.feed_file
    write_text(path, gen.rss_str(pretty=True).decode("utf-8"))
    return path
