"""The edge engine against a real local websocket server speaking the Edge read-aloud protocol.

Only the service's address is changed (``edge_tts.communicate.WSS_URL``); edge-tts,
aiohttp, the websocket and the MP3 bytes are all real.
"""

from __future__ import annotations

import socket
import time

import pytest

from broadcast.compose import dialogue_roles, make_environment, render
from broadcast.config import PROJECT_DIR, Settings
from broadcast.models import FaqEntry
from broadcast.speech import EngineUnavailable, make_engines
from broadcast.speech.edge import EdgeEngine
from broadcast.speech.speak import parts_by_role
from broadcast.speech.stage import make_speaker

from .edge_server import EdgeServer
from .helpers import segment

HOAI_MY = "Microsoft Server Speech Text to Speech Voice (vi-VN, HoaiMyNeural)"
NAM_MINH = "Microsoft Server Speech Text to Speech Voice (vi-VN, NamMinhNeural)"


def test_edge_voices_a_sentence_as_real_audio(edge_server: EdgeServer, settings: Settings) -> None:
    audio = EdgeEngine(settings.speech).synthesize("Xin chào bà con xã Đức Hạnh.")
    assert 1.0 < len(audio) / 1000 < 3.0 and audio.dBFS > -40
    assert edge_server.requests == [(HOAI_MY, "Xin chào bà con xã Đức Hạnh.")]


def test_faq_segment_is_read_by_two_voices(edge_server: EdgeServer, settings: Settings) -> None:
    """The real faq template: the host introduces, HoaiMy asks, NamMinh answers."""
    entry = FaqEntry(id="khai-sinh", question="Đăng ký khai sinh cho con cần giấy tờ gì",
                     answer="Cần tờ khai và giấy chứng sinh. Nộp tại bộ phận một cửa.", topic="Hộ tịch")
    env = make_environment(PROJECT_DIR / "scripts_templates")
    text = render(env, "faq", entry=entry, index=1)
    roles = dialogue_roles(text, entry.question)
    assert roles == ("main", "question", "answer")
    assert "Hỏi" not in text.split("\n\n")[1]      # the written script stays plain for the editor
    speaker = make_speaker(settings, [EdgeEngine(settings.speech)])
    voicing = speaker.voice(segment("hoi-dap-1", text, roles))
    assert voicing.engine == "edge"
    voices = [voice for voice, _ in edge_server.requests]
    spoken = [text for _, text in edge_server.requests]
    assert voices == [HOAI_MY, HOAI_MY, NAM_MINH, NAM_MINH]
    assert spoken[1].startswith("Đăng ký khai sinh") and spoken[2].startswith("Cần tờ khai")


def test_roles_that_no_longer_fit_the_text_fall_back_to_one_voice() -> None:
    edited = segment("hoi-dap-1", "Một đoạn duy nhất sau khi biên tập.", ("main", "question", "answer"))
    assert parts_by_role(edited) == [("main", "Một đoạn duy nhất sau khi biên tập.")]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_service_fails_fast_and_espeak_takes_over(monkeypatch: pytest.MonkeyPatch,
                                                              settings: Settings) -> None:
    import edge_tts.communicate

    monkeypatch.setattr(edge_tts.communicate, "WSS_URL", f"ws://127.0.0.1:{_closed_port()}/edge/v1?x=1")
    with pytest.raises(EngineUnavailable):
        EdgeEngine(settings.speech).synthesize("Xin chào.")
    speaker = make_speaker(settings, make_engines(settings.speech.__class__(engines=["edge", "espeak"],
                                                                           cache=None)))
    started = time.monotonic()
    first = speaker.voice(segment("a", "Thông báo lịch tiếp công dân."))
    second = speaker.voice(segment("b", "Thông báo lịch trả kết quả."))
    assert time.monotonic() - started < 10
    assert (first.engine, second.engine) == ("espeak", "espeak")
    assert any("edge" in w for w in first.warnings) and "edge" in speaker.down


def test_each_voice_has_its_own_cache_identity(settings: Settings) -> None:
    host = EdgeEngine(settings.speech)
    assert host.for_role("question") is host
    assert host.for_role("answer").identity() != host.identity()


def test_edge_speaking_rate_reaches_the_service(edge_server: EdgeServer, settings: Settings) -> None:
    from broadcast.config import override

    slower = override(settings, "speech.edge_rate", -10).speech
    EdgeEngine(slower).synthesize("Xin chào.")
    assert edge_server.rates == ["-10%"]
    assert EdgeEngine(slower).identity() != EdgeEngine(settings.speech).identity()


def test_edge_works_when_called_from_inside_an_event_loop(edge_server: EdgeServer, settings: Settings) -> None:
    import asyncio

    async def inside() -> float:
        return len(EdgeEngine(settings.speech).synthesize("Xin chào bà con.")) / 1000

    assert asyncio.run(inside()) > 0.5
