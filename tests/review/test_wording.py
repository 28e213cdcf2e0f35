"""Plain Vietnamese for the approver: voices named for people, technical warnings grouped and folded."""

from __future__ import annotations

from broadcast.review.wording import plain_warnings, voice_name


def test_voices_are_named_for_people() -> None:
    assert voice_name("espeak") == "Giọng dự phòng (máy tính đọc)"
    assert voice_name("gtts") == "Giọng Google"
    assert voice_name("edge") == "Giọng Microsoft"
    assert voice_name("piper") == "Giọng piper"


def test_network_failures_become_one_plain_sentence_with_the_details_folded() -> None:
    lines = [
        "Đoạn mo-dau: giọng Edge TTS: không kết nối được (ClientConnectorDNSError); chuyển sang giọng dự phòng.",
        "Đoạn tin-1: giọng Edge TTS: không kết nối được (ClientConnectorDNSError); chuyển sang giọng dự phòng.",
        "Đoạn tin-1: giọng Google TTS: không kết nối được sau 3 lần thử; chuyển sang giọng dự phòng.",
        "Hỏi – đáp: chỉ còn 1 câu chưa phát trong 8 tuần qua (thiếu 2).",
        "Hỏi – đáp: chỉ còn 1 câu chưa phát trong 8 tuần qua (thiếu 2).",
    ]
    shown = plain_warnings(lines)
    assert [w.text for w in shown] == [
        "Không có Internet nên một số đoạn được đọc bằng giọng dự phòng của máy tính. Khi có mạng, có thể đọc "
        "lại bằng giọng Google hoặc Microsoft.",
        "Hỏi – đáp: chỉ còn 1 câu chưa phát trong 8 tuần qua (thiếu 2).",
    ]
    assert len(shown[0].details) == 3 and shown[1].details == ()
    assert not any("ClientConnector" in w.text for w in shown)
