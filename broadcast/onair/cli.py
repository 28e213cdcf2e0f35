"""``broadcast air``, ``notice``, ``aired`` and ``report``: playout by hand, notices, the log, the quarter."""

from __future__ import annotations

import argparse
import datetime as dt
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from broadcast.cli.common import err, parse_date, settings_from
from broadcast.config import Settings
from broadcast.errors import OnAirError

if TYPE_CHECKING:
    from broadcast.onair.playout import Report
    from broadcast.review.store import Store


def _store(args: argparse.Namespace) -> tuple[Settings, Store]:
    from broadcast.review.store import Store

    settings = settings_from(args)
    return settings, Store.open(settings)


def _print_report(report: Report) -> int:
    from broadcast.onair.log import OUTPUT_LABELS, RESULTS

    for r in report.results:
        err(f"  {OUTPUT_LABELS.get(r.output, r.output)}: {RESULTS.get(r.result, r.result)}, {r.seconds:.0f} giây, "
            f"{r.attempts} lần thử{': ' + r.detail if r.detail and r.result != 'played' else ''}")
    if not report.results:
        err("Không có đầu ra nào được cấu hình (mục [onair] outputs).")
    return 0 if report.played else 1


def cmd_air(args: argparse.Namespace) -> int:
    from broadcast.onair.items import URGENT, claim, episode_item, notice_item
    from broadcast.onair.log import AsPlayedLog
    from broadcast.onair.outputs import make_outputs
    from broadcast.onair.outputs.soundcard import devices
    from broadcast.onair.playout import ON_AIR
    from broadcast.onair.slot import retry_of
    from broadcast.schedule.timing import next_fire, spoken_time, station_zone

    settings = settings_from(args)
    if args.devices:
        for name in devices(settings.onair.backend):
            print(name)
        return 0
    if args.id is None and args.notice is None:
        raise OnAirError("Hãy cho mã số phát (broadcast air 3) hoặc mã thông báo (broadcast air --notice 2).")
    from broadcast.review.store import Store

    store = Store.open(settings)
    item = notice_item(store, args.notice) if args.notice is not None else episode_item(
        settings.review.onair, store, args.id)
    outputs = make_outputs(settings)
    if not outputs:
        raise OnAirError("Chưa có đầu ra phát sóng nào: hãy điền mục [onair] outputs, ví dụ outputs = [\"soundcard\"].")
    if not args.now:
        zone = station_zone(settings)
        when = next_fire(settings.schedule.publish, zone, dt.datetime.now(zone))
        if when is None:
            raise OnAirError("Không có giờ phát nào trong [schedule] publish. Dùng --now để phát ngay.")
        err(f"Sẽ phát {item.label} lúc {spoken_time(when)} (giờ phát tiếp theo). Nhấn Ctrl-C để hủy.")
        threading.Event().wait(max(0.0, (when - dt.datetime.now(zone)).total_seconds()))
    if item.kind == "notice" and not claim(store, item):
        from broadcast.onair.airtime import state_of

        if state_of(store, item.ref_id).cancelled_at:
            raise OnAirError(f"{item.label} đã bị hủy nên không phát.")
        raise OnAirError(f"{item.label} đã được phát (hoặc đang phát) ở nơi khác; mỗi thông báo chỉ phát một lần.")
    err(f"Đang phát {item.label} trên {', '.join(o.label for o in outputs)}…")
    report = ON_AIR.air(item, outputs, AsPlayedLog(store), retry=retry_of(settings), urgent=item.priority == URGENT)
    return _print_report(report)


def cmd_notice_add(args: argparse.Namespace) -> int:
    from broadcast.onair.airtime import AT, BY_PRIORITY, NOW, parse_when
    from broadcast.onair.items import PRIORITIES, add_notice, priority_key
    from broadcast.schedule.timing import spoken_time, station_zone

    settings, store = _store(args)
    priority = priority_key(args.priority)
    air_at = parse_when(AT if args.at else NOW if args.now else BY_PRIORITY, args.at or "", station_zone(settings))
    item = add_notice(store, args.file, title=args.title, priority=priority, by=args.by, air_at=air_at)
    when = {"khan-cap": "phát ngay khi bộ lập lịch thấy (vài giây), ngắt chương trình đang phát",
            "uu-tien": "phát ở giờ phát tiếp theo, trước chuyên mục",
            "thuong": "phát ở giờ phát tiếp theo, sau chuyên mục"}[item.priority]
    if air_at is not None:
        when = f"bộ lập lịch sẽ phát lúc {spoken_time(air_at)}"
    err(f"Đã ghi thông báo mã {item.ref_id} ({PRIORITIES[item.priority]}, {item.duration_s:.0f} giây): {when}.")
    print(item.ref_id)
    return 0


def cmd_notice_list(args: argparse.Namespace) -> int:
    from broadcast.onair.airtime import describe, states
    from broadcast.onair.items import PRIORITIES
    from broadcast.schedule.timing import next_fire, station_zone

    settings, store = _store(args)
    zone = station_zone(settings)
    next_slot = next_fire(settings.schedule.publish, zone, dt.datetime.now(zone))
    found = list(reversed(states(store, limit=1_000_000)))
    if not found:
        print("Chưa có thông báo nào.")
    for s in found:
        i = s.item
        print(f"{i.ref_id:>4}  {PRIORITIES[i.priority]:<9} {i.duration_s:>5.0f} giây  {i.title} — "
              f"{describe(s, zone, next_slot)}")
    return 0


def cmd_notice_cancel(args: argparse.Namespace) -> int:
    from broadcast.onair.airtime import cancel

    _settings, store = _store(args)
    item = cancel(store, args.id, by=args.by)
    err(f"Đã hủy {item.label}: thông báo này sẽ không được phát.")
    return 0


def cmd_aired(args: argparse.Namespace) -> int:
    from broadcast.onair.export import text, write_csv, write_xlsx
    from broadcast.onair.log import AsPlayedLog

    settings, store = _store(args)
    rows = AsPlayedLog(store).rows(args.since, args.until)
    if args.csv:
        write_csv(rows, args.csv)
        err(f"Đã ghi {len(rows)} dòng nhật ký vào {args.csv}")
    if args.xlsx:
        write_xlsx(rows, args.xlsx, title=f"Nhật ký phát sóng — {settings.station.name}")
        err(f"Đã ghi {len(rows)} dòng nhật ký vào {args.xlsx}")
    if not args.csv and not args.xlsx:
        print(text(rows), end="")
    return 0


def parse_quarter(text: str) -> tuple[int, int]:
    parts = text.strip().split("/")
    if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit() and 1 <= int(parts[0]) <= 4:
        return int(parts[0]), int(parts[1])
    raise argparse.ArgumentTypeError(f"quý không hợp lệ: {text!r} (dạng đúng: QUÝ/NĂM, ví dụ 4/2026)")


def cmd_report(args: argparse.Namespace) -> int:
    from broadcast.onair.report import gather, write_docx, write_xlsx

    settings, store = _store(args)
    quarter, year = args.quy
    report = gather(settings, store, quarter, year)
    folder = args.output or settings.output.folder / "bao-cao"
    stem = f"bao-cao-cchc-quy-{quarter}-{year}"
    write_docx(report, folder / f"{stem}.docx")
    write_xlsx(report, folder / f"{stem}.xlsx")
    err(f"Quý {quarter}/{year}: {report.airings} lượt phát chuyên mục, {report.minutes:.0f} phút; "
        f"{len(report.notices)} thông báo khẩn cấp.")
    print(folder / f"{stem}.docx")
    print(folder / f"{stem}.xlsx")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("air", parents=[common],
                       help="phát một số phát đã xuất bản (hoặc một thông báo) ra loa vào giờ phát tiếp theo, "
                            "hoặc ngay với --now")
    p.add_argument("id", nargs="?", type=int, help="mã số phát (xem: broadcast review list)")
    p.add_argument("--notice", type=int, metavar="MÃ", help="phát thông báo có mã này thay cho số phát")
    p.add_argument("--now", action="store_true", help="phát ngay, không chờ giờ phát trong [schedule] publish")
    p.add_argument("--devices", action="store_true", help="liệt kê các card âm thanh rồi thoát")
    p.set_defaults(handler=cmd_air)

    p = sub.add_parser("notice", parents=[common], help="thông báo phát kèm chuyên mục: thường, ưu tiên, khẩn cấp")
    notice_sub = p.add_subparsers(dest="notice_command", required=True, metavar="LỆNH")
    q = notice_sub.add_parser("add", parents=[common], help="ghi một thông báo MP3 đã duyệt để phát")
    q.add_argument("file", type=Path, help="tệp MP3 của thông báo (tạo bằng broadcast say \"…\" -o tệp.mp3)")
    q.add_argument("--title", required=True, help="tiêu đề thông báo (ghi vào nhật ký phát sóng)")
    q.add_argument("--priority", "--muc", default="thường",
                   help="mức ưu tiên: thường (sau chuyên mục), ưu tiên (trước chuyên mục), khẩn cấp (phát ngay)")
    q.add_argument("--by", required=True, metavar="HỌ_TÊN", help="người duyệt thông báo")
    when = q.add_mutually_exclusive_group()
    when.add_argument("--luc", "--at", dest="at", metavar="\"NGÀY/THÁNG/NĂM GIỜ:PHÚT\"",
                      help="phát đúng giờ này (giờ tại xã), ví dụ --luc \"05/12/2026 07:30\"; "
                           "bộ lập lịch (broadcast schedule) phát")
    when.add_argument("--ngay", "--now", dest="now", action="store_true",
                      help="phát ngay khi bộ lập lịch thấy, kể cả thông báo thường và ưu tiên")
    q.set_defaults(handler=cmd_notice_add)
    q = notice_sub.add_parser("list", parents=[common], help="liệt kê các thông báo: sẽ phát lúc nào, đã phát lúc nào")
    q.set_defaults(handler=cmd_notice_list)
    q = notice_sub.add_parser("cancel", parents=[common], help="hủy một thông báo chưa phát (sẽ không phát nữa)")
    q.add_argument("id", type=int, metavar="MÃ", help="mã thông báo (xem: broadcast notice list)")
    q.add_argument("--by", required=True, metavar="HỌ_TÊN", help="người hủy thông báo")
    q.set_defaults(handler=cmd_notice_cancel)

    p = sub.add_parser("aired", parents=[common], help="nhật ký phát sóng: những gì đã thực sự phát; xuất CSV/XLSX")
    p.add_argument("--from", dest="since", type=parse_date, help="từ ngày, dạng YYYY-MM-DD")
    p.add_argument("--to", dest="until", type=parse_date, help="đến ngày, dạng YYYY-MM-DD")
    p.add_argument("--csv", type=Path, metavar="TỆP.csv", help="ghi nhật ký ra tệp CSV")
    p.add_argument("--xlsx", type=Path, metavar="TỆP.xlsx", help="ghi nhật ký ra tệp Excel")
    p.set_defaults(handler=cmd_aired)

    p = sub.add_parser("report", parents=[common], help="báo cáo quý của chuyên mục (DOCX và XLSX)")
    p.add_argument("--quy", type=parse_quarter, required=True, metavar="QUÝ/NĂM", help="quý cần báo cáo, ví dụ 4/2026")
    p.add_argument("-o", "--output", type=Path, metavar="THƯ_MỤC",
                   help="thư mục ghi báo cáo (mặc định: <output.folder>/bao-cao)")
    p.set_defaults(handler=cmd_report)
