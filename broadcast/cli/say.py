"""``broadcast say``: one announcement read into an MP3 file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from broadcast import vnformat
from broadcast.cli.common import Sub, err, settings_from
from broadcast.errors import InputError


def cmd_say(args: argparse.Namespace) -> int:
    from broadcast.announce import SAY_MAX_CHARS, say

    settings = settings_from(args, need_config=False)
    text = args.text if args.text != "-" else _read_stdin(SAY_MAX_CHARS + 1)
    seconds, engine = say(text, args.output, settings)
    err(f"Đã tạo thông báo dài {vnformat.decimal(seconds)} giây (giọng {engine}).")
    print(args.output)
    return 0


def _read_stdin(limit: int) -> str:
    """At most ``limit`` characters of standard input (a longer text is refused, not read whole)."""
    try:
        return sys.stdin.read(limit)
    except UnicodeDecodeError as exc:
        raise InputError(f"Nội dung đưa vào qua stdin không phải văn bản UTF-8 (byte thứ {exc.start + 1}). "
                         f"Hãy lưu văn bản với bảng mã UTF-8.") from exc


def register(sub: Sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("say", parents=[common], help="đọc một thông báo thành tệp MP3")
    p.add_argument("text", help='nội dung thông báo ("-" để đọc từ stdin)')
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.mp3", help="tệp MP3 sẽ ghi")
    p.set_defaults(handler=cmd_say)
