"""Outputs follow the umask (a player or a share under another account reads them); secrets stay 0600."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from broadcast.config import load_settings
from broadcast.files import temp_folder, write_bytes, write_secret
from broadcast.review import workflow as wf
from broadcast.review.publish import publish
from broadcast.review.store import Store
from broadcast.schedule import jobs

from .review.conftest import DAY, write_config


@pytest.fixture(params=[0o022, 0o027], ids=["umask022", "umask027"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_atomic_writes_follow_umask(tmp_path: Path, umask: int) -> None:
    write_bytes(tmp_path / "new" / "a.txt", b"x")
    assert mode(tmp_path / "new" / "a.txt") == 0o666 & ~umask
    assert mode(tmp_path / "new") == 0o777 & ~umask
    folder = temp_folder(tmp_path, ".building-x-")
    assert mode(folder) == 0o777 & ~umask


def test_secrets_are_0600_whatever_the_umask(tmp_path: Path) -> None:
    for mask in (0o000, 0o022, 0o077):
        old = os.umask(mask)
        try:
            path = tmp_path / f"secret-{mask:o}"
            write_secret(path, "s3cr3t")
            write_secret(path, "again")  # rewriting keeps it private
        finally:
            os.umask(old)
        assert mode(path) == 0o600
        assert path.read_text() == "again"


def test_outputs_follow_umask(tmp_path: Path, umask: int) -> None:
    """MP3s, the episode folder, the M3U, the podcast feed and the reminder file, as another account sees them."""
    settings = load_settings(write_config(tmp_path), must_exist=True)
    file_mode, folder_mode = 0o666 & ~umask, 0o777 & ~umask
    record = wf.build_draft(settings, DAY)
    assert record is not None
    with Store.open(settings) as store:
        wf.approve(settings, store, record.id, by="Ông Hùng")
        target = publish(settings, store, record.id, by="Anh Tú")
    jobs._remind(settings)

    assert mode(record.folder) == folder_mode
    assert mode(record.folder / "segments") == folder_mode
    assert mode(record.program) == file_mode
    segments = list((record.folder / "segments").glob("*.mp3"))
    assert segments and all(mode(p) == file_mode for p in segments)
    assert mode(record.folder / "manifest.json") == file_mode
    assert mode(settings.review.onair) == folder_mode
    assert mode(target) == file_mode
    assert mode(settings.review.onair / settings.review.playlist) == file_mode
    assert mode(settings.review.onair / settings.review.feed_file) == file_mode
    reminder = settings.output.folder / "CHO-DUYET.txt"
    assert mode(reminder) == file_mode
    if umask == 0o022:
        assert file_mode == 0o644 and folder_mode == 0o755
