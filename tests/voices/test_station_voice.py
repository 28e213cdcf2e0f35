"""Two voices for hỏi – đáp, and the station's voice chosen by a person's name (config and site).

Edge is the local websocket fake (tests/sound/edge_server.py): real edge-tts, aiohttp and MP3 bytes,
only the service's address changed. The site is the real Flask app, with its CSRF-protected form.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from broadcast.compose import dialogue_roles, make_environment, render
from broadcast.config import PROJECT_DIR, load_settings
from broadcast.errors import ConfigError
from broadcast.manifest import read_manifest
from broadcast.models import FaqEntry, Segment
from broadcast.review.web import create_app
from broadcast.review.workflow import build_draft
from broadcast.speech import make_engines
from broadcast.speech.speak import parts_by_role, sentences
from broadcast.speech.stage import make_speaker
from tests.conftest import closed_port
from tests.sound.edge_server import EdgeServer
from tests.voices.online import write_config

HOAI_MY = "Microsoft Server Speech Text to Speech Voice (vi-VN, HoaiMyNeural)"
NAM_MINH = "Microsoft Server Speech Text to Speech Voice (vi-VN, NamMinhNeural)"
NAM_MINH_NAME = "Nam Minh (nam, miền Bắc)"


@pytest.fixture
def edge(monkeypatch: pytest.MonkeyPatch) -> Iterator[EdgeServer]:
    import edge_tts.communicate

    with EdgeServer() as server:
        monkeypatch.setattr(edge_tts.communicate, "WSS_URL", server.url)
        yield server


def voice_of(server: EdgeServer, text: str) -> set[str]:
    return {voice for voice, asked in server.requests if asked == text}


def test_a_built_faq_segment_asks_and_answers_in_two_edge_voices(edge: EdgeServer, tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path, closed_port(), engines='["edge", "espeak"]'), must_exist=True)
    record = build_draft(settings, dt.date(2026, 12, 9))
    assert record is not None
    faq = next(s for s in read_manifest(record.folder).segments if "answer" in s.roles)
    assert faq.engine == "edge"
    parts = parts_by_role(Segment(faq.id, faq.title, faq.text, spoken=faq.spoken, roles=faq.roles))
    question = [s for role, p in parts if role == "question" for s in sentences(p)]
    answer = [s for role, p in parts if role == "answer" for s in sentences(p)]
    assert question and answer
    assert all(voice_of(edge, s) == {HOAI_MY} for s in question)
    assert all(voice_of(edge, s) == {NAM_MINH} for s in answer)


def faq_segment() -> Segment:
    entry = FaqEntry(id="khai-sinh", question="Đăng ký khai sinh cho con cần giấy tờ gì",
                     answer="Cần tờ khai và giấy chứng sinh. Nộp tại bộ phận một cửa.", topic="Hộ tịch")
    text = render(make_environment(PROJECT_DIR / "scripts_templates"), "faq", entry=entry, index=1)
    return Segment("hoi-dap-1", "Hỏi đáp", text, spoken=text, roles=dialogue_roles(text, entry.question))


def test_choosing_nam_minh_puts_his_voice_first_and_hoai_my_answers(edge: EdgeServer, tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path, closed_port(), speech=f'voice = "{NAM_MINH_NAME}"'),
                             must_exist=True)
    assert [e.name for e in make_engines(settings.speech)] == ["edge", "gtts", "espeak"]
    voicing = make_speaker(settings).voice(faq_segment())
    assert voicing.engine == "edge"
    voices = [voice for voice, _ in edge.requests]
    assert voices == [NAM_MINH, NAM_MINH, HOAI_MY, HOAI_MY]     # host, question; then the two answer sentences


def test_an_unknown_voice_name_is_one_vietnamese_line_with_the_choices(tmp_path: Path) -> None:
    config = write_config(tmp_path, closed_port(), speech='voice = "Thu Hà"')
    with pytest.raises(ConfigError) as caught:
        load_settings(config, must_exist=True)
    message = str(caught.value)
    assert "config.toml, dòng" in message and "speech.voice" in message and "Thu Hà" in message
    assert "Hoài My (nữ, miền Bắc)" in message and NAM_MINH_NAME in message and "\n" not in message


def token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_the_voice_page_names_people_and_writes_the_choice_into_the_config(tmp_path: Path) -> None:
    config = write_config(tmp_path, closed_port())
    settings = load_settings(config, must_exist=True)
    app = create_app(settings, secret_key="thu")
    client = app.test_client()
    page = client.get("/giong-doc/").get_data(as_text=True)
    assert "Hoài My (nữ, miền Bắc)" in page and NAM_MINH_NAME in page and "Giọng đọc" in page
    labels = " ".join(re.findall(r"<strong>(.*?)</strong>", page))
    assert not re.search(r"edge|gtts|espeak|Neural|vi-VN", labels, re.I)      # people, not engines
    assert "Giọng đọc trước tiên: Giọng Google." in page

    reply = client.post("/giong-doc/", data={"csrf_token": token(page), "voice": NAM_MINH_NAME})
    assert reply.status_code == 303
    text = config.read_text(encoding="utf-8")
    assert f'voice = "{NAM_MINH_NAME}"' in text
    assert "# Giọng trực tuyến trước, giọng dự phòng sau." in text and text.startswith("# Cấu hình thử nghiệm")
    assert load_settings(config, must_exist=True).speech.voice == NAM_MINH_NAME
    assert app.extensions["broadcast"]["settings"].speech.voice == NAM_MINH_NAME
    assert app.extensions["broadcast"]["voicer"].settings.speech.voice == NAM_MINH_NAME
    page = client.get("/giong-doc/").get_data(as_text=True)
    assert f"Đã chọn giọng đọc: {NAM_MINH_NAME}." in page
    assert f"Giọng đọc trước tiên: {NAM_MINH_NAME}. Khi giọng này không dùng được: Giọng Google, rồi" in page
    assert re.search(rf'value="{re.escape(NAM_MINH_NAME)}" class="inline-check"\s+checked', page)

    before = config.read_text(encoding="utf-8")
    reply = client.post("/giong-doc/", data={"csrf_token": token(page), "voice": "Thu Hà"})
    assert reply.status_code == 303 and config.read_text(encoding="utf-8") == before
    assert "không có trong danh sách" in client.get("/giong-doc/").get_data(as_text=True)
