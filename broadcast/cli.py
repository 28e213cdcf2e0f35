"""Command line: ``broadcast build``, ``say``, ``normalize``, ``config show``.

This is the one boundary where errors become a single Vietnamese line and a
non-zero exit (2 for configuration errors); ``--verbose`` shows the traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from broadcast import oserrors, vnformat
from broadcast.config import Settings, load_settings, render_settings
from broadcast.errors import BroadcastError, ConfigError
from broadcast.models import Segment

DEFAULT_CONFIG = Path("config.toml")


def err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def settings_from(args: argparse.Namespace) -> Settings:
    explicit = args.config is not None
    return load_settings(args.config if explicit else DEFAULT_CONFIG, must_exist=explicit)


def today(settings: Settings) -> dt.date:
    return dt.datetime.now(ZoneInfo(settings.station.timezone)).date()


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"ngày không hợp lệ: {text!r} (dạng đúng: YYYY-MM-DD, ví dụ 2026-11-27)") from None


def cmd_build(args: argparse.Namespace) -> int:
    from broadcast.review.workflow import build_draft

    settings = settings_from(args)
    day = args.date or today(settings)

    def progress(k: int, n: int, segment: Segment, engine: str) -> None:
        err(f"[{k}/{n}] {segment.title[:60]} — giọng {engine}")

    shown: set[str] = set()

    def log(message: str) -> None:
        shown.add(message)
        err(message)

    err(f"Đang dựng chuyên mục \"{settings.column.title}\" ngày {day:%d/%m/%Y}…")
    record = build_draft(settings, day, progress=progress, log=log)
    if record is None:  # skipped: an approved/published episode of that day stands; name it
        from broadcast.review.store import Store

        with Store.open(settings) as store:
            standing = [r for r in store.for_date(day) if r.state in ("approved", "published")]
        if standing:
            print(standing[-1].folder)
        return 0
    for warning in record.warnings:
        if f"Cảnh báo: {warning}" not in shown:
            err(f"Cảnh báo: {warning}")
    err(f"Xong: số phát mã {record.id} (bản nháp, chờ biên tập viên duyệt), {vnformat.duration(record.duration_s)}; "
        f"{len(record.warnings)} cảnh báo. Tệp chương trình: {record.program}")
    print(record.folder)
    return 0


def cmd_say(args: argparse.Namespace) -> int:
    from broadcast.pipeline import say

    settings = settings_from(args)
    text = args.text if args.text != "-" else sys.stdin.read()
    seconds, engine = say(text, args.output, settings)
    err(f"Đã tạo thông báo dài {vnformat.decimal(seconds)} giây (giọng {engine}).")
    print(args.output)
    return 0


def cmd_normalize(args: argparse.Namespace) -> int:
    from broadcast.normalize import normalize
    from broadcast.pipeline import lexicon_for

    settings = settings_from(args)
    lexicon = lexicon_for(settings)
    dialect = settings.station.dialect
    if args.text is not None:
        print(normalize(args.text, dialect=dialect, lexicon=lexicon).replace("\n", " "))
        return 0
    for line in sys.stdin:
        print(normalize(line.rstrip("\r\n"), dialect=dialect, lexicon=lexicon).replace("\n", " "), flush=True)
    return 0


def cmd_config_show(args: argparse.Namespace) -> int:
    print(render_settings(settings_from(args)), end="")
    return 0


Handler = Callable[[argparse.Namespace], int]


def make_parser() -> argparse.ArgumentParser:
    def global_options(target: argparse.ArgumentParser, default: object) -> None:
        target.add_argument("--config", type=Path, metavar="PATH", default=default,
                            help="tệp cấu hình TOML (mặc định: ./config.toml nếu có, nếu không dùng cấu hình mẫu)")
        target.add_argument("--verbose", "-v", action="store_true", default=default,
                            help="in chi tiết lỗi (traceback)")

    # The sub-commands' copy uses SUPPRESS, so an option given before the sub-command is kept.
    common = argparse.ArgumentParser(add_help=False)
    global_options(common, argparse.SUPPRESS)
    parser = argparse.ArgumentParser(
        prog="broadcast",
        description="Dựng chuyên mục cải cách hành chính cho Đài truyền thanh xã: thu thập nguồn tin, "
                    "viết kịch bản, đọc thành tiếng và xuất tệp MP3 sẵn sàng phát sóng.")
    global_options(parser, None)
    parser.set_defaults(verbose=False)
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")

    p = sub.add_parser("build", parents=[common], help="dựng số phát của tuần thành một thư mục có program.mp3")
    p.add_argument("--date", type=parse_date, help="ngày phát, dạng YYYY-MM-DD (mặc định: hôm nay)")
    p.set_defaults(handler=cmd_build)

    p = sub.add_parser("say", parents=[common], help="đọc một thông báo thành tệp MP3")
    p.add_argument("text", help='nội dung thông báo ("-" để đọc từ stdin)')
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.mp3", help="tệp MP3 sẽ ghi")
    p.set_defaults(handler=cmd_say)

    p = sub.add_parser("normalize", parents=[common],
                       help="chuyển văn bản viết sang dạng đọc (một dòng vào, một dòng ra)")
    p.add_argument("text", nargs="?", help="văn bản cần chuyển (bỏ trống để đọc từng dòng từ stdin)")
    p.set_defaults(handler=cmd_normalize)

    p = sub.add_parser("config", parents=[common], help="xem cấu hình")
    config_sub = p.add_subparsers(dest="config_command", required=True, metavar="LỆNH")
    q = config_sub.add_parser("show", parents=[common], help="in cấu hình đang có hiệu lực")
    q.set_defaults(handler=cmd_config_show)
    for register in _extensions():
        register(sub, common)
    return parser


def _extensions() -> list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser], argparse.ArgumentParser],
                                   None]]:
    """Command groups that live beside their stage (review, publish, serve, schedule).

    Each module exposes ``register(sub, common)`` adding its sub-commands with
    ``parents=[common]`` and ``set_defaults(handler=...)``.
    """
    from broadcast.review.cli import register as review
    from broadcast.schedule.cli import register as schedule
    from broadcast.sources import inbox

    return [review, schedule, inbox.register]


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        code = handler(args)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        return _closed_pipe()
    except BroadcastError as exc:
        return _fail(args, str(exc), exc.exit_code)
    except KeyboardInterrupt:
        err("Đã dừng theo yêu cầu.")
        return 130
    except OSError as exc:  # the disk said no: one line naming the file, whatever the command
        return _fail(args, oserrors.message(exc), 1)
    except sqlite3.Error as exc:
        if oserrors.is_disk_condition(exc):
            return _fail(args, str(oserrors.sqlite_problem(exc, "của mục [review] database")), 1)
        return _fail(args, f"Cơ sở dữ liệu báo lỗi: {exc}. Chạy lại với --verbose để xem chi tiết.", 1)
    except Exception as exc:  # a bug: say so plainly, keep the details for --verbose
        return _fail(args, f"Lỗi không mong đợi: {type(exc).__name__}: {exc}. "
                           f"Chạy lại với --verbose để xem chi tiết.", 1, prefix="")


def _fail(args: argparse.Namespace, message: str, code: int, *, prefix: str = "Lỗi: ") -> int:
    if args.verbose:
        traceback.print_exc()
    try:
        err(f"{prefix}{message}")
    except BrokenPipeError:
        pass
    return code


def _closed_pipe() -> int:
    """The reader went away (``broadcast review list | head``): stop quietly, as a shell tool does."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 141  # 128 + SIGPIPE, what the shell reports for a tool stopped by a closed pipe


__all__ = ["ConfigError", "main"]
