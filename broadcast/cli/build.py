"""``broadcast build``: gather, compose, voice and assemble the week's draft."""

from __future__ import annotations

import argparse

from broadcast import severity, vnformat
from broadcast.cli.common import Sub, describe, err, parse_date, settings_from, today
from broadcast.files import probe_writable
from broadcast.models import Segment


def cmd_build(args: argparse.Namespace) -> int:
    from broadcast.review.workflow import build_draft

    settings = settings_from(args)
    day = args.date or today(settings)
    probe_writable(settings.output.folder, what="thư mục ra (mục [output] folder)")  # fail before gathering

    def progress(k: int, n: int, segment: Segment, engine: str) -> None:
        err(f"[{k}/{n}] {segment.title[:60]} — giọng {engine}")

    shown: set[str] = set()

    def log(message: str) -> None:
        shown.add(message)
        err(message)

    err(describe(settings))
    err(f"Đang dựng chuyên mục \"{settings.column.title}\" ngày {day:%d/%m/%Y}…")
    record = build_draft(settings, day, progress=progress, log=log)
    if record is None:  # skipped: an approved/published episode of that day stands; name it
        from broadcast.review.store import Store

        with Store.open(settings) as store:
            standing = [r for r in store.for_date(day) if r.state in ("approved", "published")]
        if standing:
            print(standing[-1].folder)
        return 0
    grave = severity.count_serious(record.warnings)
    for warning in severity.ordered(record.warnings):
        if severity.is_serious(warning) or f"Cảnh báo: {warning}" not in shown:
            err(f"Cảnh báo: {warning}")
    tally = f"{len(record.warnings)} cảnh báo" + (f", trong đó {grave} nghiêm trọng" if grave else "")
    err(f"Xong: số phát mã {record.id} (bản nháp, chờ biên tập viên duyệt), {vnformat.duration(record.duration_s)}; "
        f"{tally}. Tệp chương trình: {record.program}")
    print(record.folder)
    if grave:
        err(f"Có cảnh báo nghiêm trọng: hãy xem và sửa trước khi duyệt (mã thoát {severity.EXIT_SERIOUS}).")
        return severity.EXIT_SERIOUS
    return 0


def register(sub: Sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("build", parents=[common], help="dựng số phát của tuần thành một thư mục có program.mp3")
    p.add_argument("--date", type=parse_date, help="ngày phát, dạng ngày/tháng/năm như 27/11/2026 (mặc định: hôm nay)")
    p.set_defaults(handler=cmd_build)
