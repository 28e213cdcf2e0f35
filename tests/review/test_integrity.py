"""Files and database agree: kills between audio and commit, tampered segments, approval bound to a revision."""

from __future__ import annotations

import datetime as dt
import itertools
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask

from broadcast.config import Settings
from broadcast.errors import ConflictError, StateError
from broadcast.files import sha256
from broadcast.review import voicing
from broadcast.review.edits import SegmentEdit, save_edits, save_segments
from broadcast.review.publish import publish
from broadcast.review.store import EpisodeRecord, Store
from broadcast.review.web import create_app
from broadcast.review.workflow import approve, build_draft

from .conftest import DAY

_days = itertools.count(40)

# Voice the waiting segments of one episode in a child process that is killed at a chosen point.
CHILD = r"""
import os, signal, sys
from pathlib import Path
from broadcast.config import load_settings
from broadcast.review import resynth, voicing
from broadcast.review.store import Store

config, episode_id, where = sys.argv[1], int(sys.argv[2]), sys.argv[3]
settings = load_settings(Path(config), must_exist=True)

class Killed(Store):
    def transaction(self):
        if where == "before-commit":
            os.kill(os.getpid(), signal.SIGKILL)   # the new audio is written; the commit never comes
        return super().transaction()

real_replace = os.replace
def replace(src, dst):
    if where == "before-program" and Path(dst).name == "program.mp3":
        os.kill(os.getpid(), signal.SIGKILL)       # committed; the programme is not switched yet
    return real_replace(src, dst)
resynth.os.replace = replace

store = Killed(settings.review.database, timezone=settings.station.timezone)
record = store.get(episode_id)
todo = voicing.pending(store, episode_id)
resynth.voice_segments(settings, store, record, todo)
resynth.assemble(settings, store, store.get(episode_id))
"""


@pytest.fixture()
def episode(settings: Settings) -> EpisodeRecord:
    record = build_draft(settings, DAY + dt.timedelta(days=next(_days)))
    assert record is not None
    return record


def _kill_during_voicing(settings: Settings, episode_id: int, where: str) -> None:
    proc = subprocess.run([sys.executable, "-c", CHILD, str(settings.source_file), str(episode_id), where],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == -9, proc.stderr


def _edit(settings: Settings, store: Store, record: EpisodeRecord, index: int, extra: str) -> str:
    segment = store.segments(record.id)[index]
    result = save_segments(settings, store, record.id,
                           [SegmentEdit(segment.id, segment.text + extra, segment.text_revision)], by="Chị Lan")
    assert result.saved == (segment.id,)
    return segment.id


def test_kill_between_audio_write_and_commit_keeps_the_old_audio_named(settings: Settings,
                                                                      episode: EpisodeRecord) -> None:
    with Store.open(settings) as store:
        before = store.segments(episode.id)[1]
        _edit(settings, store, episode, 1, " Câu mới sau khi sửa.")
        files_before = set((episode.folder / "segments").glob("*.mp3"))
        _kill_during_voicing(settings, episode.id, "before-commit")
        files_after = set((episode.folder / "segments").glob("*.mp3"))
        assert len(files_after - files_before) == 1     # the new audio was written under a new name...
        segment = store.segments(episode.id)[1]
        assert segment.file == before.file and segment.sha256 == before.sha256 and not segment.voiced  # ...unused
        assert sha256(episode.folder / before.file) == before.sha256   # the old audio is intact
        assert segment.text.endswith("Câu mới sau khi sửa.")          # and the text is committed
        record = store.get(episode.id)
        assert sha256(record.program) == record.sha256 == episode.sha256
        with pytest.raises(StateError, match="chưa lồng tiếng"):
            approve(settings, store, episode.id, by="Ông Hùng", revision=record.revision)
        assert voicing.unfinished(store) == [episode.id]
        assert voicing.resume(settings) == [episode.id]
        segment = store.segments(episode.id)[1]
        record = store.get(episode.id)
        assert segment.voiced and segment.file != before.file
        assert sha256(record.program) == record.sha256 != episode.sha256
        approve(settings, store, episode.id, by="Ông Hùng", revision=record.revision)


def test_kill_between_commit_and_programme_switch_is_refused_then_repaired(settings: Settings,
                                                                          episode: EpisodeRecord) -> None:
    with Store.open(settings) as store:
        _edit(settings, store, episode, 2, " Thêm câu cuối.")
        _kill_during_voicing(settings, episode.id, "before-program")
        segment = store.segments(episode.id)[2]
        assert segment.voiced and sha256(episode.folder / segment.file) == segment.sha256
        record = store.get(episode.id)
        assert sha256(record.program) == episode.sha256 != record.sha256   # old programme, no matching sha
        with pytest.raises(StateError, match="mã kiểm tra"):
            approve(settings, store, episode.id, by="Ông Hùng", revision=record.revision)
        assert voicing.resume(settings) == [episode.id]
        record = store.get(episode.id)
        assert sha256(record.program) == record.sha256 and record.sha256


def test_a_tampered_segment_is_refused_by_name(settings: Settings, episode: EpisodeRecord) -> None:
    with Store.open(settings) as store:
        segment = store.segments(episode.id)[0]
        path = episode.folder / segment.file
        original = path.read_bytes()
        path.write_bytes(original[:-200] + b"\0" * 200)
        with pytest.raises(StateError) as refused:
            approve(settings, store, episode.id, by="Ông Hùng", revision=1)
        assert str(path) in str(refused.value) and "sha256" in str(refused.value)
        # joining: an edit of another segment must not join the tampered one into the programme
        other = store.segments(episode.id)[1]
        with pytest.raises(StateError, match=segment.id):
            save_edits(settings, store, episode.id, {other.id: other.text + " Thêm."}, base_revision=1, by="Lan")
        assert sha256(episode.program) == episode.sha256                      # the programme was not re-joined
        path.write_bytes(original)
        voicing.resume(settings)
        record = store.get(episode.id)
        approve(settings, store, episode.id, by="Ông Hùng", revision=record.revision)
        path.write_bytes(original[:-200] + b"\0" * 200)
        with pytest.raises(StateError, match="sha256"):
            publish(settings, store, episode.id, by="Tú")
        assert not list(settings.review.onair.glob(f"*{episode.date:%Y-%m-%d}*"))


def test_approval_binds_to_a_revision_on_the_web(settings: Settings, episode: EpisodeRecord) -> None:
    app: Flask = create_app(settings)
    client = app.test_client()
    html = client.get(f"/episodes/{episode.id}").get_data(as_text=True)
    import re

    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    assert 'name="revision" value="1"' in html.split('id="phe-duyet"', 1)[1]
    response = client.post(f"/episodes/{episode.id}/approve", data={"csrf_token": token, "by": "Ông Hùng"})
    assert response.status_code == 400 and "thiếu số phiên bản" in response.get_data(as_text=True)
    with Store.open(settings) as store:
        save_edits(settings, store, episode.id, {"mo-dau": store.segments(episode.id)[0].text + " Thêm."},
                   base_revision=1, by="Chị Lan")
        assert store.get(episode.id).state == "draft"
        with pytest.raises(ConflictError) as moved:
            approve(settings, store, episode.id, by="Ông Hùng", revision=1)
        assert "phiên bản 2" in str(moved.value) and "Chị Lan" in str(moved.value)
    response = client.post(f"/episodes/{episode.id}/approve", data={"csrf_token": token, "by": "Ông Hùng",
                                                                   "revision": "1"})
    assert response.status_code == 409 and "Chị Lan" in response.get_data(as_text=True)
    response = client.post(f"/episodes/{episode.id}/approve", data={"csrf_token": token, "by": "Ông Hùng",
                                                                   "revision": "2"})
    assert response.status_code == 303
    with Store.open(settings) as store:
        assert store.approval(episode.id).revision == 2  # type: ignore[union-attr]


def test_cli_approve_needs_the_revision(settings: Settings, episode: EpisodeRecord) -> None:
    proc = subprocess.run([sys.executable, "-m", "broadcast", "review", "approve", str(episode.id), "--by", "Hùng",
                           "--config", str(settings.source_file)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "--revision" in proc.stderr
    with Store.open(settings) as store:
        assert store.get(episode.id).state == "draft"
    assert Path(settings.review.database).is_file()
