"""Citizens' questions on the site: upload a CSV, answer in place (an FAQ entry), merge duplicates, close."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from broadcast.config import Settings, load_settings
from broadcast.review.web import create_app
from broadcast.sources import inbox
from broadcast.sources.faq import read_faq

from .conftest import DATA, write_config

CSV = ("Mã,Ngày,Người hỏi,Thôn,Câu hỏi\n"
       "hq-01,02/11/2026,Bà Nguyễn Thị Hoa,Thôn Đông,Làm lại căn cước bị mất ở đâu?\n"
       "hq-02,03/11/2026,Ông Lê Văn Tâm,Thôn Tây,Mất căn cước thì làm lại ở đâu ạ?\n"
       "hq-03,04/11/2026,,,Xã có thu phí chứng thực không?\n")


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    bank = tmp_path / "faq"
    bank.mkdir()
    (bank / "ho-tich.toml").write_bytes((DATA / "faq" / "ho-tich.toml").read_bytes())
    config = write_config(tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace((DATA / "faq").as_posix(), bank.as_posix()),
                      encoding="utf-8")
    return load_settings(config, must_exist=True)


@pytest.fixture()
def app(settings: Settings) -> Flask:
    return create_app(settings)


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def token(client: FlaskClient, path: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True))
    assert match
    return match.group(1)


def upload(client: FlaskClient, data: bytes, name: str = "cau-hoi.csv") -> str:
    reply = client.post("/cau-hoi/tai-len", data={"csrf_token": token(client, "/cau-hoi/"),
                                                   "tep": (io.BytesIO(data), name)},
                        content_type="multipart/form-data", follow_redirects=True)
    assert reply.status_code == 200
    return reply.get_data(as_text=True)


def test_upload_then_answer_in_place_creates_a_linked_faq_entry(client: FlaskClient, settings: Settings) -> None:
    page = upload(client, CSV.encode("utf-8"))
    assert "Đã nhập 3 câu hỏi mới từ cau-hoi.csv" in page
    form_page = client.get("/cau-hoi/hq-01").get_data(as_text=True)
    assert "Bà Nguyễn Thị Hoa ở Thôn Đông hỏi: Làm lại căn cước bị mất ở đâu?" in form_page
    reply = client.post("/cau-hoi/hq-01", data={
        "csrf_token": token(client, "/cau-hoi/hq-01"), "topic": "Căn cước",
        "question": "Bà Nguyễn Thị Hoa ở Thôn Đông hỏi: Làm lại căn cước bị mất ở đâu?",
        "answer": "Bà đến Công an xã hoặc nộp hồ sơ trên ứng dụng VNeID.", "source": "Luật Căn cước 2023"})
    assert reply.status_code == 303, reply.get_data(as_text=True)
    assert settings.sources.faq is not None
    entry = next(e for e in read_faq(settings.sources.faq) if e.answers_inbox == ("hq-01",))
    assert entry.topic == "Căn cước" and Path(entry.file).name == "can-cuoc.toml"
    assert entry.valid_from is not None
    assert [q.id for q in inbox.pending_questions(settings)] == ["hq-02", "hq-03"]
    listing = client.get("/cau-hoi/").get_data(as_text=True)
    assert "đã trả lời" in listing


def test_merge_duplicate_and_close_with_reason(client: FlaskClient, settings: Settings) -> None:
    upload(client, CSV.encode("utf-8"))
    t = token(client, "/cau-hoi/hq-02")
    assert client.post("/cau-hoi/hq-02/dong", data={"csrf_token": t, "duplicate_of": "hq-01"}).status_code == 303
    refused = client.post("/cau-hoi/hq-03/dong", data={"csrf_token": t, "reason": "  "}, follow_redirects=True)
    assert "Hãy ghi lý do đóng câu hỏi" in refused.get_data(as_text=True)
    assert client.post("/cau-hoi/hq-03/dong", data={"csrf_token": t,
                                                     "reason": "Đã trả lời trực tiếp tại Bộ phận Một cửa"}
                       ).status_code == 303
    stored = {q.id: q for q in inbox.load(settings.sources.inbox)}
    assert (stored["hq-02"].status, stored["hq-02"].note) == (inbox.DUPLICATE, "hq-01")
    assert (stored["hq-03"].status, stored["hq-03"].note) == (inbox.CLOSED, "Đã trả lời trực tiếp tại Bộ phận Một cửa")
    assert [q.id for q in inbox.pending_questions(settings)] == ["hq-01"]
    client.post("/cau-hoi/hq-03/mo-lai", data={"csrf_token": t})
    assert [q.id for q in inbox.pending_questions(settings)] == ["hq-01", "hq-03"]


def test_bad_upload_names_the_row_and_imports_nothing(client: FlaskClient, settings: Settings) -> None:
    upload(client, CSV.encode("utf-8"))
    before = settings.sources.inbox.read_bytes()
    bad = "Mã,Ngày,Câu hỏi\nhq-09,31/02/2026,Hỏi gì đó?\n".encode()
    page = upload(client, bad, name="thang-12.csv")
    assert "Chưa nhập câu hỏi nào: thang-12.csv, dòng 2, cột &#34;Ngày&#34;" in page
    assert settings.sources.inbox.read_bytes() == before


def test_old_inbox_files_still_load(tmp_path: Path) -> None:
    path = tmp_path / "inbox.json"
    path.write_text('{"version": 1, "questions": [{"id": "a", "question": "Hỏi?", "received": "2026-11-02",'
                    ' "asker": "", "place": ""}]}', encoding="utf-8")
    (question,) = inbox.load(path)
    assert question.status == inbox.WAITING and question.received is not None
