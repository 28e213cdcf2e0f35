"""Urgent notices from the site: an editor types and hears one, only an approver approves it, and it is queued."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from broadcast.config import Settings, load_settings
from broadcast.files import sha256
from broadcast.onair.items import URGENT, notices
from broadcast.review.accounts import APPROVER, EDITOR, Accounts
from broadcast.review.store import Store
from broadcast.review.web import create_app
from tests.audio_check import decode

from .conftest import write_config

PASSWORD = "mat-khau-thu-nghiem-dai"


@pytest.fixture()
def settings(tmp_path: Path, speech_cache: Path) -> Settings:
    settings = load_settings(write_config(tmp_path, cache=speech_cache), must_exist=True)
    with Store.open(settings) as store:
        Accounts(store).add("lan", EDITOR, PASSWORD, full_name="Chị Lan", by="test")
        Accounts(store).add("hung", APPROVER, PASSWORD, full_name="Ông Hùng", by="test")
    return settings


@pytest.fixture()
def app(settings: Settings) -> Flask:
    return create_app(settings)


def token_of(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match
    return match.group(1)


def logged_in(app: Flask, name: str) -> FlaskClient:
    client = app.test_client()
    token = token_of(client.get("/login").get_data(as_text=True))
    assert client.post("/login", data={"csrf_token": token, "name": name, "password": PASSWORD}).status_code == 303
    return client


def test_editor_drafts_approver_approves_and_it_is_queued(app: Flask, settings: Settings) -> None:
    editor = logged_in(app, "lan")
    page = editor.get("/thong-bao/").get_data(as_text=True)
    reply = editor.post("/thong-bao/", data={"csrf_token": token_of(page), "title": "Lịch cắt điện thôn Đông",
                                            "text": "Điện lực thông báo cắt điện thôn Đông từ 7 giờ đến 11 giờ "
                                                    "ngày 05/12/2026 để sửa đường dây.",
                                            "priority": "khan-cap"})
    assert reply.status_code == 303
    review = reply.headers["Location"]
    page = editor.get(review).get_data(as_text=True)
    assert "Cần người có quyền phê duyệt" in page and "Duyệt và đưa lên loa" not in page
    token = review.rsplit("/", 1)[1]
    assert editor.post(f"/thong-bao/{token}/duyet", data={"csrf_token": token_of(page), "da_nghe": "1"}
                       ).status_code == 403
    mp3 = settings.review.database.parent / "thong-bao" / f"{token}.mp3"
    assert len(decode(mp3)) > 3000  # milliseconds of real speech

    approver = logged_in(app, "hung")
    page = approver.get(review).get_data(as_text=True)
    assert "Duyệt và đưa lên loa" in page
    done = approver.post(f"/thong-bao/{token}/duyet", data={"csrf_token": token_of(page), "da_nghe": "1"},
                         follow_redirects=True)
    assert "phát ngay trên loa" in done.get_data(as_text=True)
    with Store.open(settings) as store:
        (item,) = notices(store, waiting_only=True)
        assert item.priority == URGENT and item.sha256 == sha256(mp3) and item.title == "Lịch cắt điện thôn Đông"
        assert any(a.who.startswith("Ông Hùng") for a in store.audit() if a.action == "notice-approve")


def test_a_notice_without_text_is_refused_in_one_line(app: Flask) -> None:
    editor = logged_in(app, "lan")
    page = editor.get("/thong-bao/").get_data(as_text=True)
    reply = editor.post("/thong-bao/", data={"csrf_token": token_of(page), "title": "Trống", "text": " ",
                                            "priority": "thuong"})
    assert reply.status_code == 400 and "Thông báo trống" in reply.get_data(as_text=True)
