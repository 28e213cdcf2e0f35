"""Bounded work: text limits, the request body cap, one voicing job per episode, saves queued behind it."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import threading
import time

import pytest
from flask import Flask

from broadcast.config import Settings
from broadcast.errors import ReviewError
from broadcast.review import limits, voicing
from broadcast.review.edits import SegmentEdit, save_segments
from broadcast.review.store import EpisodeRecord, Store
from broadcast.review.web import create_app
from broadcast.review.workflow import build_draft

from .conftest import DAY

_days = itertools.count(80)


@pytest.fixture(scope="module")
def app(settings: Settings) -> Flask:
    return create_app(settings)


@pytest.fixture()
def episode(settings: Settings) -> EpisodeRecord:
    record = build_draft(settings, DAY + dt.timedelta(days=next(_days)))
    assert record is not None
    return record


def fields_of(html: str) -> dict[str, str]:
    form = html.split('id="luu"', 1)[1].split("</form>", 1)[0]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def test_limits_are_sized_to_a_45_minute_programme() -> None:
    # ≈ 200 syllables a minute × ≈ 4.5 characters a syllable × 45 minutes
    assert 200 * 4.5 * 45 == pytest.approx(limits.EPISODE_CHARS, rel=0.02)
    assert limits.SEGMENT_CHARS * 3 * 3 * 2 < limits.REQUEST_BYTES   # UTF-8 ×3, %XX ×3, a conflict form ×2


def test_a_segment_over_the_limit_is_refused_and_nothing_saved(settings: Settings, episode: EpisodeRecord) -> None:
    with Store.open(settings) as store:
        segment = store.segments(episode.id)[1]
        with pytest.raises(ReviewError) as refused:
            save_segments(settings, store, episode.id,
                          [SegmentEdit(segment.id, "Bà con " * 1000, segment.text_revision)], by="Lan")
        message = str(refused.value)
        assert "6.999 ký tự" in message and "6.000" in message and segment.title in message
        assert store.get(episode.id).revision == 1


def test_an_episode_over_the_limit_is_refused(settings: Settings, episode: EpisodeRecord,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "EPISODE_CHARS", 1500)   # the tiny test episode is far below 40 000
    with Store.open(settings) as store:
        segment = store.segments(episode.id)[1]
        with pytest.raises(ReviewError, match="Cả số phát dài"):
            save_segments(settings, store, episode.id,
                          [SegmentEdit(segment.id, "Câu dài thêm. " * 100, segment.text_revision)], by="Lan")
        assert store.get(episode.id).revision == 1


def test_the_site_caps_request_bodies_with_a_vietnamese_page(app: Flask, episode: EpisodeRecord) -> None:
    assert app.config["MAX_CONTENT_LENGTH"] == limits.REQUEST_BYTES
    client = app.test_client()
    fields = fields_of(client.get(f"/episodes/{episode.id}").get_data(as_text=True))
    response = client.post(f"/episodes/{episode.id}/save",
                           data={**fields, "by": "Lan", "text-mo-dau": "x" * (limits.REQUEST_BYTES + 10)})
    assert response.status_code == 413 and "quá lớn" in response.get_data(as_text=True)
    long = "Bà con " * 1000
    response = client.post(f"/episodes/{episode.id}/save", data={**fields, "by": "Lan", "text-mo-dau": long})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "quá giới hạn" in page and long.strip() in page   # refused, and the text is still on screen


def test_one_voicing_job_per_episode_and_a_second_save_waits_visibly(app: Flask, settings: Settings,
                                                                    episode: EpisodeRecord) -> None:
    other = voicing.new_owner()
    with Store.open(settings) as store:
        assert voicing.acquire(store, episode.id, other)          # a job elsewhere holds the episode
        client = app.test_client()
        fields = fields_of(client.get(f"/episodes/{episode.id}").get_data(as_text=True))
        segment = store.segments(episode.id)[1]
        response = client.post(f"/episodes/{episode.id}/save",
                               data={**fields, "by": "Lan", f"text-{segment.id}": segment.text + " Chờ nhé."})
        assert response.status_code == 303
        assert store.segments(episode.id)[1].text.endswith("Chờ nhé.")   # committed as text at once
        assert voicing.run(settings, store, episode.id) == voicing.BUSY  # never a second job
        time.sleep(0.5)
        html = client.get(f"/episodes/{episode.id}").get_data(as_text=True)
        assert "Chưa lồng tiếng — đang chờ lồng tiếng" in html
        status = client.get(response.headers["Location"] + ".json").get_json()
        assert status["state"] == "running" and "chờ lồng tiếng" in status["message"]
        assert not store.segments(episode.id)[1].voiced
        assert voicing.release(store, episode.id, other, force=True)    # the other job ends
        deadline = time.monotonic() + 60
        while client.get(response.headers["Location"] + ".json").get_json()["state"] != "done":
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert store.segments(episode.id)[1].voiced


def test_eight_concurrent_saves_find_the_conflict_before_any_voicing(app: Flask, settings: Settings,
                                                                     episode: EpisodeRecord) -> None:
    clients = [app.test_client() for _ in range(8)]
    forms = [fields_of(c.get(f"/episodes/{episode.id}").get_data(as_text=True)) for c in clients]
    with Store.open(settings) as store:
        segment = store.segments(episode.id)[1]
    gate = threading.Barrier(8)
    codes: list[int] = []

    def save(number: int) -> None:
        gate.wait()
        data = {**forms[number], "by": f"Biên tập {number}", f"text-{segment.id}": f"Bản số {number} của đoạn."}
        codes.append(clients[number].post(f"/episodes/{episode.id}/save", data=data).status_code)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(codes) == [303] + [409] * 7
    deadline = time.monotonic() + 60
    with Store.open(settings) as store:
        while voicing.pending(store, episode.id) or voicing.batch_of(store, episode.id) is not None:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        actions = [a.action for a in store.audit(episode.id)]
        assert actions.count("edit") == 1 and actions.count("edit-conflict") == 7
        assert actions.count("voice") == 1              # one segment voiced once, not eight times
        assert store.get(episode.id).revision == 2
