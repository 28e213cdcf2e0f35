"""The FAQ bank on the site: edits written back to the TOML files with comments kept, stale writes refused."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from broadcast.config import load_settings
from broadcast.review.store import Store
from broadcast.review.web import create_app
from broadcast.sources.faq import read_faq

from .conftest import DATA, write_config

COMMENTED = """# Ngân hàng hỏi – đáp của xã: lĩnh vực hộ tịch.
# Dòng chú thích này phải còn nguyên sau khi sửa trên trang web.

[[entry]]
id = "khai-sinh"
topic = "Hộ tịch"   # chú thích cuối dòng
tags = ["khai sinh"]
priority = 1
valid_from = 2025-07-01
question = "Đăng ký khai sinh cho con cần mang những giấy tờ gì?"
answer = "Bà con mang giấy chứng sinh đến Bộ phận Một cửa của xã."
source = "Luật Hộ tịch năm 2014"

# Mục thứ hai: không ai sửa, phải giữ nguyên từng chữ.
[[entry]]
id = "ket-hon"
topic = "Hộ tịch"
question = "Đăng ký kết hôn ở đâu?"
answer = "Tại Ủy ban nhân dân xã nơi cư trú của một trong hai bên."
"""

SECOND_ENTRY = COMMENTED[COMMENTED.index("# Mục thứ hai"):]


@pytest.fixture()
def bank(tmp_path: Path) -> Path:
    folder = tmp_path / "faq"
    folder.mkdir()
    (folder / "ho-tich.toml").write_text(COMMENTED, encoding="utf-8")
    return folder


@pytest.fixture()
def app(tmp_path: Path, bank: Path) -> Flask:
    config = write_config(tmp_path)
    text = config.read_text(encoding="utf-8").replace((DATA / "faq").as_posix(), bank.as_posix())
    config.write_text(text, encoding="utf-8")
    return create_app(load_settings(config, must_exist=True))


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def form_of(page: str) -> dict[str, str]:
    """The fields of the first form on the page, as a browser would send them."""
    form = page[page.index("<form method=\"post\""):]
    form = form[:form.index("</form>")]
    fields = {m.group(1): m.group(2) for m in re.finditer(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form)}
    for m in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        fields[m.group(1)] = m.group(2)
    for m in re.finditer(r'<select[^>]*name="([^"]+)".*?<option value="([^"]*)" selected', form, re.S):
        fields[m.group(1)] = m.group(2)
    return {k: html.unescape(v) for k, v in fields.items()}


def test_edit_on_site_keeps_comments_and_other_entries(client: FlaskClient, bank: Path) -> None:
    page = client.get("/hoi-dap/khai-sinh").get_data(as_text=True)
    fields = form_of(page)
    assert fields["question"].startswith("Đăng ký khai sinh")
    fields["answer"] = "Bà con mang giấy chứng sinh và thẻ căn cước đến Bộ phận Một cửa.\n\nĐúng hạn thì miễn lệ phí."
    reply = client.post("/hoi-dap/khai-sinh", data=fields)
    assert reply.status_code == 303, reply.get_data(as_text=True)
    text = (bank / "ho-tich.toml").read_text(encoding="utf-8")
    assert text.startswith("# Ngân hàng hỏi – đáp của xã: lĩnh vực hộ tịch.\n# Dòng chú thích này")
    assert "# chú thích cuối dòng" in text
    assert text.endswith(SECOND_ENTRY)
    entry = {e.id: e for e in read_faq(bank)}["khai-sinh"]
    assert entry.answer.endswith("Đúng hạn thì miễn lệ phí.") and "\n\n" in entry.answer
    assert entry.priority == 1 and entry.source == "Luật Hộ tịch năm 2014"


def test_stale_write_is_refused_and_the_other_edit_kept(client: FlaskClient, bank: Path) -> None:
    fields = form_of(client.get("/hoi-dap/khai-sinh").get_data(as_text=True))
    path = bank / "ho-tich.toml"
    by_hand = path.read_text(encoding="utf-8").replace("giấy chứng sinh đến", "giấy chứng sinh bản chính đến")
    path.write_text(by_hand, encoding="utf-8")  # someone edits the file in a text editor meanwhile
    fields["answer"] = "Câu trả lời của người mở trang trước."
    reply = client.post("/hoi-dap/khai-sinh", data=fields)
    page = reply.get_data(as_text=True)
    assert reply.status_code == 409
    assert "ho-tich.toml đã được sửa" in page
    assert "Câu trả lời của người mở trang trước." in page  # the editor's text is still in the form
    assert path.read_text(encoding="utf-8") == by_hand


def test_add_goes_to_the_topic_file_or_a_new_one(client: FlaskClient, bank: Path) -> None:
    new = form_of(client.get("/hoi-dap/moi").get_data(as_text=True))
    new.update(topic="Hộ tịch", question="Làm lại giấy khai sinh bị mất thế nào?",
               answer="Bà con đến xã nơi đã đăng ký khai sinh để xin trích lục.", valid_from="01/07/2025")
    assert client.post("/hoi-dap/moi", data=new).status_code == 303
    new.update(topic="Đất đai", question="Cấp sổ đỏ lần đầu mất bao lâu?", answer="Không quá 20 ngày làm việc.")
    assert client.post("/hoi-dap/moi", data=new).status_code == 303
    entries = read_faq(bank)
    assert [Path(e.file).name for e in entries] == ["dat-dai.toml", "ho-tich.toml", "ho-tich.toml", "ho-tich.toml"]
    added = next(e for e in entries if e.question.startswith("Làm lại"))
    assert added.valid_from is not None and added.valid_from.isoformat() == "2025-07-01"
    assert (bank / "ho-tich.toml").read_text(encoding="utf-8").startswith(COMMENTED)


def test_bad_date_names_the_field_and_writes_nothing(client: FlaskClient, bank: Path) -> None:
    before = (bank / "ho-tich.toml").read_bytes()
    fields = form_of(client.get("/hoi-dap/khai-sinh").get_data(as_text=True))
    fields["valid_until"] = "31/02/2026"
    reply = client.post("/hoi-dap/khai-sinh", data=fields)
    assert reply.status_code == 409
    assert "Áp dụng đến ngày" in reply.get_data(as_text=True)
    assert (bank / "ho-tich.toml").read_bytes() == before


def test_retire_then_restore(client: FlaskClient, app: Flask, bank: Path) -> None:
    page = client.get("/hoi-dap/ket-hon").get_data(as_text=True)
    expected = re.findall(r'name="expected" value="([0-9a-f]*)"', page)[-1]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    assert client.post("/hoi-dap/ket-hon/ngung", data={"csrf_token": token, "expected": expected}).status_code == 303
    store: Store = app.extensions["broadcast"]["store"]
    entry = {e.id: e for e in read_faq(bank)}["ket-hon"]
    assert entry.valid_until is not None and entry.valid_until < store.local_today()
    listing = client.get("/hoi-dap/?q=kết+hôn").get_data(as_text=True)
    assert "đã ngừng" in listing
    page = client.get("/hoi-dap/ket-hon").get_data(as_text=True)
    expected = re.findall(r'name="expected" value="([0-9a-f]*)"', page)[-1]
    assert "Khôi phục" in page
    reply = client.post("/hoi-dap/ket-hon/khoi-phuc", data={"csrf_token": token, "expected": expected})
    assert reply.status_code == 303
    assert {e.id: e for e in read_faq(bank)}["ket-hon"].valid_until is None
    assert [a.action for a in store.audit()][:2] == ["khôi phục câu hỏi", "ngừng phát câu hỏi"]


def test_search_by_text_and_topic(client: FlaskClient, bank: Path) -> None:
    shutil.copy(DATA / "faq" / "ho-tich.toml", bank / "khac.toml")
    (bank / "khac.toml").write_text((bank / "khac.toml").read_text(encoding="utf-8").replace('id = "kiem-thu',
                                                                                               'id = "k'))
    page = client.get("/hoi-dap/?q=kết+hôn").get_data(as_text=True)
    assert page.count('class="card"') - 1 == 2  # the search form is a card too
    page = client.get("/hoi-dap/?linh-vuc=Cư+trú").get_data(as_text=True)
    assert "Sổ hộ khẩu còn dùng được không?" in page and "Đăng ký kết hôn" not in page
