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


def cmd_install(args: argparse.Namespace) -> int:
    from broadcast.schedule import install

    settings = settings_from(args)
    assert settings.source_file is not None   # settings_from refuses to run without a config file
    service = install.service_for(settings.source_file, settings.station.commune)
    act = install.install if args.schedule_command == "install" else install.uninstall
    for line in act(service, args.system or install.this_system()):
        print(line)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("schedule", parents=[common],
                       help="chạy tự động theo lịch trong mục [schedule]: dựng bản nháp, nhắc duyệt, phát số đã duyệt")
    p.add_argument("--list", action="store_true", help="chỉ in các công việc và lần chạy tới rồi thoát")
    p.set_defaults(handler=cmd_schedule)
    actions = p.add_subparsers(dest="schedule_command", metavar="VIỆC")
    for name, text in (("install", "cài lịch để tự chạy khi bật máy (Task Scheduler trên Windows, systemd trên Linux)"),
                       ("uninstall", "gỡ lịch tự chạy đã cài")):
        q = actions.add_parser(name, parents=[common], help=text)
        q.add_argument("--system", choices=("windows", "linux"),
                       help="hệ điều hành (mặc định: máy đang dùng); để tạo sẵn tệp cho máy khác")
        q.set_defaults(handler=cmd_install)
