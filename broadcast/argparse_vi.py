"""argparse's own words ("usage:", "options", its error messages) in Vietnamese.

argparse looks every one of its messages up through the module-level ``_`` and
``ngettext`` names (the gettext hooks). ``install()`` points them at a small
Vietnamese catalogue; a message missing from it stays as argparse wrote it.
Usage errors that ``cli.Parser.error`` rewrites itself (unrecognized arguments,
invalid choice, invalid values, required arguments) are left to it.
"""

from __future__ import annotations

import argparse

CATALOGUE: dict[str, str] = {
    "usage: ": "cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "optional arguments": "tùy chọn",
    "show this help message and exit": "in hướng dẫn này rồi thoát",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "ignored explicit argument %r": "tham số %r bị bỏ qua",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "ambiguous option: %(option)s could match %(matches)s":
        "tùy chọn %(option)s không rõ: có thể là %(matches)s",
    "unexpected option string: %s": "tùy chọn không mong đợi: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "không có lệnh %(parser_name)r (các lệnh: %(choices)s)",
    "can't open '%(filename)s': %(error)s": "không mở được '%(filename)s': %(error)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
}

PLURALS: dict[str, str] = {
    "expected %s argument": "cần %s giá trị",
    "conflicting option string: %s": "tùy chọn trùng: %s",
}


def translate(message: str) -> str:
    return CATALOGUE.get(message, message)


def translate_plural(singular: str, plural: str, n: int) -> str:
    return PLURALS.get(singular, singular if n == 1 else plural)


def install() -> None:
    """Make argparse speak Vietnamese in this process (idempotent)."""
    argparse._ = translate  # type: ignore[attr-defined]
    argparse.ngettext = translate_plural  # type: ignore[attr-defined]
