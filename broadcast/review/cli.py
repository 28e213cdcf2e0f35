"""``broadcast review list|show|edit|approve|reject|password``, ``broadcast publish``, ``broadcast serve``.

Who acts is ``--by`` or the operating-system user; once accounts exist
(``broadcast users``) that name must be an active account whose role allows
the action, and the action is recorded under it.

``review edit`` writes the current script to a file with one
``## [segment-id] Title`` heading per segment, opens ``$EDITOR`` on it and
saves what changed. A file that cannot be mapped back to the segments is
refused with the line named; the editor's text is kept in a recovery file so
nothing written is lost.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from broadcast import severity
from broadcast.cli.common import err, settings_from
from broadcast.config import Settings
from broadcast.errors import ConfigError, ConflictError, FeedNotUpdated, ReviewError
from broadcast.files import write_text
from broadcast.models import Segment
from broadcast.review.accounts import command_line_actor
from broadcast.review.store import EpisodeRecord, SegmentRecord, Store
from broadcast.review.users_cli import add_password_command
from broadcast.review.workflow import STATE_NAMES, STATES

HEADING = re.compile(r"^## \[([a-z0-9][a-z0-9\-]*)\] ?(.*)$")


def episode_id(text: str) -> int:
    if not re.fullmatch(r"\d{1,9}", text.strip()):
        raise argparse.ArgumentTypeError(f"mã số phát không hợp lệ: {text!r} (phải là số nguyên, ví dụ 3)")
    return int(text)


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


def cmd_list(args: argparse.Namespace) -> int:
    from broadcast.review.unregistered import unregistered_lines

    settings = settings_from(args)
    with Store.open(settings) as store:
        records = store.episodes(args.state)
        for line in unregistered_lines(settings, store):
            err(line)
    if not records:
        err("Chưa có số phát nào. Hãy dựng một số bằng lệnh: broadcast build")
        return 0
    print(f"{'MÃ':>4}  {'NGÀY':10}  {'TRẠNG THÁI':14}  {'THỜI LƯỢNG':>10}  {'PB':>3}  CẢNH BÁO  THƯ MỤC")
    for r in records:
        print(f"{r.id:>4}  {r.date.isoformat():10}  {STATE_NAMES.get(r.state, r.state):14}  "
              f"{_duration(r.duration_s):>10}  {r.revision:>3}  {len(r.warnings):>8}  {r.folder.name}")
    return 0


def _print_safe(*parts: object, **kwargs: Any) -> None:
    """print() for stored text: never writes an escape code to the terminal, whatever an old database holds."""
    from broadcast.sources.text import hygiene

    print(*(hygiene(str(p), keep_newlines=True) for p in parts), **kwargs)


def cmd_show(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    with Store.open(settings) as store:
        r = store.get(args.id)
        segments = store.segments(r.id)
        approval = store.approval(r.id)
    _print_safe(f"Số phát mã {r.id} — {r.column} ngày {r.date:%d/%m/%Y}")
    _print_safe(f"Trạng thái: {STATE_NAMES.get(r.state, r.state)}; phiên bản {r.revision}; "
          f"thời lượng {_duration(r.duration_s)}")
    if r.updated_by:
        _print_safe(f"Lưu lần cuối: {r.updated_by} lúc {store.local_time(r.updated_at)}")
    if approval:
        _print_safe(f"Phê duyệt: {approval.by} lúc {store.local_time(approval.at)} (phiên bản {approval.revision})")
    waiting = [s.id for s in segments if not s.voiced]
    if waiting:
        _print_safe(f"Chưa lồng tiếng: {', '.join(waiting)} (sẽ được lồng tiếng khi broadcast serve/build chạy)")
    _print_safe(f"Thư mục: {r.folder}")
    for w in severity.ordered(r.warnings):
        _print_safe(f"Cảnh báo: {w}")
    for s in segments:
        _print_safe(f"\n## [{s.id}] {s.title}" + ("" if s.voiced else "  (chưa lồng tiếng)"))
        if s.text_revision > 1:
            _print_safe(f"Sửa lần cuối: {s.saved_by} lúc {store.local_time(s.saved_at)} (phiên bản {s.text_revision})")
        _print_safe(f"Viết:\n{s.text}")
        _print_safe(f"Đọc:\n{s.spoken}")
        if s.sources:
            _print_safe("Nguồn: " + "; ".join(s.sources))
        for w in s.warnings:
            _print_safe(f"Cảnh báo: {w}")
    return 0


# -- review edit ----------------------------------------------------------------------------------

def edit_text(record: EpisodeRecord, segments: list[SegmentRecord]) -> str:
    """The file the editor edits: a comment header, then one heading per segment."""
    lines = [f"<!-- Số phát mã {record.id}, phiên bản {record.revision}. Chỉ sửa chữ dưới mỗi tiêu đề "
             f"\"## [mã-đoạn] Tên\"; không đổi, xóa hay thêm tiêu đề. Lưu tệp rồi đóng trình soạn thảo. -->"]
    for s in segments:
        lines += ["", f"## [{s.id}] {s.title}", "", s.text.strip()]
    return "\n".join(lines) + "\n"


def parse_edit(text: str, expected: list[str], *, name: str) -> dict[str, str]:
    """Map the edited file back to segments, or ReviewError naming the line."""
    texts: dict[str, list[str]] = {}
    current: str | None = None
    in_comment = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if current is None and (in_comment or stripped.startswith("<!--")):
            in_comment = "-->" not in stripped
            continue
        if line.startswith("## "):
            match = HEADING.match(line)
            if not match:
                raise ReviewError(f"{name}, dòng {number}: tiêu đề \"{stripped[:60]}\" không đúng dạng "
                                  f"\"## [mã-đoạn] Tên\". Hãy giữ nguyên các tiêu đề.")
            seg = match.group(1)
            if seg not in expected:
                raise ReviewError(f"{name}, dòng {number}: không có đoạn \"{seg}\" trong số phát. "
                                  f"Các đoạn có: {', '.join(expected)}.")
            if seg in texts:
                raise ReviewError(f"{name}, dòng {number}: đoạn \"{seg}\" xuất hiện hai lần.")
            current = seg
            texts[seg] = []
            continue
        if current is None:
            if stripped:
                raise ReviewError(f"{name}, dòng {number}: có chữ trước tiêu đề đoạn đầu tiên. "
                                  f"Hãy viết nội dung bên dưới một tiêu đề \"## [mã-đoạn] Tên\".")
            continue
        texts[current].append(line)
    missing = [s for s in expected if s not in texts]
    if missing:
        raise ReviewError(f"{name}: thiếu tiêu đề của đoạn {', '.join(missing)}. "
                          f"Không được xóa tiêu đề; muốn bỏ cả số phát thì dùng lệnh review reject.")
    return {k: "\n".join(v).strip() for k, v in texts.items()}


def _recovery_file(settings: Settings, record: EpisodeRecord) -> Path:
    return settings.review.database.parent / "recovery" / f"episode-{record.id}-rev{record.revision}.md"


def cmd_edit(args: argparse.Namespace) -> int:
    from broadcast.review import voicing
    from broadcast.review.edits import SegmentEdit, conflict_summary, save_segments
    from broadcast.review.workflow import transition

    settings = settings_from(args)
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise ReviewError("Chưa đặt trình soạn thảo: hãy đặt biến môi trường EDITOR, ví dụ EDITOR=nano.")
    with Store.open(settings) as store:
        record = store.get(args.id)
        transition(record.state, "edit")
        segments = store.segments(record.id)   # each segment's base: the revision that last changed it
        original = edit_text(record, segments)
        fd, name = tempfile.mkstemp(prefix=f"so-phat-{record.id}-", suffix=".md")
        os.close(fd)
        path = Path(name)
        try:
            write_text(path, original)
            try:
                result = subprocess.run([*shlex.split(editor), str(path)], check=False)
            except OSError as exc:
                raise ReviewError(f"Không chạy được trình soạn thảo {editor!r}: {exc}. "
                                  f"Hãy kiểm tra biến EDITOR.") from exc
            edited = path.read_text(encoding="utf-8")
            recovery = _recovery_file(settings, record)
            if result.returncode != 0:
                kept = ""
                if edited != original:
                    write_text(recovery, edited)
                    kept = f" Bản đang sửa được giữ ở {recovery}."
                raise ReviewError(f"Trình soạn thảo kết thúc với mã lỗi {result.returncode}; không lưu gì.{kept}")
            if edited == original:
                err("Không có thay đổi nào.")
                return 0
            try:
                texts = parse_edit(edited, [s.id for s in segments], name=path.name)
                by = command_line_actor(store, args.by, "edit")
                bases = {s.id: s.text_revision for s in segments}
                saved = save_segments(settings, store, record.id,
                                      [SegmentEdit(k, v, bases[k]) for k, v in texts.items()], by=by)
            except ReviewError as exc:
                write_text(recovery, edited)
                raise type(exc)(f"{exc} Bản bạn vừa sửa được giữ ở {recovery}.") from exc
            except Exception:
                write_text(recovery, edited)
                err(f"Bản bạn vừa sửa được giữ ở {recovery}.")
                raise
        finally:
            path.unlink(missing_ok=True)
        if saved.saved:   # the text is committed: voicing is derived work, resumed at the next start if cut
            err(f"Đã lưu lời của {len(saved.saved)} đoạn ({', '.join(saved.saved)}), phiên bản "
                f"{saved.record.revision}; đang lồng tiếng…")

            def progress(k: int, n: int, segment: Segment, engine: str) -> None:
                err(f"[{k}/{n}] lồng tiếng đoạn {segment.id} — giọng {engine}")

            if voicing.run(settings, store, record.id, progress=progress) == voicing.BUSY:
                err("Một tiến trình khác đang lồng tiếng số phát này; các đoạn của bạn đang chờ lồng tiếng "
                    "và sẽ được làm tiếp.")
        if saved.conflicts:
            write_text(recovery, edited)
            raise ConflictError(f"{conflict_summary(store, saved)} Bản bạn vừa sửa được giữ ở {recovery}.")
        if not saved.saved:
            err("Không có thay đổi nào.")
            return 0
        final = store.get(record.id)
    err(f"Số phát mã {final.id}: phiên bản {final.revision}, trạng thái {STATE_NAMES[final.state]}.")
    print(final.folder)
    return 0


def cmd_repair(args: argparse.Namespace) -> int:
    from broadcast.review import voicing
    from broadcast.review.repair import mark_missing

    settings = settings_from(args)
    with Store.open(settings) as store:
        gone = mark_missing(store, args.id, by=command_line_actor(store, args.by, "edit"))
        if not gone and not voicing.pending(store, args.id):
            err(f"Số phát mã {args.id} không thiếu tệp âm thanh nào; không cần lồng tiếng lại.")
            return 0
        err(f"Đang lồng tiếng lại {len(gone)} đoạn thiếu tệp ({', '.join(gone)}) từ lời đã lưu…")

        def progress(k: int, n: int, segment: Segment, engine: str) -> None:
            err(f"[{k}/{n}] lồng tiếng đoạn {segment.id} — giọng {engine}")

        if voicing.run(settings, store, args.id, progress=progress, assemble=True) == voicing.BUSY:
            err("Một tiến trình khác đang lồng tiếng số phát này; các đoạn thiếu tệp sẽ được làm tiếp.")
            return 0
        final = store.get(args.id)
    err(f"Xong: số phát mã {final.id} đã đủ tệp âm thanh, trạng thái {STATE_NAMES[final.state]}; "
        f"hãy nghe lại rồi phê duyệt.")
    return 0


def cmd_approve(args: argparse.Namespace) -> int:
    from broadcast.review.workflow import approve

    settings = settings_from(args)
    with Store.open(settings) as store:
        by = command_line_actor(store, args.by, "approve")
        record = approve(settings, store, args.id, by=by, revision=args.revision)
    err(f"Đã phê duyệt số phát mã {record.id} ({record.folder.name}), phiên bản {record.revision} — "
        f"người duyệt: {by}.")
    return 0


def cmd_reject(args: argparse.Namespace) -> int:
    from broadcast.review.workflow import reject

    settings = settings_from(args)
    with Store.open(settings) as store:
        record = reject(settings, store, args.id, by=command_line_actor(store, args.by, "reject"), reason=args.reason)
    err(f"Đã từ chối số phát mã {record.id}: {args.reason}")
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from broadcast.review.publish import publish

    settings = settings_from(args)
    with Store.open(settings) as store:
        by = command_line_actor(store, args.by, "publish")
        try:
            target = publish(settings, store, args.id, by=by)
        except FeedNotUpdated as exc:  # the audio is on air: say so, and what is left to do
            err(f"Cảnh báo: {exc}")
            print(exc.target)
            return exc.exit_code
    err(f"Đã đưa số phát mã {args.id} lên thư mục phát sóng; danh sách phát và bản tin podcast đã cập nhật.")
    print(target)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from broadcast.review.web import serve

    settings = settings_from(args)
    host = args.host or settings.review.host
    port = args.port or settings.review.port
    serve(settings, host=host, port=port)
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("review", parents=[common], help="biên tập và phê duyệt các số phát")
    rs = p.add_subparsers(dest="review_command", required=True, metavar="LỆNH")

    q = rs.add_parser("list", parents=[common], help="danh sách số phát (mã, ngày, trạng thái, thời lượng, cảnh báo)")
    q.add_argument("--state", choices=STATES, help="chỉ các số ở trạng thái này")
    q.set_defaults(handler=cmd_list)

    q = rs.add_parser("show", parents=[common], help="xem lời viết và lời đọc của từng đoạn")
    q.add_argument("id", type=episode_id, help="mã số phát")
    q.set_defaults(handler=cmd_show)

    q = rs.add_parser("edit", parents=[common], help="sửa kịch bản bằng $EDITOR; chỉ đọc lại các đoạn đã sửa")
    q.add_argument("id", type=episode_id, help="mã số phát")
    q.add_argument("--by", metavar="TÊN", help="tài khoản người sửa (mặc định: tên người dùng máy)")
    q.set_defaults(handler=cmd_edit)

    q = rs.add_parser("repair", parents=[common],
                      help="lồng tiếng lại các đoạn bị mất tệp âm thanh (tệp bị xóa tay) từ lời đã lưu")
    q.add_argument("id", type=episode_id, help="mã số phát")
    q.add_argument("--by", metavar="TÊN", help="tài khoản người làm (mặc định: tên người dùng máy)")
    q.set_defaults(handler=cmd_repair)

    q = rs.add_parser("approve", parents=[common], help="phê duyệt số phát (đúng bản âm thanh hiện có)")
    q.add_argument("id", type=episode_id, help="mã số phát")
    q.add_argument("--by", metavar="TÊN", help="tài khoản người phê duyệt, vai trò phê duyệt hoặc quản trị "
                   "(mặc định: tên người dùng máy)")
    q.add_argument("--revision", required=True, type=episode_id, metavar="N",
                   help="phiên bản bạn đã nghe (xem bằng review show); số phát đã sửa sau đó thì không được duyệt")
    q.set_defaults(handler=cmd_approve)

    q = rs.add_parser("reject", parents=[common], help="từ chối số phát, ghi rõ lý do")
    q.add_argument("id", type=episode_id, help="mã số phát")
    q.add_argument("--by", metavar="TÊN", help="tài khoản người từ chối, vai trò phê duyệt hoặc quản trị "
                   "(mặc định: tên người dùng máy)")
    q.add_argument("--reason", required=True, metavar="LÝ_DO", help="lý do từ chối")
    q.set_defaults(handler=cmd_reject)

    add_password_command(rs, common, help="đổi mật khẩu một tài khoản (như broadcast users password)")

    p = sub.add_parser("publish", parents=[common], help="đưa số phát đã phê duyệt lên thư mục phát sóng")
    p.add_argument("id", type=episode_id, help="mã số phát")
    p.add_argument("--by", metavar="TÊN", help="tài khoản người phát sóng (mặc định: tên người dùng máy)")
    p.set_defaults(handler=cmd_publish)

    p = sub.add_parser("serve", parents=[common], help="mở trang web duyệt bài (mặc định 127.0.0.1:8080)")
    p.add_argument("--host", help="địa chỉ lắng nghe (khác 127.0.0.1 thì phải có tài khoản: broadcast users add)")
    p.add_argument("--port", type=int, help="cổng")
    p.set_defaults(handler=cmd_serve)


__all__ = ["ConfigError", "register"]
