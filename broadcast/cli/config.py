"""``broadcast config show``: the effective settings with their help text."""

from __future__ import annotations

import argparse

from broadcast.cli.common import Sub, settings_from
from broadcast.config import render_settings


def cmd_config_show(args: argparse.Namespace) -> int:
    print(render_settings(settings_from(args, need_config=False)), end="")
    return 0


def register(sub: Sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("config", parents=[common], help="xem cấu hình")
    config_sub = p.add_subparsers(dest="config_command", required=True, metavar="LỆNH")
    q = config_sub.add_parser("show", parents=[common], help="in cấu hình đang có hiệu lực")
    q.set_defaults(handler=cmd_config_show)
