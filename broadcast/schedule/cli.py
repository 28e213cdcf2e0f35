"""``broadcast schedule`` (run the jobs until stopped) and ``broadcast schedule --list``."""

from __future__ import annotations

import argparse

from broadcast.cli.common import DEFAULT_CONFIG, settings_from


def config_reference(args: argparse.Namespace) -> str:
    """The absolute config path the jobs will re-read at each run ("" = built-in defaults)."""
    if args.config is not None:
        return str(args.config.resolve())
    return str(DEFAULT_CONFIG.resolve()) if DEFAULT_CONFIG.exists() else ""


def cmd_schedule(args: argparse.Namespace) -> int:
    from broadcast.schedule.runner import format_listing, list_jobs, run
    from broadcast.schedule.timing import station_zone

    settings = settings_from(args)
    config = config_reference(args)
    if args.list:
        print(format_listing(list_jobs(settings, config), station_zone(settings)), end="")
        return 0
    return run(settings, config)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("schedule", parents=[common],
                       help="chạy tự động theo lịch trong mục [schedule]: dựng bản nháp, nhắc duyệt, phát số đã duyệt")
    p.add_argument("--list", action="store_true", help="chỉ in các công việc và lần chạy tới rồi thoát")
    p.set_defaults(handler=cmd_schedule)
