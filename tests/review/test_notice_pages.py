"""Urgent notices from the site: an editor types and hears one, only an approver approves it, and it is queued."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from broadcast.config import Settings, load_settings
from broadcast.files import sha256
from broadcast.onair.items import URGENT, notices
from broadcast.onair.log import PLAYED, AsPlayedLog
from broadcast.onair.outputs.folder import ONAIR_FILE
from broadcast.onair.slot import watch_notices
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


HCM = ZoneInfo("Asia/Ho_Chi_Minh")
SATURDAY_0600 = dt.datetime(2026, 12, 5, 6, 0, tzinfo=HCM)
POWER_CUT = "Điện lực thông báo cắt điện thôn Đông từ 7 giờ 30 đến 11 giờ để sửa đường dây."


def drafted(client: FlaskClient, **fields: str) -> tuple[int, str, str]:
    page = client.get("/thong-bao/").get_data(as_text=True)
    reply = client.post("/thong-bao/", data={"csrf_token": token_of(page), "title": "Lịch cắt điện thôn Đông",
                                             "text": POWER_CUT, "priority": "thuong", **fields})
    return reply.status_code, reply.headers.get("Location", ""), reply.get_data(as_text=True)


def test_a_notice_at_a_chosen_time_shows_when_it_airs_can_be_cancelled_and_then_shows_when_it_aired(
        tmp_path: Path, speech_cache: Path) -> None:
    settings = load_settings(write_config(tmp_path, cache=speech_cache, extra='[onair]\noutputs = ["folder"]'),
                             must_exist=True)
    with Store.open(settings) as store:
        Accounts(store).add("lan", EDITOR, PASSWORD, full_name="Chị Lan", by="test")
        Accounts(store).add("hung", APPROVER, PASSWORD, full_name="Ông Hùng", by="test")
    app = create_app(settings)
    with time_machine.travel(SATURDAY_0600, tick=True):
        editor = logged_in(app, "lan")
        code, _, page = drafted(editor, khi="hen-gio", luc="05/12/2026 05:00")
        assert code == 400 and "Giờ phát 05:00 thứ Bảy 05/12/2026 đã qua (bây giờ là 06:00" in page
        assert POWER_CUT in page and 'value="05/12/2026 05:00"' in page, "the editor's text and time are kept"
        code, _, page = drafted(editor, khi="hen-gio", luc="5/12 7h30")
        assert code == 400 and "Giờ phát «5/12 7h30» không đúng dạng ngày/tháng/năm giờ:phút" in page
        code, review, _ = drafted(editor, khi="hen-gio", luc="05/12/2026 07:30")
        assert code == 303
        assert "Giờ phát đã chọn: hẹn giờ 05/12/2026 07:30." in editor.get(review).get_data(as_text=True)

        approver = logged_in(app, "hung")
        page = approver.get(review).get_data(as_text=True)
        assert re.search(r'value="hen-gio"\s+checked', page) and 'value="05/12/2026 07:30"' in page
        token = review.rsplit("/", 1)[1]
        done = approver.post(f"/thong-bao/{token}/duyet", data={"csrf_token": token_of(page), "da_nghe": "1",
                                                                "khi": "hen-gio", "luc": "05/12/2026 07:30"},
                             follow_redirects=True).get_data(as_text=True)
        assert "mã 1: sẽ phát lúc 07:30 thứ Bảy 05/12/2026." in done
        assert "Sẽ phát lúc 07:30 thứ Bảy 05/12/2026." in done and "Hủy, không phát" in done
        schedule = approver.get("/lich/").get_data(as_text=True)
        assert re.search(r"<strong>07:30, 05/12/2026</strong> · <a [^>]+>Lịch cắt điện thôn Đông</a>", schedule)
        page = editor.get("/thong-bao/").get_data(as_text=True)
        assert "Hủy, không phát" not in page
        assert editor.post("/thong-bao/huy/1", data={"csrf_token": token_of(page)}).status_code == 403

        _, second, _ = drafted(editor, khi="ngay")
        page = approver.get(second).get_data(as_text=True)
        approver.post(f"/thong-bao/{second.rsplit('/', 1)[1]}/duyet",
                      data={"csrf_token": token_of(page), "da_nghe": "1", "khi": "ngay"})
        done = approver.post("/thong-bao/huy/1", data={"csrf_token": token_of(page)},
                             follow_redirects=True).get_data(as_text=True)
        assert "Đã hủy thông báo thường mã 1 «Lịch cắt điện thôn Đông»: thông báo này sẽ không được phát." in done
        assert "Đã hủy, không phát (bởi Ông Hùng" in done
        for thread in watch_notices(str(settings.source_file)):   # what the scheduler's notice watch does
            thread.join(30)
        page = approver.get(second).get_data(as_text=True)
    assert "Đã duyệt (mã 2): đã phát lúc 06:00 thứ Bảy 05/12/2026." in page and "Hủy, không phát" not in page
    with Store.open(settings) as store:
        assert [(r.ref_id, r.result) for r in AsPlayedLog(store).rows()] == [(2, PLAYED)]
        assert sorted(a.action for a in store.audit() if a.action.startswith("notice")) == [
            "notice-approve", "notice-approve", "notice-cancel"]
    assert sha256(settings.onair.folder / ONAIR_FILE) == sha256(
        settings.review.database.parent / "thong-bao" / f"{second.rsplit('/', 1)[1]}.mp3")


def test_the_approver_changing_the_time_to_a_past_one_is_refused_in_one_line_and_nothing_is_queued(
        app: Flask, settings: Settings) -> None:
    with time_machine.travel(SATURDAY_0600, tick=True):
        editor = logged_in(app, "lan")
        _, review, _ = drafted(editor, khi="hen-gio", luc="05/12/2026 07:30")
        approver = logged_in(app, "hung")
        page = approver.get(review).get_data(as_text=True)
        reply = approver.post(f"/thong-bao/{review.rsplit('/', 1)[1]}/duyet", data={
            "csrf_token": token_of(page), "da_nghe": "1", "khi": "hen-gio", "luc": "04/12/2026 07:30"})
        page = reply.get_data(as_text=True)
        assert reply.status_code == 400
        assert re.search(r'role="alert">Giờ phát 07:30 thứ Sáu 04/12/2026 đã qua \(bây giờ là 06:00[^<]*</p>', page)
        assert 'value="04/12/2026 07:30"' in page and "Duyệt và đưa lên loa" in page
        assert "Chưa có đầu ra phát sóng" in approver.get("/thong-bao/").get_data(as_text=True)
    with Store.open(settings) as store:
        assert notices(store) == []
