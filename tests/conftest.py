"""Shared fixtures: small configs over the fixtures in tests/data, written to a temp folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
DATA = TESTS / "data"
ROOT = TESTS.parent


def write_config(folder: Path, extra: str = "", *, engines: str = '["espeak"]', jingle: bool = False) -> Path:
    """A config over the test fixtures; ``extra`` is appended TOML (later tables may repeat keys? no: use sections
    not already present)."""
    path = folder / "config.toml"
    path.write_text(f"""
[column]
templates = "{ROOT / 'scripts_templates'}"
news_items = 2
faq_items = 1

[sources]
feeds = ["{DATA / 'feed.xml'}"]
statistics = "{DATA / 'stats.csv'}"
faq = "{DATA / 'faq'}"

[speech]
engines = {engines}
backoff_s = 0.0
cache = "{folder / 'cache'}"

[audio]
jingle = {'true' if jingle else 'false'}
segment_pause_ms = 500

[output]
folder = "{folder / 'out'}"
{extra}
""", encoding="utf-8")
    return path


@pytest.fixture
def make_config(tmp_path: Path) -> Callable[..., Path]:
    def make(extra: str = "", **kwargs: object) -> Path:
        return write_config(tmp_path, extra, **kwargs)  # type: ignore[arg-type]

    return make
