"""``broadcast email password`` (store the SMTP password) and ``broadcast email test`` (send a reminder now)."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any


def cmd_password(args: argparse.Namespace) -> int:
    from broadcast.cli.common import settings_from
    from broadcast.errors import ConfigError
    from broadcast.notify.mail import save_password

    settings = settings_from(args)
    password = sys.stdin.readline().rstrip("\r\n") if args.stdin else getpass.getpass("Mật khẩu SMTP: ")
    if not password:
        raise ConfigError("Mật khẩu trống: chưa lưu gì. Hãy chạy lại và gõ mật khẩu của hộp thư gửi.")
    path = save_password(settings.email, password)
    print(f"Đã lưu mật khẩu SMTP vào {path} (chỉ tài khoản này đọc được).")
    return 0


def cmd_test(args: argparse.Namespace) -> int:
    from broadcast.cli.common import settings_from
    from broadcast.errors import ConfigError
    from broadcast.notify.mail import enabled, reminder, send
    from broadcast.review.store import Store
    from broadcast.schedule.timing import now, station_zone

    settings = settings_from(args)
    if not enabled(settings.email):
        raise ConfigError("Chưa bật nhắc việc qua thư: hãy điền email.smtp_host và email.to trong config.toml.")
    with Store.open(settings) as store:
        drafts = list(store.episodes("draft"))
    send(settings.email, reminder(settings, drafts, now(station_zone(settings))))
    print(f"Đã gửi thư nhắc việc ({len(drafts)} số phát chờ duyệt) tới {', '.join(settings.email.to)}.")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("email", parents=[common], help="nhắc việc qua thư điện tử: đặt mật khẩu SMTP, gửi thử")
    actions = p.add_subparsers(dest="email_command", required=True, metavar="VIỆC")
    q = actions.add_parser("password", parents=[common], help="lưu mật khẩu SMTP vào thư mục state (chỉ bạn đọc được)")
    q.add_argument("--stdin", action="store_true", help="đọc mật khẩu từ một dòng của stdin (cho kịch bản)")
    q.set_defaults(handler=cmd_password)
    q = actions.add_parser("test", parents=[common], help="gửi ngay thư nhắc việc về các bản nháp đang chờ duyệt")
    q.set_defaults(handler=cmd_test)
