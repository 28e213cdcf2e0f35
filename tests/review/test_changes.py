"""What changed since the last approval, word by word, on the episode page; warnings and voices in plain words."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from broadcast.config import Settings
from broadcast.review.edits import save_edits
from broadcast.review.store import EpisodeRecord, Store
from broadcast.review.web import create_app
from broadcast.review.web.changes import word_diff


def test_word_diff_marks_exactly_the_changed_words() -> None:
    shown = str(word_diff("Bà con mang giấy chứng sinh đến xã.", "Bà con mang giấy chứng sinh bản chính đến Bộ phận "
                                                                  "Một cửa."))
    assert shown == ("Bà con mang giấy chứng sinh <ins>bản chính</ins> đến <del>xã.</del> <ins>Bộ phận Một cửa.</ins>")
    assert str(word_diff("a b", "a <script>")) == "a <del>b</del> <ins>&lt;script&gt;</ins>"
    assert str(word_diff("giữ nguyên", "giữ nguyên")) == "giữ nguyên"


def test_episode_page_shows_changes_only_in_the_edited_segment(settings: Settings, built: EpisodeRecord) -> None:
    with Store.open(settings) as store:
        segments = {s.id: s for s in store.segments(built.id)}
        old = segments["tin-1"].text
        save_edits(settings, store, built.id, {"tin-1": old + " Bà con lưu ý mang theo căn cước."},
                   base_revision=built.revision, by="Chị Mai")
    client: FlaskClient = create_app(settings).test_client()
    page = client.get(f"/episodes/{built.id}").get_data(as_text=True)
    sections = dict(re.findall(r'<section class="card segment" id="doan-([^"]+)">(.*?)</section>', page, re.S))
    assert "<ins>Bà con lưu ý mang theo căn cước.</ins>" in sections["tin-1"]
    assert "Thay đổi so với bản dựng đầu tiên" in sections["tin-1"]
    assert all("Thay đổi so với" not in body for key, body in sections.items() if key != "tin-1")
    assert "Giọng dự phòng (máy tính đọc)" in page and "Giọng espeak" not in page
