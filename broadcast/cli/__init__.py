"""Command line: the parser and the one boundary.

Each sub-command lives in a small module with ``register(sub, common)``: here
(build, say, normalize, config) or beside its stage (review, schedule, sources).
This is the one boundary where errors become a single Vietnamese line and a
non-zero exit (2 for configuration errors); ``--verbose`` shows the traceback.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import traceback
import typing
from collections.abc import Callable, Sequence
from pathlib import Path

from broadcast import argparse_vi, oserrors
from broadcast.cli.common import Handler, Sub, err
from broadcast.errors import BroadcastError, ConfigError

# argparse's own phrases, in Vietnamese (the values and names inside them stay as typed).
_ARGPARSE_WORDS = (("the following arguments are required:", "thiếu tham số bắt buộc:"),
                   ("unrecognized arguments:", "tham số không nhận ra:"), ("invalid choice:", "lựa chọn không hợp lệ:"),
                   ("(choose from", "(chọn một trong"), ("expected one argument", "cần một giá trị"),
                   ("invalid int value:", "không phải số nguyên:"), ("invalid float value:", "không phải số:"),
                   ("not allowed with argument", "không dùng cùng tham số"), ("argument ", "tham số "))


class Parser(argparse.ArgumentParser):
    """A usage mistake is one Vietnamese line and exit 2, like every other error."""

    def error(self, message: str) -> typing.NoReturn:
        for english, vietnamese in _ARGPARSE_WORDS:
            message = message.replace(english, vietnamese)
        self.exit(2, f"Lỗi: {self.prog}: {message}. Xem cách dùng: {self.prog} --help\n")


def make_parser() -> argparse.ArgumentParser:
    argparse_vi.install()
    def global_options(target: argparse.ArgumentParser, default: object) -> None:
        target.add_argument("--config", type=Path, metavar="PATH", default=default,
                            help="tệp cấu hình TOML (mặc định: config.toml trong thư mục hiện tại)")
        target.add_argument("--verbose", "-v", action="store_true", default=default,
                            help="in chi tiết lỗi (traceback)")

    # The sub-commands' copy uses SUPPRESS, so an option given before the sub-command is kept.
    common = argparse.ArgumentParser(add_help=False)
    global_options(common, argparse.SUPPRESS)
    parser = Parser(
        prog="broadcast",
        description="Dựng chuyên mục cải cách hành chính cho Đài truyền thanh xã: thu thập nguồn tin, "
                    "viết kịch bản, đọc thành tiếng và xuất tệp MP3 sẵn sàng phát sóng.")
    global_options(parser, None)
    parser.set_defaults(verbose=False)
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")

    for register in _extensions():
        register(sub, common)
    return parser


def _extensions() -> list[Callable[[Sub, argparse.ArgumentParser], None]]:
    """Every command group, one line each, in the order ``--help`` lists them.

    Each module exposes ``register(sub, common)`` adding its sub-commands with
    ``parents=[common]`` and ``set_defaults(handler=...)``.
    """
    from broadcast.cli import build, cache, config, lexicon, normalize, say
    from broadcast.notify.cli import register as email
    from broadcast.onair.cli import register as onair
    from broadcast.review.cli import register as review
    from broadcast.review.users_cli import register as users
    from broadcast.schedule.cli import register as schedule
    from broadcast.sources.cli import register as inbox
    from broadcast.starter.cli import register as starter

    return [build.register, say.register, normalize.register, lexicon.register, config.register, cache.register,
            starter, review, users, schedule, inbox, onair, email]


def main(argv: Sequence[str] | None = None) -> int:
    from broadcast.sources.text import hygiene

    parser = make_parser()
    # Arguments are text that enters like any other: no escape codes, bidi overrides or zero-width characters.
    args = parser.parse_args([hygiene(a, keep_newlines=True) for a in (sys.argv[1:] if argv is None else argv)])
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
