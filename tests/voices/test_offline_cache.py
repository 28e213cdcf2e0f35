"""Sentences already voiced online keep the online voice through an outage, a whole segment at a time.

Google is the local fake (bench/fake_tts.py); "the outage" is the same address with the server gone
(the port closed), so the cache keys (which include the address) are the ones the online run wrote.
"""

from __future__ import annotations

from pathlib import Path

from bench.fake_tts import FakeTts
from broadcast.config import Settings, override
from broadcast.speech.stage import make_speaker
from tests.sound.helpers import segment

GREETING = "Kính thưa bà con, đây là chuyên mục cải cách hành chính."
INVITATION = "Xin mời bà con theo dõi."
CLOSING = "Chương trình đến đây là kết thúc. Xin chào và hẹn gặp lại."


def online_first(settings: Settings, url: str) -> Settings:
    return override(override(settings, "speech.engines", ["gtts", "espeak"]), "speech.gtts_url", url)


def test_recurring_parts_keep_the_online_voice_when_the_network_is_down(settings: Settings, tmp_path: Path) -> None:
    with FakeTts(delay_s=0.01) as google:
        online = online_first(settings, google.url)
        speaker = make_speaker(online)
        heard = {sid: speaker.voice(segment(sid, text)) for sid, text in
                 (("mo-dau", f"{GREETING} {INVITATION}"), ("ket-thuc", CLOSING), ("chao", GREETING))}
        asked = len(google.requests)
    assert {v.engine for v in heard.values()} == {"gtts"} and asked == 4

    offline = make_speaker(online)                 # next week's build: the service is gone
    news = offline.voice(segment("tin-1", "Tuần này xã tiếp nhận một trăm hai mươi hồ sơ trực tuyến."))
    assert news.engine == "espeak" and "gtts" in offline.down
    closing = offline.voice(segment("ket-thuc", CLOSING))          # the same segment: its finished clip
    assert closing.engine == "gtts"
    assert abs(len(closing.audio) - len(heard["ket-thuc"].audio)) < 20
    # A segment never voiced as a whole, every sentence of which was: from the sentence cache.
    joined = offline.voice(segment("mo-dau-2", f"{INVITATION} {GREETING}"))
    assert joined.engine == "gtts"
    # One sentence the online voice never read: the whole segment goes to the offline voice (one voice a segment).
    mixed = offline.voice(segment("mo-dau-3", f"{GREETING} Hôm nay có tin mới."))
    assert mixed.engine == "espeak"
    assert len(google.requests) == asked
