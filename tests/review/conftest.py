"""Tiny episodes for the review tests: espeak only, one news item, one FAQ, no jingle."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from broadcast.config import Settings, load_settings
from broadcast.review.store import EpisodeRecord
from broadcast.review.workflow import build_draft

DATA = Path(__file__).resolve().parents[1] / "data"
DAY = dt.date(2026, 11, 27)


def write_config(folder: Path, *, feed: Path | None = None, extra: str = "", cache: Path | None = None) -> Path:
    """A config in ``folder`` whose outputs all stay inside ``folder`` (the sentence cache may be shared)."""
    feed = feed or DATA / "feed.xml"
    cache_dir = (cache or folder / "cache").as_posix()
    config = folder / "config.toml"
    config.write_text(f"""
[column]
news_items = 1
faq_items = 1
target_minutes = 2.2

[sources]
feeds = ["{feed.as_posix()}"]
statistics = ""
faq = "{(DATA / 'faq').as_posix()}"

[speech]
engines = ["espeak"]
cache = "{cache_dir}"

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


@pytest.fixture(scope="session")
def speech_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One sentence cache for the whole session: the same fixture sentences are voiced once."""
    return tmp_path_factory.mktemp("speech-cache")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("review")


@pytest.fixture(scope="module")
def settings(workdir: Path, speech_cache: Path) -> Settings:
    return load_settings(write_config(workdir, cache=speech_cache), must_exist=True)


@pytest.fixture(scope="module")
def built(settings: Settings) -> EpisodeRecord:
    """One tiny draft per test module."""
    record = build_draft(settings, DAY)
    assert record is not None
    return record
