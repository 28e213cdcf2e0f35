"""Publication never leaves the on-air folder half-changed: tampering, a changing file, a full disk."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from broadcast import files
from broadcast.cli import main
from broadcast.config import Settings, load_settings
from broadcast.errors import FeedNotUpdated, ReviewError, StateError
from broadcast.files import sha256
from broadcast.review import publish as publishing
from broadcast.review import workflow as wf
from broadcast.review.store import EpisodeRecord, Store

from .conftest import DAY, write_config


@pytest.fixture
def aired(tmp_path: Path, speech_cache: Path) -> tuple[Settings, EpisodeRecord, Path]:
    """An approved episode already published once: the on-air folder holds audio, playlist and feed."""
    settings = load_settings(write_config(tmp_path, cache=speech_cache), must_exist=True)
    record = wf.build_draft(settings, DAY)
    assert record is not None
    with Store.open(settings) as store:
        wf.approve(settings, store, record.id, by="Ông Hùng")
        target = publishing.publish(settings, store, record.id, by="Anh Tú")
    return settings, record, target


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in the on-air folder (hidden ones too): its bytes and its mtime in nanoseconds."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_tampered_file_never_touches_on_air(aired: tuple[Settings, EpisodeRecord, Path]) -> None:
    settings, record, _target = aired
    before = snapshot(settings.review.onair)
    original = record.program.read_bytes()
    record.program.write_bytes(original[:-4096] + b"\0" * 4096)  # swapped behind the approver's back
    with Store.open(settings) as store, pytest.raises(StateError, match="mã kiểm tra không khớp"):
        publishing.publish(settings, store, record.id, by="Anh Tú")
    assert snapshot(settings.review.onair) == before


def test_file_changing_during_copy_never_touches_on_air(aired: tuple[Settings, EpisodeRecord, Path],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The programme passes its check, then changes while it is being copied: the copy is refused."""
    settings, record, _target = aired
    before = snapshot(settings.review.onair)
    real_stage = publishing.stage_copy
    original = record.program.read_bytes()

    def changing(source: Path, folder: Path, name: str) -> Path:
        with source.open("r+b") as handle:  # someone writes into the file as the copy starts
            handle.seek(len(original) // 2)
            handle.write(b"\xff" * 512)
        return real_stage(source, folder, name)

    monkeypatch.setattr(publishing, "stage_copy", changing)
    monkeypatch.setattr(publishing, "COPY_BLOCK", 4096)
    with Store.open(settings) as store, pytest.raises(StateError, match="thay đổi trong lúc chép"):
        publishing.publish(settings, store, record.id, by="Anh Tú")
    assert snapshot(settings.review.onair) == before
    with Store.open(settings) as store:
        assert len(store.publications(record.id)) == 1   # the refused attempt is not recorded as aired


def test_full_disk_during_copy_keeps_what_is_on_air(aired: tuple[Settings, EpisodeRecord, Path],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    settings, record, _target = aired
    before = snapshot(settings.review.onair)
    writes = {"n": 0}
    real_write = files.write_all

    def full(handle: object, data: bytes) -> None:  # the disk fills up half-way through the copy
        writes["n"] += 1
        if writes["n"] > 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_write(handle, data)  # type: ignore[arg-type]

    monkeypatch.setattr(publishing, "COPY_BLOCK", 4096)
    monkeypatch.setattr(files, "write_all", full)
    with Store.open(settings) as store, pytest.raises(ReviewError, match="ổ đĩa đầy") as caught:
        publishing.publish(settings, store, record.id, by="Anh Tú")
    assert writes["n"] == 3
    assert "không bị thay đổi" in str(caught.value)
    assert snapshot(settings.review.onair) == before


def test_unwritable_feed_after_audio_is_reported_as_such(aired: tuple[Settings, EpisodeRecord, Path],
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    settings, record, target = aired
    feed = settings.review.onair / settings.review.feed_file
    feed_before = feed.read_bytes()

    def refused(settings: Settings, store: Store, **kwargs: object) -> Path:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(feed))

    monkeypatch.setattr(publishing, "write_feed", refused)
    with Store.open(settings) as store, pytest.raises(FeedNotUpdated) as caught:
        publishing.publish(settings, store, record.id, by="Anh Tú")
    message = str(caught.value)
    assert "đã lên sóng" in message and "bản tin podcast" in message and str(feed) in message
    assert sha256(target) == sha256(record.program)
    assert feed.read_bytes() == feed_before
    with Store.open(settings) as store:
        assert store.get(record.id).state == "published"
        assert len(store.publications(record.id)) == 2

    code = main(["--config", str(settings.source_file), "publish", str(record.id), "--by", "Anh Tú"])
    out, errors = capsys.readouterr()
    assert code == 3
    assert out.strip() == str(target)
    lines = errors.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Cảnh báo: Chương trình đã lên sóng")


def test_publish_leaves_no_temporary_files(aired: tuple[Settings, EpisodeRecord, Path]) -> None:
    settings, _record, target = aired
    names = {p.name for p in settings.review.onair.iterdir()}
    assert names == {target.name, settings.review.playlist, settings.review.feed_file}
