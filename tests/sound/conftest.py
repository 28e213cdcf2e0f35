"""Shared pieces of the sound tests: settings for a tiny programme, local fake services."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:   # the fake TTS server lives in bench/, shared with the benchmark
    sys.path.insert(0, str(ROOT))

from bench.fake_tts import FakeTts  # noqa: E402
from broadcast.config import Settings, override  # noqa: E402

from .edge_server import EdgeServer  # noqa: E402


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Defaults with output and cache in tmp, offline voice, no retry waits."""
    s = Settings()
    s = override(s, "output.folder", tmp_path / "out")
    s = override(s, "speech.cache", tmp_path / "cache")
    s = override(s, "speech.engines", ["espeak"])
    s = override(s, "speech.backoff_s", 0.0)
    s = override(s, "speech.retries", 1)
    return dataclasses.replace(s)


@pytest.fixture
def edge_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[EdgeServer]:
    """The Edge websocket endpoint, on 127.0.0.1: the library's URL constant is pointed at it."""
    import edge_tts.communicate

    with EdgeServer() as server:
        monkeypatch.setattr(edge_tts.communicate, "WSS_URL", server.url)
        yield server


@pytest.fixture
def fake_google() -> Iterator[FakeTts]:
    with FakeTts(delay_s=0.05) as server:
        yield server
