"""Shared pieces of the voice tests: the ``needs_asr`` mark and a tiny offline settings set."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from broadcast.config import Settings, override
from broadcast.speech.asr import Recognizer

F = TypeVar("F", bound=Callable[..., Any])

_skip_without_asr = pytest.mark.skipif(Recognizer.disabled_message() is not None,
                                       reason="viet-asr (the [asr] extra) is not installed: run make test-asr")


def needs_asr(test: F) -> F:
    """Marked ``asr`` (run by `make test-asr`) and skipped, for that reason only, when viet-asr is missing."""
    return pytest.mark.asr(_skip_without_asr(test))  # type: ignore[no-any-return]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    s = Settings()
    s = override(s, "output.folder", tmp_path / "out")
    s = override(s, "speech.cache", tmp_path / "cache")
    s = override(s, "speech.engines", ["espeak"])
    s = override(s, "speech.backoff_s", 0.0)
    s = override(s, "speech.retries", 1)
    return dataclasses.replace(s)
