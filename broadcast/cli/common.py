"""What every sub-command shares: the config it reads, messages to stderr, dates.

Sub-command modules (here and beside their stage: review/cli.py, schedule/cli.py,
sources/cli.py) import these from ``broadcast.cli.common``; nothing here imports them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from broadcast.config import Settings, load_settings

Handler = Callable[[argparse.Namespace], int]
Sub = Any   # argparse's _SubParsersAction, which has no public name

DEFAULT_CONFIG = Path("config.toml")


def err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def settings_from(args: argparse.Namespace) -> Settings:
    explicit = args.config is not None
    return load_settings(args.config if explicit else DEFAULT_CONFIG, must_exist=explicit)


def today(settings: Settings) -> dt.date:
    return dt.datetime.now(ZoneInfo(settings.station.timezone)).date()


FIRST_YEAR, LAST_YEAR = 2000, 2100   # a weekly column's dates; beyond them date arithmetic overflows


def parse_date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"ngày không hợp lệ: {text!r} (dạng đúng: YYYY-MM-DD, ví dụ 2026-11-27)") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(
            f"ngày {text} nằm ngoài khoảng cho phép (năm {FIRST_YEAR}–{LAST_YEAR}); hãy kiểm tra lại năm")
    return day
