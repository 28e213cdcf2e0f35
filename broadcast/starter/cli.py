"""``broadcast init [THƯ_MỤC]`` (a commune's own folder) and ``broadcast demo`` (the bundled sample)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from broadcast.errors import ConfigError
from broadcast.starter.answers import Answers, parse_days, parse_dialect, parse_minutes, parse_times

DEMO_DATE = dt.date(2026, 11, 27)   # the week the sample feed, statistics and FAQ were written for

QUESTIONS: list[tuple[str, str, str, Callable[[str], object]]] = [
    # (option attribute, question, default answer, parser)
    ("commune", "Tên xã (như đọc trên sóng)", "xã Đức Hạnh", str.strip),
    ("station", "Tên đài", "", str.strip),
    ("dialect", "Cách đọc số: bắc (nghìn, lẻ) hay nam (ngàn, linh)", "bắc", parse_dialect),
    ("times", "Giờ phát trong ngày, cách nhau bằng dấu phẩy", "05:30, 16:45", parse_times),
    ("days", "Các thứ phát trong tuần (2 = thứ Hai … 7 = thứ Bảy, CN)", "2,4,6", parse_days),
    ("minutes", "Thời lượng chuyên mục, phút", "10", parse_minutes),
]


def ask(args: argparse.Namespace) -> Answers:
    """Answers from the options; each missing one is asked (or its default taken with --yes)."""
    values: dict[str, object] = {}
    for name, question, default, parse in QUESTIONS:
        given = getattr(args, name)
        if given is None and (args.yes or (name == "station" and args.commune is not None)):
            given = default
        while given is None:
            shown = default or (f"Đài truyền thanh {values['commune']}" if name == "station" else "")
            try:
                reply = input(f"{question} [{shown}]: ")
            except EOFError:
                reply = ""
            try:
                values[name] = parse(reply.strip() or default)
                break
            except ConfigError as exc:
                print(exc, file=sys.stderr)
        else:
            values[name] = parse(given)
    return Answers(**values)  # type: ignore[arg-type]


def cmd_init(args: argparse.Namespace) -> int:
    from broadcast.config import load_settings
    from broadcast.starter.folder import write_folder

    folder: Path = args.folder
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"{folder} đã có và không phải là thư mục. Hãy chọn tên thư mục khác.")
    answers = ask(args)
    folder.mkdir(parents=True, exist_ok=True)
    written, kept = write_folder(folder, answers, today=dt.date.today())
    for path in written:
        print(f"Đã tạo {path}")
    for path in kept:
        print(f"Giữ nguyên {path} (đã có, không ghi đè)")
    load_settings(folder / "config.toml", must_exist=True)   # what we wrote (or kept) must load
    place = folder.resolve()
    print(f"""
Thư mục của {answers.commune} đã sẵn sàng: {place}
Ba bước tiếp theo:
  1. Mở {place / 'thong-ke.xlsx'} và ghi số liệu thật của Bộ phận Một cửa (mỗi tháng một dòng);
     thêm câu hỏi – đáp vào thư mục {place / 'faq'}.
  2. Chuyển vào thư mục đó và dựng thử:  cd "{place}"  rồi  broadcast build
  3. Mở trang duyệt bài để nghe và duyệt:  broadcast serve   (xem hướng dẫn trong README)""")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from broadcast.cli.common import describe, err
    from broadcast.config import load_settings
    from broadcast.models import Segment
    from broadcast.pipeline import build

    settings = load_settings(None)   # the bundled sample commune, working files under the current folder
    day = args.date or DEMO_DATE
    err(f"Bản mẫu: {describe(settings)}")

    def progress(k: int, n: int, segment: Segment, engine: str) -> None:
        err(f"[{k}/{n}] {segment.title[:60]} — giọng {engine}")

    episode = build(settings, day, progress=progress, log=err)
    err(f"Xong bản mẫu ngày {day:%d/%m/%Y}. Số phát thật của xã mình: hãy chạy \"broadcast init\".")
    print(episode.program)
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    from broadcast.cli.common import parse_date

    p = sub.add_parser("init", parents=[common],
                       help="tạo thư mục của xã: config.toml, ngân hàng hỏi đáp, mẫu thống kê "
                            "(không ghi đè tệp đã có)")
    p.add_argument("folder", type=Path, nargs="?", default=Path("."), metavar="THƯ_MỤC",
                   help="thư mục sẽ tạo (mặc định: thư mục hiện tại)")
    p.add_argument("--xa", dest="commune", metavar="TÊN", help="tên xã, ví dụ \"xã Đức Hạnh\"")
    p.add_argument("--dai", dest="station", metavar="TÊN", help="tên đài (mặc định: Đài truyền thanh + tên xã)")
    p.add_argument("--vung", dest="dialect", metavar="bắc|nam",
                   help="cách đọc số: bắc (nghìn, lẻ) hoặc nam (ngàn, linh)")
    p.add_argument("--gio-phat", dest="times", metavar="GIỜ", help="giờ phát, ví dụ \"05:30, 16:45\"")
    p.add_argument("--thu-phat", dest="days", metavar="THỨ", help="các thứ phát, ví dụ \"2,4,6\" (thứ Hai, Tư, Sáu)")
    p.add_argument("--thoi-luong", dest="minutes", metavar="PHÚT", help="thời lượng chuyên mục, phút (ví dụ 10)")
    p.add_argument("--yes", "-y", action="store_true", help="không hỏi: câu nào không có tùy chọn thì lấy mặc định")
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("demo", parents=[common],
                       help="dựng số phát mẫu của xã Đức Hạnh (để nghe thử) và in đường dẫn MP3")
    p.add_argument("--date", type=parse_date, help="ngày phát, ví dụ 27/11/2026 (mặc định: tuần của bản mẫu)")
    p.set_defaults(handler=cmd_demo)
