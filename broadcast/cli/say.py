"""``broadcast say``: one announcement read into an MP3 file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from broadcast import vnformat
from broadcast.cli.common import Sub, err, settings_from


def cmd_say(args: argparse.Namespace) -> int:
    from broadcast.announce import say

    settings = settings_from(args)
    text = args.text if args.text != "-" else sys.stdin.read()
    seconds, engine = say(text, args.output, settings)
    err(f"Đã tạo thông báo dài {vnformat.decimal(seconds)} giây (giọng {engine}).")
    print(args.output)
    return 0


def register(sub: Sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("say", parents=[common], help="đọc một thông báo thành tệp MP3")
    p.add_argument("text", help='nội dung thông báo ("-" để đọc từ stdin)')
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.mp3", help="tệp MP3 sẽ ghi")
    p.set_defaults(handler=cmd_say)
