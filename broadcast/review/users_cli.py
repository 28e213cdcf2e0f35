"""``broadcast users add|list|disable|enable|password``: the personal accounts of the review site.

Passwords are asked twice without echo, or read from one line of standard
input with ``--mat-khau-tu-stdin`` (for scripts); they are never arguments,
which other users of the PC could read in the process list. Changing a
password or disabling an account ends its open sessions at once.

These commands need write access to the review database, which is owner-only
(0600): whoever may run them on the PC manages the accounts.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from broadcast.cli.common import err, settings_from
from broadcast.errors import ReviewError
from broadcast.review.accounts import ROLE_ARGS, ROLES, Accounts, local_user, role_of
from broadcast.review.store import Store


def read_password(args: argparse.Namespace, name: str) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        if not line:
            raise ReviewError("Không đọc được mật khẩu từ đầu vào chuẩn (trống); mật khẩu chưa được lưu.")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise ReviewError("Không có bàn phím để nhập mật khẩu. Trong tập lệnh, hãy dùng --mat-khau-tu-stdin "
                          "và đưa mật khẩu vào đầu vào chuẩn.")
    first = getpass.getpass(f"Mật khẩu mới cho tài khoản {name}: ")
    second = getpass.getpass("Nhập lại mật khẩu: ")
    if first != second:
        raise ReviewError("Hai lần nhập mật khẩu không khớp; mật khẩu chưa được lưu.")
    return first


def _accounts(args: argparse.Namespace) -> Accounts:
    return Accounts(Store.open(settings_from(args)))


def by() -> str:
    return f"lệnh của {local_user()}"


def cmd_add(args: argparse.Namespace) -> int:
    accounts = _accounts(args)
    role = role_of(args.role)
    if accounts.get(args.name) is not None:  # before asking for a password that would be thrown away
        raise ReviewError(f"Tài khoản \"{args.name}\" đã có. Muốn đổi mật khẩu: broadcast users password {args.name}")
    account = accounts.add(args.name, role, read_password(args, args.name), full_name=args.full_name or "", by=by())
    err(f"Đã tạo tài khoản {account.name} ({account.role_name}). Từ nay trang duyệt bài cần đăng nhập.")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    accounts = _accounts(args).all()
    if not accounts:
        err("Chưa có tài khoản nào: trang duyệt bài chỉ mở trên máy này (127.0.0.1), không cần đăng nhập. "
            "Tạo tài khoản: broadcast users add TÊN --vai-tro quan-tri")
        return 0
    print(f"{'TÊN ĐĂNG NHẬP':16}  {'VAI TRÒ':10}  {'TRẠNG THÁI':10}  {'TẠO LÚC':25}  HỌ TÊN")
    for a in accounts:
        print(f"{a.name:16}  {a.role_name:10}  {'đã khóa' if a.disabled else 'đang dùng':10}  {a.created_at:25}  "
              f"{a.full_name}")
    return 0


def cmd_disable(args: argparse.Namespace) -> int:
    account = _accounts(args).set_disabled(args.name, True, by=by())
    err(f"Đã khóa tài khoản {account.name}; mọi phiên đăng nhập của tài khoản này đã kết thúc.")
    return 0


def cmd_enable(args: argparse.Namespace) -> int:
    account = _accounts(args).set_disabled(args.name, False, by=by())
    err(f"Đã mở lại tài khoản {account.name}.")
    return 0


def cmd_password(args: argparse.Namespace) -> int:
    accounts = _accounts(args)
    name = args.name or local_user()
    if not accounts.any():
        raise ReviewError("Chưa có tài khoản nào để đổi mật khẩu. Hãy tạo tài khoản: "
                          "broadcast users add TÊN --vai-tro quan-tri")
    account = accounts.require(name)
    accounts.set_password(account.name, read_password(args, account.name), by=by())
    err(f"Đã đổi mật khẩu của tài khoản {account.name} (chỉ lưu mã băm trong cơ sở dữ liệu); "
        f"các phiên đăng nhập cũ đã kết thúc.")
    return 0


def _password_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mat-khau-tu-stdin", "--password-stdin", dest="password_stdin", action="store_true",
                        help="đọc mật khẩu từ một dòng của đầu vào chuẩn (cho tập lệnh) thay vì hỏi hai lần")


def add_password_command(sub: Any, common: argparse.ArgumentParser, *, help: str) -> None:
    """``password [TÊN]``: also registered as ``broadcast review password`` for those used to it."""
    q = sub.add_parser("password", parents=[common], help=help)
    q.add_argument("name", nargs="?", metavar="TÊN", help="tên đăng nhập (mặc định: tên người dùng máy)")
    _password_flag(q)
    q.set_defaults(handler=cmd_password)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("users", parents=[common], help="tài khoản riêng của người dùng trang duyệt bài")
    us = p.add_subparsers(dest="users_command", required=True, metavar="LỆNH")
    roles = ", ".join(f"{arg} ({ROLES[role]})" for arg, role in ROLE_ARGS.items())

    q = us.add_parser("add", parents=[common], help="tạo tài khoản (hỏi mật khẩu hai lần)")
    q.add_argument("name", metavar="TÊN", help="tên đăng nhập: chữ thường không dấu, số, . _ - (ví dụ lan)")
    q.add_argument("--vai-tro", "--role", dest="role", required=True, metavar="VAI_TRÒ",
                   help=f"một trong: {roles}. Biên tập: sửa bài; phê duyệt: sửa và phê duyệt; "
                        f"quản trị: thêm cả quản lý tài khoản và cài đặt")
    q.add_argument("--ho-ten", "--full-name", dest="full_name", metavar="HỌ_TÊN",
                   help="họ tên đầy đủ, ghi kèm trong nhật ký và phê duyệt (ví dụ \"Nguyễn Thị Lan\")")
    _password_flag(q)
    q.set_defaults(handler=cmd_add)

    q = us.add_parser("list", parents=[common], help="danh sách tài khoản, vai trò và trạng thái")
    q.set_defaults(handler=cmd_list)

    q = us.add_parser("disable", parents=[common], help="khóa tài khoản; các phiên đăng nhập kết thúc ngay")
    q.add_argument("name", metavar="TÊN", help="tên đăng nhập")
    q.set_defaults(handler=cmd_disable)

    q = us.add_parser("enable", parents=[common], help="mở lại tài khoản đã khóa")
    q.add_argument("name", metavar="TÊN", help="tên đăng nhập")
    q.set_defaults(handler=cmd_enable)

    add_password_command(us, common, help="đổi mật khẩu; các phiên đăng nhập cũ kết thúc ngay")
