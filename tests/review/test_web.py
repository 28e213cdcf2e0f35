"""Every route of the review site in-process: pages, saving, decisions, audio; XSS, CSRF, login, traversal."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from broadcast.config import Settings, load_settings
from broadcast.errors import ConfigError
from broadcast.review.accounts import local_user
from broadcast.review.store import EpisodeRecord, Store
from broadcast.review.web import create_app, make_server
from broadcast.review.workflow import build_draft

from .conftest import DAY, write_config

XSS_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Tin xã</title><link>http://xa.example.vn/</link><description>t</description>
<item>
<title>&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt; Thủ tục hồ sơ mới</title>
<link>javascript:alert(1)</link>
<guid>tin-xss</guid>
<pubDate>Tue, 24 Nov 2026 08:00:00 +0700</pubDate>
<description>Bộ phận một cửa tiếp nhận hồ sơ &amp;lt;img src=x onerror=alert(2)&amp;gt; trong tuần.</description>
</item>
</channel></rss>
"""


# Function-scoped here (the package's are per module): each test gets its own folder, database and
# draft, and does its own prerequisite steps, so the tests pass in any order (pytest-randomly);
# the shared sentence cache keeps the builds quick.
@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def settings(workdir: Path, speech_cache: Path) -> Settings:
    """This module's episode comes from a feed whose title is a script tag."""
    feed = workdir / "xss.xml"
    feed.write_text(XSS_FEED, encoding="utf-8")
    return load_settings(write_config(workdir, feed=feed, cache=speech_cache), must_exist=True)


@pytest.fixture
def built(settings: Settings) -> EpisodeRecord:
    record = build_draft(settings, DAY)
    assert record is not None
    return record


@pytest.fixture
def app(settings: Settings, built: EpisodeRecord) -> Flask:
    return create_app(settings)


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def token_of(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, page[:500]
    return match.group(1)


def wait_job(client: FlaskClient, location: str) -> dict[str, object]:
    for _ in range(600):
        status: dict[str, object] = client.get(location + ".json").get_json()
        if status["state"] != "running":
            return status
        time.sleep(0.1)
    raise AssertionError("the save job did not finish")


def test_list_page(client: FlaskClient, built: EpisodeRecord) -> None:
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="vi">' in html and 'name="viewport"' in html
    assert f'href="/episodes/{built.id}"' in html and "bản nháp" in html
    assert client.get("/?state=approved").get_data(as_text=True).count("/episodes/") == 0
    assert client.get("/?state=nonsense").status_code == 404
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]


def test_static_files_are_served_locally(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert "http://" not in re.sub(r"http://thunghiem[^\"']*", "", html.split("<main>")[0])  # no CDN in the head
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/static/app.js").status_code == 200


def test_feed_text_is_escaped(client: FlaskClient, built: EpisodeRecord, settings: Settings) -> None:
    with Store.open(settings) as store:
        title = store.segments(built.id)[1].title
    assert title.startswith("<script>alert(1)</script>")  # the feed really carried a script tag
    html = client.get(f"/episodes/{built.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Thủ tục hồ sơ mới" in html
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert 'href="javascript:' not in html


def test_episode_page_shows_each_segment(client: FlaskClient, built: EpisodeRecord, settings: Settings) -> None:
    html = client.get(f"/episodes/{built.id}").get_data(as_text=True)
    with Store.open(settings) as store:
        segments = store.segments(built.id)
    for segment in segments:
        assert f'name="text-{segment.id}"' in html
        assert f'src="/episodes/{built.id}/{segment.file}?v=1"' in html
    assert re.search(r'<span class="source">Hỏi – đáp:\s*kiem-thu-khai-sinh</span>', html)
    assert "Lời đọc" in html and f'src="/episodes/{built.id}/program.mp3?v=1"' in html
    assert client.get("/episodes/999").status_code == 404
    assert client.get("/episodes/abc").status_code == 404
    assert client.get("/episodes/-1").status_code == 404
    assert client.get("/episodes/99999999999999999999999").status_code == 404


def test_audio_is_served_only_from_the_episode(client: FlaskClient, built: EpisodeRecord) -> None:
    program = client.get(f"/episodes/{built.id}/program.mp3")
    assert program.status_code == 200 and program.mimetype == "audio/mpeg"
    assert program.data == built.program.read_bytes()
    part = client.get(f"/episodes/{built.id}/program.mp3", headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.data) == 100
    segment = client.get(f"/episodes/{built.id}/segments/01-mo-dau.mp3")
    assert segment.status_code == 200 and segment.data[:3] in (b"ID3", b"\xff\xfb")
    for bad in ["segments/../manifest.json", "segments/..%2fmanifest.json", "manifest.json", "script.md",
                "segments/%2e%2e/%2e%2e/config.toml", "..%2F..%2Fconfig.toml", "segments/09-khong-co.mp3",
                "segments/01-mo-dau.mp3/../../manifest.json"]:
        assert client.get(f"/episodes/{built.id}/{bad}").status_code == 404, bad
    assert client.get("/onair/..%2Fconfig.toml").status_code == 404
    assert client.get("/onair/khong-co.mp3").status_code == 404


def test_forms_without_a_csrf_token_are_refused(client: FlaskClient, built: EpisodeRecord, settings: Settings) -> None:
    for action, data in [("save", {"revision": "1", "by": "Lan", "text-mo-dau": "Tin giả."}),
                         ("approve", {"by": "Ông Hùng"}), ("reject", {"by": "X", "reason": "Y"}),
                         ("publish", {"by": "Tú"})]:
        response = client.post(f"/episodes/{built.id}/{action}", data=data)
        assert response.status_code == 400, action
        assert "CSRF" in response.get_data(as_text=True)
        response = client.post(f"/episodes/{built.id}/{action}", data={**data, "csrf_token": "gia-mao"})
        assert response.status_code == 400, action
    with Store.open(settings) as store:
        record = store.get(built.id)
    assert record.state == "draft" and record.revision == 1


def test_save_from_the_web(client: FlaskClient, built: EpisodeRecord, settings: Settings) -> None:
    html = client.get(f"/episodes/{built.id}").get_data(as_text=True)
    token = token_of(html)
    with Store.open(settings) as store:
        segment = store.segments(built.id)[2]
    text = segment.text.replace("\n", "\r\n") + " Bà con nhớ mang theo căn cước."  # browsers send CRLF
    response = client.post(f"/episodes/{built.id}/save", data={"csrf_token": token, "revision": "1",
                                                              f"text-{segment.id}": text})
    assert response.status_code == 303
    job = response.headers["Location"]
    assert re.fullmatch(r"/jobs/[0-9a-f]{32}", job)
    job_page = client.get(job).get_data(as_text=True)
    assert "<progress" in job_page
    status = wait_job(client, job)
    assert status["state"] == "done" and status["revision"] == 2 and status["done"] == status["total"] == 1
    with Store.open(settings) as store:
        assert store.segments(built.id)[2].text.endswith("Bà con nhớ mang theo căn cước.")
        assert "\r" not in store.segments(built.id)[2].text
    html = client.get(f"/episodes/{built.id}").get_data(as_text=True)
    with Store.open(settings) as store:
        new_file = store.segments(built.id)[2].file
    assert new_file != "segments/03-hoi-dap-1.mp3"  # new audio under a new name: the browser fetches it
    assert f'/episodes/{built.id}/{new_file}?v=2"' in html
    assert client.get(f"/episodes/{built.id}/{new_file}").status_code == 200
    assert client.get(f"/episodes/{built.id}/segments/03-hoi-dap-1.mp3").status_code == 404
    assert client.get("/jobs/" + "0" * 32).status_code == 404
    assert client.get("/jobs/../etc").status_code == 404


def save_third_segment(client: FlaskClient, built: EpisodeRecord, settings: Settings) -> None:
    """Revision 2 from the web: the first FAQ segment gets one more sentence (what the tests below start from)."""
    token = token_of(client.get(f"/episodes/{built.id}").get_data(as_text=True))
    with Store.open(settings) as store:
        segment = store.segments(built.id)[2]
    response = client.post(f"/episodes/{built.id}/save", data={
        "csrf_token": token, "revision": "1", f"text-{segment.id}": segment.text + " Bà con nhớ mang theo căn cước."})
    assert response.status_code == 303
    status = wait_job(client, response.headers["Location"])
    assert status["state"] == "done" and status["revision"] == 2


def test_a_stale_web_form_is_refused_and_its_text_kept(client: FlaskClient, built: EpisodeRecord,
                                                       settings: Settings) -> None:
    token = token_of(client.get(f"/episodes/{built.id}").get_data(as_text=True))  # the form, at revision 1
    save_third_segment(client, built, settings)
    response = client.post(f"/episodes/{built.id}/save", data={"csrf_token": token, "revision": "1", "by": "Anh Ba",
                                                              "text-hoi-dap-1": "Bản cũ của anh Ba."})
    assert response.status_code == 409   # the same segment was changed since revision 1: a conflict page
    page = response.get_data(as_text=True)
    assert f"Bản của {local_user()}" in page and "Bản cũ của anh Ba." in page


def test_approve_reject_publish_from_the_web(client: FlaskClient, built: EpisodeRecord, settings: Settings) -> None:
    save_third_segment(client, built, settings)
    token = token_of(client.get(f"/episodes/{built.id}").get_data(as_text=True))
    response = client.post(f"/episodes/{built.id}/reject", data={"csrf_token": token, "reason": ""})
    assert response.status_code == 400 and "lý do" in response.get_data(as_text=True)
    response = client.post(f"/episodes/{built.id}/publish", data={"csrf_token": token})
    assert response.status_code == 400 and "Không thể phát sóng" in response.get_data(as_text=True)
    response = client.post(f"/episodes/{built.id}/approve", data={"csrf_token": token, "revision": "1"})
    assert response.status_code == 409  # approving a revision other than the one on screen
    response = client.post(f"/episodes/{built.id}/approve", data={"csrf_token": token, "by": "Ông Hùng",
                                                                 "revision": "2"})
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    # no account yet: the single officer at this PC, recorded as the OS user, never the name a form sends
    assert f"Đã phê duyệt bởi {local_user()}" in html and "Ông Hùng" not in html and 'id="publish"' in html
    response = client.post(f"/episodes/{built.id}/publish", data={"csrf_token": token})
    assert response.status_code == 303
    with Store.open(settings) as store:
        assert store.get(built.id).state == "published"
    onair = client.get("/onair/2026-11-27-cai-cach-hanh-chinh.mp3")
    assert onair.status_code == 200 and onair.data == built.program.read_bytes()
    assert client.get(f"/onair/{settings.review.playlist}").status_code == 200
    assert b"<rss" in client.get(f"/onair/{settings.review.feed_file}").data
    html = client.get(f"/episodes/{built.id}").get_data(as_text=True)
    assert 'id="save"' not in html and "readonly" in html  # aired: no more edits


def test_reject_from_the_web(settings: Settings) -> None:
    record = build_draft(settings, DAY + dt.timedelta(days=1))
    assert record is not None
    client = create_app(settings).test_client()
    token = token_of(client.get(f"/episodes/{record.id}").get_data(as_text=True))
    response = client.post(f"/episodes/{record.id}/reject", data={"csrf_token": token,
                                                                 "reason": "<b>Sai số liệu</b>"})
    assert response.status_code == 303
    html = client.get(f"/episodes/{record.id}").get_data(as_text=True)
    assert "bị từ chối" in html and "&lt;b&gt;Sai số liệu&lt;/b&gt;" in html


def test_a_legacy_shared_password_alone_keeps_the_site_closed(settings: Settings, tmp_path: Path) -> None:
    """The shared password of earlier versions no longer logs anyone in, and never silently opens the site."""
    legacy = dataclasses.replace(settings, review=dataclasses.replace(
        settings.review, database=tmp_path / "legacy.sqlite", password_hash=generate_password_hash("mat-khau-cu-1")))
    with pytest.raises(ConfigError, match=r"password_hash.*broadcast users add"):
        create_app(legacy)


def test_listening_beyond_loopback_needs_an_account(settings: Settings, tmp_path: Path) -> None:
    fresh = dataclasses.replace(settings, review=dataclasses.replace(settings.review, database=tmp_path / "x.sqlite"))
    with pytest.raises(ConfigError, match="tài khoản"):
        make_server(fresh, host="0.0.0.0", port=0)
    with pytest.raises(ConfigError, match="tài khoản"):
        create_app(fresh, bind_host="0.0.0.0")
    server = make_server(fresh, host="127.0.0.1", port=0)
    try:
        assert int(server.effective_port) > 0
    finally:
        server.close()


def test_list_page_shows_citizens_questions_waiting_for_an_answer(settings: Settings, built: EpisodeRecord,
                                                                  tmp_path: Path) -> None:
    from broadcast.sources.inbox import import_csv

    inbox = tmp_path / "inbox.json"
    client = create_app(dataclasses.replace(settings, sources=dataclasses.replace(settings.sources, inbox=inbox))
                        ).test_client()
    csv = tmp_path / "cau-hoi.csv"
    csv.write_text("Mã,Ngày,Người hỏi,Thôn,Câu hỏi\n"
                   "Q-7,20/11/2026,Bà Lan,thôn Đông,Làm lại thẻ căn cước bị mất ở đâu? <b>gấp</b>\n",
                   encoding="utf-8")
    import_csv(inbox, csv)
    html = client.get("/").get_data(as_text=True)
    assert "Câu hỏi của bà con đang chờ trả lời (1)" in html
    assert "Q-7" in html and "Bà Lan, thôn Đông" in html and "20/11/2026" in html
    assert "&lt;b&gt;gấp&lt;/b&gt;" in html  # citizens' text is escaped like feed text
    inbox.write_text("{ không phải JSON", encoding="utf-8")
    broken = client.get("/")
    assert broken.status_code == 200
    assert "Tệp hộp thư câu hỏi" in broken.get_data(as_text=True) and "bị hỏng" in broken.get_data(as_text=True)
