"""The approval records how much of the programme the approver played."""

from __future__ import annotations

from broadcast.review.web.listening import listening_note


def test_listening_note_says_how_much_was_played() -> None:
    assert listening_note("95.0", "190.0", True) == ("đã xác nhận nghe toàn bộ; đã nghe 50 % chương trình "
                                                     "(1 phút 35 giây trên 3 phút 10 giây)")
    assert listening_note("500", "190", False).startswith("không xác nhận đã nghe toàn bộ; đã nghe 100 %")
    assert "không đo được" in listening_note("", "190", True)
    assert "không đo được" in listening_note("1e9", "190", True)
