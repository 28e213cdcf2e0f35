"""Building a draft from the site: the same build as the CLI, with progress, one at a time."""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from broadcast.config import Settings, load_settings
from broadcast.errors import StateError
from broadcast.review.buildlock import build_lock
from broadcast.review.store import Store
from broadcast.review.web import create_app

from .conftest import write_config


@pytest.fixture()
def settings(tmp_path: Path, speech_cache: Path) -> Settings:
    return load_settings(write_config(tmp_path, cache=speech_cache), must_exist=True)


@pytest.fixture()
def app(settings: Settings) -> Flask:
    return create_app(settings)


def token(client: FlaskClient) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/dung/").get_data(as_text=True))
    assert match
    return match.group(1)


def wait(client: FlaskClient, location: str, timeout: float = 120) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(location + ".json").get_json()
        if status["state"] != "running":
            return status  # type: ignore[no-any-return]
        time.sleep(0.2)
    raise AssertionError("build did not finish")


def test_build_from_the_site_registers_a_draft(app: Flask, settings: Settings) -> None:
    client = app.test_client()
    reply = client.post("/dung/", data={"csrf_token": token(client), "day": "27/11/2026"})
    assert reply.status_code == 303
    location = reply.headers["Location"]
    page = client.get(location).get_data(as_text=True)
    assert 'id="job"' in page and "http-equiv=\"refresh\"" in page  # polls with JS, refreshes without
    status = wait(client, location)
    assert status["state"] == "done", status
    with Store.open(settings) as store:
        (record,) = store.for_date(dt.date(2026, 11, 27))
    assert record.state == "draft" and status["episode"] == record.id
    assert record.program.stat().st_size > 10_000
    assert client.get(location).headers["Location"].endswith(f"/episodes/{record.id}")
    assert any(a.action == "dựng bản nháp từ trang web" for a in Store.open(settings).audit())


def test_a_second_build_anywhere_is_refused_while_one_runs(app: Flask, settings: Settings) -> None:
    client = app.test_client()
    with build_lock(settings):  # as if the scheduler or the CLI were building now
        with pytest.raises(StateError):
            with build_lock(settings):
                pass
        reply = client.post("/dung/", data={"csrf_token": token(client), "day": "27/11/2026"})
        status = wait(client, reply.headers["Location"])
    assert status["state"] == "error" and "Đang có một bản dựng khác chạy" in str(status["message"])
    with Store.open(settings) as store:
        assert store.episodes(None) == []


def test_bad_date_is_named(app: Flask) -> None:
    client = app.test_client()
    reply = client.post("/dung/", data={"csrf_token": token(client), "day": "31/02/2026"})
    assert reply.status_code == 400 and "Ngày &#34;31/02/2026&#34; không hợp lệ" in reply.get_data(as_text=True)
