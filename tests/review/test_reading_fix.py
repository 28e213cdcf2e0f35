"""A pronunciation fix from the site: hear it from a scratch lexicon, save it, the affected segments re-voice."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from broadcast.config import Settings, load_settings
from broadcast.pipeline import lexicon_path
from broadcast.review.store import EpisodeRecord, Store
from broadcast.review.web import create_app
from broadcast.review.web.readings import sentence_with
from broadcast.review.workflow import build_draft
from tests.audio_check import decode

from .conftest import DAY, write_config


@pytest.fixture()
def settings(tmp_path: Path, speech_cache: Path) -> Settings:
    return load_settings(write_config(tmp_path, cache=speech_cache), must_exist=True)


@pytest.fixture()
def built(settings: Settings) -> EpisodeRecord:
    record = build_draft(settings, DAY)
    assert record is not None
    return record


@pytest.fixture()
def client(settings: Settings) -> FlaskClient:
    app: Flask = create_app(settings)
    return app.test_client()


def token(client: FlaskClient, episode_id: int) -> str:
    page = client.get(f"/episodes/{episode_id}").get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match
    return match.group(1)


def test_sentence_with_the_word() -> None:
    assert sentence_with("Câu một. Bà con dùng VNeID để nộp. Câu ba.", "vneid") == "Bà con dùng VNeID để nộp."
    assert sentence_with("Không có.", "UBND") == "UBND"


def test_try_then_save_a_reading_re_voices_the_segments_that_contain_it(
        client: FlaskClient, settings: Settings, built: EpisodeRecord, tmp_path: Path) -> None:
    with Store.open(settings) as store:
        segment = next(s for s in store.segments(built.id) if "xã" in s.text)
    form = {"csrf_token": token(client, built.id), "episode": str(built.id), "segment": segment.id,
            "written": "xã", "spoken": "xã nhà mình", "kind": "words"}
    page = client.post("/cach-doc/thu", data=form)
    text = page.get_data(as_text=True)
    assert page.status_code == 200, text
    assert "xã nhà mình" in text
    audio = re.search(r'src="(/cach-doc/thu/[0-9a-f]{32}\.mp3)"', text)
    assert audio
    mp3 = client.get(audio.group(1))
    assert mp3.status_code == 200
    (tmp_path / "thu.mp3").write_bytes(mp3.data)
    assert len(decode(tmp_path / "thu.mp3")) > 500  # a real MP3 of the sentence, in milliseconds
    assert not lexicon_path(settings).exists()  # hearing a reading changes nothing the build reads

    done = client.post("/cach-doc/luu", data=form)
    assert done.status_code == 303
    assert '"xã" = "xã nhà mình"' in lexicon_path(settings).read_text(encoding="utf-8")
    with Store.open(settings) as store:
        record = store.get(built.id)
        assert record.revision == built.revision + 1
        changed = [s for s in store.segments(built.id) if "xã nhà mình" in s.spoken]
        assert changed and all(s.text == t.text for s, t in zip(store.segments(built.id),
                                                              store.segments(built.id, built.revision), strict=True))
        deadline = time.monotonic() + 120
        while any(not s.voiced for s in store.segments(built.id)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert all(s.voiced for s in store.segments(built.id))
        before = {s.id: s.sha256 for s in store.segments(built.id, built.revision)}
        now = {s.id: s.sha256 for s in store.segments(built.id)}
        assert all(before[s.id] != now[s.id] for s in changed)  # new audio for each re-read segment
        assert "sửa cách đọc" in [a.action for a in store.audit(built.id)]
