"""One setting changed in the officer's config file, keeping its comments and layout (tomlkit).

The review site's settings pages call ``set_value``; the file is checked by
the same loader as at start-up before it replaces the old one, so a change
the loader would refuse never reaches the disk.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from broadcast import files
from broadcast.config.loader import load_settings
from broadcast.config.table import Settings
from broadcast.errors import ConfigError


def set_value(path: Path, section: str, key: str, value: Any) -> Settings:
    """Write ``section.key = value`` into ``path`` (the table is added when missing); return the new settings."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        document = tomlkit.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, TOMLKitError) as exc:
        raise ConfigError(f"Không đọc được tệp cấu hình {path} ({exc}). Hãy sửa tệp bằng tay rồi thử lại.") from exc
    table = document.get(section)
    if table is None:
        table = tomlkit.table()
        document[section] = table
    table[key] = value
    text = tomlkit.dumps(document)
    check = path.with_name(f".{path.name}.kiem-tra")
    try:
        files.write_text(check, text)
        load_settings(check, must_exist=True)   # the start-up checks, on the file as it would be
    finally:
        check.unlink(missing_ok=True)
    files.write_text(path, text)
    os.chmod(path, mode)   # an officer who made the file private (0600) keeps it private
    return load_settings(path, must_exist=True)
