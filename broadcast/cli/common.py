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

from broadcast import vnformat
from broadcast.config import Settings, load_settings
from broadcast.errors import ConfigError

Handler = Callable[[argparse.Namespace], int]
Sub = Any   # argparse's _SubParsersAction, which has no public name

DEFAULT_CONFIG = Path("config.toml")


def err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def settings_from(args: argparse.Namespace, *, need_config: bool = True) -> Settings:
    """The settings a command runs with: ``--config``, else ./config.toml.

    With neither, a command that writes episodes or state refuses (no sample
    commune by accident) and says how to start; ``need_config=False`` (normalize,
    say, config show) falls back to the built-in defaults.
    """
    explicit = args.config is not None
    if not explicit and not DEFAULT_CONFIG.exists() and need_config:
        raise ConfigError(f"Không có tệp cấu hình config.toml trong thư mục {Path.cwd()}. "
                          f"Hãy chạy \"broadcast init THƯ_MỤC\" để tạo thư mục của xã rồi chạy lệnh trong thư mục "
                          f"đó, hoặc chỉ rõ tệp bằng --config ĐƯỜNG_DẪN. Muốn nghe thử bản mẫu: \"broadcast demo\".")
    return load_settings(args.config if explicit else DEFAULT_CONFIG, must_exist=explicit)


def describe(settings: Settings) -> str:
    """The first line of a build: which commune, from which config file."""
    origin = settings.source_file or "cấu hình mẫu có sẵn"
    return f"{settings.station.commune[:1].upper()}{settings.station.commune[1:]} — cấu hình: {origin}"


def today(settings: Settings) -> dt.date:
    return dt.datetime.now(ZoneInfo(settings.station.timezone)).date()


FIRST_YEAR, LAST_YEAR = 2000, 2100   # a weekly column's dates; beyond them date arithmetic overflows


def parse_date(text: str) -> dt.date:
    """A date as officers write it (27/11/2026, 27-11-2026, 27.11.2026) or ISO (2026-11-27)."""
    value = vnformat.parse_date(text)
    if value is None:
        raise argparse.ArgumentTypeError(
            f"ngày không hợp lệ: {text!r} (dạng đúng: ngày/tháng/năm, ví dụ 27/11/2026, hoặc 2026-11-27)")
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(
            f"ngày {text} nằm ngoài khoảng cho phép (năm {FIRST_YEAR}–{LAST_YEAR}); hãy kiểm tra lại năm")
    return value
