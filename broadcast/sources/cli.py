"""``broadcast inbox import FILE.csv`` and ``broadcast inbox list``: citizens' questions."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from broadcast.cli.common import err, settings_from
from broadcast.sources.inbox import import_csv, pending_questions


def cmd_import(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    added, already = import_csv(settings.sources.inbox, args.file)
    err(f"Đã nhập {added} câu hỏi mới vào hộp thư ({already} câu đã có từ trước). "
        f"Xem các câu chưa trả lời: broadcast inbox list")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    waiting = pending_questions(settings)
    for q in waiting:
        when = f"{q.received:%d/%m/%Y}" if q.received else "không rõ ngày"
        who = ", ".join(p for p in (q.asker, q.place) if p)
        print(f"{q.id}\t{when}\t{who}\t{q.question}")
    err(f"{len(waiting)} câu hỏi đang chờ trả lời. Khi đã có câu trả lời, ghi mã câu hỏi vào "
        f"answers_inbox của mục hỏi đáp tương ứng.")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """``broadcast inbox import FILE.csv`` and ``broadcast inbox list``."""
    p = sub.add_parser("inbox", parents=[common], help="hộp thư câu hỏi của bà con")
    inbox_sub = p.add_subparsers(dest="inbox_command", required=True, metavar="LỆNH")
    q = inbox_sub.add_parser("import", parents=[common], help="nhập câu hỏi từ tệp CSV")
    q.add_argument("file", type=Path, metavar="FILE.csv",
                   help="tệp CSV có cột \"Câu hỏi\" (và Mã, Ngày, Người hỏi, Thôn)")
    q.set_defaults(handler=cmd_import)
    q = inbox_sub.add_parser("list", parents=[common], help="liệt kê các câu hỏi chưa được trả lời")
    q.set_defaults(handler=cmd_list)


