"""Tiny episodes for the review tests: espeak only, one news item, one FAQ, no jingle."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from broadcast.config import Settings, load_settings

DATA = Path(__file__).resolve().parents[1] / "data"
DAY = dt.date(2026, 11, 27)


def write_config(folder: Path, *, feed: Path | None = None, extra: str = "") -> Path:
    """A config in ``folder`` whose outputs all stay inside ``folder``."""
    feed = feed or DATA / "feed.xml"
    config = folder / "config.toml"
    config.write_text(f"""
[column]
news_items = 1
faq_items = 1
target_minutes = 1.0

[sources]
feeds = ["{feed.as_posix()}"]
statistics = ""
faq = "{(DATA / 'faq').as_posix()}"

[speech]
engines = ["espeak"]
cache = "cache"

[audio]
jingle = false
bitrate = "64k"
sample_rate = 22050
segment_pause_ms = 300

[output]
folder = "audio_out"

[review]
database = "state/broadcast.sqlite"
onair = "onair"
feed_title = "Thử nghiệm"
base_url = "http://127.0.0.1:8080/onair/"
{extra}
""", encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("review")


@pytest.fixture(scope="module")
def settings(workdir: Path) -> Settings:
    return load_settings(write_config(workdir), must_exist=True)
