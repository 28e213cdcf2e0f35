"""A tiny, offline config for scheduler tests: test fixtures, espeak only, no jingle, one news item, one FAQ."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
PROJECT = Path(__file__).resolve().parents[2]


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_config(folder: Path, **schedule: object) -> Path:
    """config.toml in ``folder``; ``schedule`` keys override the [schedule] section (None drops a key)."""
    values: dict[str, object] = {"build": "0 14 * * 3", "remind": "0 8 * * 4", "publish": ["30 5 * * 1,3,5"],
                                 "policy": "hold", "grace_minutes": 60}
    values.update(schedule)
    lines = [
        "[column]", f"templates = {toml_value(str(PROJECT / 'scripts_templates'))}", "news_items = 1", "faq_items = 1",
        "target_minutes = 1.0",
        "[sources]", f"feeds = [{toml_value(str(DATA / 'feed.xml'))}]",
        'statistics = ""', f"faq = {toml_value(str(DATA / 'faq'))}",
        "keywords = []",
        "[speech]", 'engines = ["espeak"]', 'cache = "cache"',
        "[audio]", "jingle = false", "sample_rate = 22050", 'bitrate = "64k"',
        "[output]", 'folder = "audio_out"',
        "[review]", 'database = "state/broadcast.sqlite"', 'onair = "onair"',
        "[schedule]",
    ]
    lines += [f"{key} = {toml_value(value)}" for key, value in values.items() if value is not None]
    path = folder / "config.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def make_config(tmp_path: Path) -> Callable[..., Path]:
    def make(**schedule: object) -> Path:
        return write_config(tmp_path, **schedule)
    return make

