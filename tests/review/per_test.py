"""Function-scoped versions of the package's per-module fixtures, for test files that edit their draft.

Each test gets its own folder, database and draft, so the tests pass in any order (pytest-randomly);
the shared sentence cache keeps the builds quick. Import them into a test module to use them there:
``from .per_test import built, settings, workdir``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from broadcast.config import Settings, load_settings
from broadcast.review import workflow as wf
from broadcast.review.store import EpisodeRecord

from .conftest import DAY, write_config


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def settings(workdir: Path, speech_cache: Path) -> Settings:
    return load_settings(write_config(workdir, cache=speech_cache), must_exist=True)


@pytest.fixture
def built(settings: Settings) -> EpisodeRecord:
    record = wf.build_draft(settings, DAY)
    assert record is not None
    return record
