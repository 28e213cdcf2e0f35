"""An editor whose login session expired while typing loses nothing: what they posted is held for their
account, and after a real login they get the form back with their text; no one else gets it."""

from __future__ import annotations

import html
import re
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from broadcast.config import Settings, load_settings
from broadcast.review.accounts import APPROVER, EDITOR, Accounts
from broadcast.review.logins import Logins
from broadcast.review.store import EpisodeRecord, Store
from broadcast.review.web import create_app
from broadcast.review.workflow import build_draft
from tests.schedule.waiting import wait_for

from .conftest import DAY, write_config

PASSWORD = "mat-khau-thu-nghiem-dai"
ADDED = " Bà con lưu ý mang theo căn cước khi đến làm thủ tục."


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


@pytest.fixture()
def episode(settings: Settings) -> EpisodeRecord:
    record = build_draft(settings, DAY)
    assert record is not None
    return record


def token_of(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match
    return match.group(1)


def log_in(client: FlaskClient, name: str) -> str:
    """A real login through the login page; the page it leads to."""
    page = client.get("/login").get_data(as_text=True)
    reply = client.post("/login?next=/", data={"csrf_token": token_of(page), "name": name, "password": PASSWORD})
    assert reply.status_code == 303
    return reply.headers["Location"]


def form_of(page: str) -> dict[str, str]:
    """The episode form as a browser would send it: hidden inputs and the textareas."""
    fields = {m.group(1): html.unescape(m.group(2))
              for m in re.finditer(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)}
    for m in re.finditer(r'<textarea id="[^"]+" name="(text-[^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        fields[m.group(1)] = html.unescape(m.group(2))
    return fields


def expire(app: Flask, settings: Settings) -> None:
    logins: Logins = app.extensions["broadcast"]["logins"]
    later = settings.review.session_idle_minutes * 60 + 120
    logins.clock = lambda: time.time() + later


def test_an_edit_posted_after_the_session_expired_comes_back_after_login_and_saves(
        app: Flask, settings: Settings, episode: EpisodeRecord) -> None:
    editor = app.test_client()
    log_in(editor, "lan")
    page = editor.get(f"/episodes/{episode.id}").get_data(as_text=True)
    form = form_of(page)
    form["text-ket-thuc"] += ADDED
    expire(app, settings)
    reply = editor.post(f"/episodes/{episode.id}/save", data=form)
    assert reply.status_code == 303 and reply.headers["Location"] == "/login?next=/giu-lai"
    assert "Nội dung bạn vừa gửi chưa được lưu nhưng được giữ lại" in editor.get(
        reply.headers["Location"]).get_data(as_text=True)
    with Store.open(settings) as store:
        assert store.get(episode.id).revision == episode.revision, "nothing was saved without a login"

    assert log_in(editor, "lan") == "/giu-lai"   # the login leads back to the held form, whatever next said
    back = editor.get("/giu-lai")
    page = back.get_data(as_text=True)
    assert back.status_code == 200 and "Phiên đăng nhập đã hết hạn trước khi nội dung bạn gửi" in page
    restored = form_of(page)
    assert restored["text-ket-thuc"] == form["text-ket-thuc"], "the editor's text is in the form again"
    assert restored["base-ket-thuc"] == form["base-ket-thuc"], "with the revision it was typed against"
    saved = editor.post(f"/episodes/{episode.id}/save", data=restored)
    assert saved.status_code == 303 and "/jobs/" in saved.headers["Location"]
    status = saved.headers["Location"] + ".json"
    assert wait_for(lambda: editor.get(status).get_json()["state"] != "running", 120)
    with Store.open(settings) as store:
        (closing,) = [s for s in store.segments(episode.id) if s.id == "ket-thuc"]
        assert closing.text.endswith(ADDED.strip()) and store.get(episode.id).revision == episode.revision + 1
        assert closing.saved_by.startswith("Chị Lan")
    assert "Không còn nội dung nào được giữ lại" in editor.get("/giu-lai", follow_redirects=True).get_data(
        as_text=True), "a held form is given back once"


def test_a_held_notice_form_comes_back_only_to_its_own_account(app: Flask, settings: Settings) -> None:
    editor = app.test_client()
    log_in(editor, "lan")
    page = editor.get("/thong-bao/").get_data(as_text=True)
    expire(app, settings)
    text = "Điện lực thông báo cắt điện thôn Đông từ 7 giờ đến 11 giờ sáng mai để sửa đường dây."
    reply = editor.post("/thong-bao/", data={"csrf_token": token_of(page), "title": "Lịch cắt điện thôn Đông",
                                             "text": text, "priority": "khan-cap"})
    assert reply.headers["Location"] == "/login?next=/giu-lai"

    assert log_in(editor, "hung") == "/giu-lai"   # someone else logs in on this browser: the text stays hidden
    other = editor.get("/giu-lai", follow_redirects=True).get_data(as_text=True)
    assert text not in other and "Không còn nội dung nào được giữ lại" in other
    with Store.open(settings) as store, store.connection() as conn:
        assert conn.execute("SELECT COUNT(*) FROM held_forms").fetchone()[0] == 1, "still held for Chị Lan"


def test_the_held_form_posts_to_the_same_page_with_a_fresh_token(app: Flask, settings: Settings) -> None:
    editor = app.test_client()
    log_in(editor, "lan")
    page = editor.get("/thong-bao/").get_data(as_text=True)
    expire(app, settings)
    text = "Xã tổ chức tiêm phòng dại cho chó mèo vào sáng thứ Bảy tại nhà văn hóa thôn."
    editor.post("/thong-bao/", data={"csrf_token": token_of(page), "title": "Tiêm phòng dại", "text": text,
                                     "priority": "thuong"})
    log_in(editor, "lan")
    page = editor.get("/giu-lai").get_data(as_text=True)
    assert 'action="/thong-bao/"' in page and text in page and 'name="priority" value="thuong"' in page
    fields = {m.group(1): html.unescape(m.group(2))
              for m in re.finditer(r'name="([^"]+)" value="([^"]*)"', page)}
    fields.update({m.group(1): html.unescape(m.group(2))
                   for m in re.finditer(r'<textarea id="[^"]+" name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S)})
    sent = editor.post("/thong-bao/", data=fields)
    assert sent.status_code == 303 and sent.headers["Location"].startswith("/thong-bao/")


def test_a_forged_post_without_the_csrf_token_is_not_held(app: Flask, settings: Settings) -> None:
    editor = app.test_client()
    log_in(editor, "lan")
    expire(app, settings)
    reply = editor.post("/thong-bao/", data={"title": "Giả mạo", "text": "Nội dung giả mạo từ trang khác."})
    assert reply.status_code == 303 and reply.headers["Location"] == "/login"
    with Store.open(settings) as store, store.connection() as conn:
        assert conn.execute("SELECT COUNT(*) FROM held_forms").fetchone()[0] == 0


def test_a_post_without_login_or_token_shows_no_episode_text(app: Flask, episode: EpisodeRecord) -> None:
    stranger = app.test_client()
    reply = stranger.post(f"/episodes/{episode.id}/save", data={"text-ket-thuc": "Nội dung giả mạo."})
    assert reply.status_code == 303 and reply.headers["Location"] == "/login"
    assert "Kính thưa" not in reply.get_data(as_text=True)
