"""``broadcast normalize``: written text to its spoken form, a line at a time."""

from __future__ import annotations

import argparse
import sys

from broadcast.cli.common import Sub, settings_from


def cmd_normalize(args: argparse.Namespace) -> int:
    from broadcast.normalize import normalize
    from broadcast.pipeline import lexicon_for

    settings = settings_from(args, need_config=False)
    lexicon = lexicon_for(settings)
    dialect, day_prefix = settings.station.dialect, settings.station.day_prefix
    if args.text is not None:
        print(normalize(args.text, dialect=dialect, lexicon=lexicon, day_prefix=day_prefix).replace("\n", " "))
        return 0
    for line in sys.stdin:
        spoken = normalize(line.rstrip("\r\n"), dialect=dialect, lexicon=lexicon, day_prefix=day_prefix)
        print(spoken.replace("\n", " "), flush=True)
    return 0


def register(sub: Sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("normalize", parents=[common],
                       help="chuyển văn bản viết sang dạng đọc (một dòng vào, một dòng ra)")
    p.add_argument("text", nargs="?", help="văn bản cần chuyển (bỏ trống để đọc từng dòng từ stdin)")
    p.set_defaults(handler=cmd_normalize)
