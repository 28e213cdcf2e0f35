"""One programme, one reading: broadcast/normalize/consistency.py and its warning at build time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from broadcast import pipeline
from broadcast.config import load_settings
from broadcast.models import Gathered, NewsItem, Script
from broadcast.normalize import load_lexicon
from broadcast.normalize.consistency import reading_conflicts, same_reading

ROOT = Path(__file__).resolve().parents[2]


def test_an_abbreviation_read_two_ways_is_one_conflict_naming_both_readings_and_segments() -> None:
    conflicts = reading_conflicts([
        ("Tin 1", "Đoàn công tác ra HN dự hội nghị."),
        ("Tin 2", "Xã Bắc Sơn tổ chức HN xây dựng mô hình dân vận khéo."),
        ("Tin 3", "Đoàn công tác ra HN lần nữa."),
    ])
    assert len(conflicts) == 1   # one warning per written form, however often it recurs
    conflict = conflicts[0]
    assert conflict.written == "HN"
    assert (conflict.first.segment, conflict.first.spoken) == ("Tin 1", "Hà Nội")
    assert (conflict.second.segment, conflict.second.spoken) == ("Tin 2", "hội nghị")
    message = conflict.message()
    assert "“HN”" in message and "“Hà Nội”" in message and "“hội nghị”" in message
    assert "«Tin 1»" in message and "«Tin 2»" in message
    assert "broadcast lexicon add" in message


def test_a_number_in_the_same_role_read_two_ways_is_a_conflict() -> None:
    conflicts = reading_conflicts([("Mở đầu", "Khi có cháy, gọi số 113 ngay."),
                                   ("Tin 1", "Hồ sơ số 113 đã được giải quyết.")])
    assert [(c.written, c.first.spoken, c.second.spoken) for c in conflicts] == [
        ("số 113", "một một ba", "một trăm mười ba")]


def test_conflicts_inside_one_segment_say_so() -> None:
    conflicts = reading_conflicts([("Tin 1", "Đoàn ra HN. Xã tổ chức HN xây dựng mô hình.")])
    assert len(conflicts) == 1
    assert "cả hai lần ở đoạn «Tin 1»" in conflicts[0].message()


@pytest.mark.parametrize("parts", [
    # the number words are the same; "số", "ngày" and the issuer are context the rules add
    ["Theo Thông báo 215/TB-UBND ngày 02/12/2025 về lịch tiếp dân.", "Thông báo số 215/TB-UBND của UBND xã.",
     "Căn cứ 215/TB-UBND, xã lập kế hoạch."],
    ["Từ 8/12 đến 10/12 cắt điện.", "Ngày 8/12 tiêm vắc xin.", "ngày 8/12 có mưa."],
    ["Xã triển khai Đề án 06 đến từng thôn.", "Kết quả Đề án 06.", "Đề án 06 được báo cáo hằng tháng."],
    # a number's role comes from the word before it: "4 hộ" is bốn, "tháng 4" is tư, "Lần thứ IV" tư
    ["Có 4 hộ đăng ký.", "Tháng 4 tổ chức hội thi."],
    ["Phần IV: Tổ chức thực hiện.", "Lần thứ IV tổ chức hội thi."],
    # tokens read together are one written form: a phone number in groups, a time range
    ["Tổng đài 1900 9068 hỗ trợ.", "Gọi 1900 9068 hoặc 024 37899999."],
    ["Từ 07h00 – 17h00 ngày 14/5.", "Từ 07h00 đến 11h00."],
    ["UBND xã thông báo.", "Chủ tịch UBND xã tiếp dân.", "Mời đ/c Lan, Đ/c Hùng dự."],
])
def test_consistent_readings_are_not_reported(parts: list[str]) -> None:
    assert reading_conflicts([(f"Đoạn {i}", text) for i, text in enumerate(parts)]) == []


def test_same_reading_allows_context_words_but_not_number_words() -> None:
    assert same_reading(("hai", "trăm"), ("số", "hai", "trăm", "của", "ủy", "ban"))
    assert not same_reading(("sáu",), ("không", "sáu"))          # "Đề án 06" once "sáu", once "không sáu"
    assert not same_reading(("một", "một", "ba"), ("một", "trăm", "mười", "ba"))
    assert not same_reading((), ("sáu",))


def test_the_commune_lexicon_is_used(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.toml"
    path.write_text('[abbreviations]\n"HN" = "hội nghị"\n', encoding="utf-8")
    parts = [("Tin 1", "Đoàn công tác ra HN dự hội nghị."), ("Tin 2", "Xã Bắc Sơn tổ chức HN xây dựng mô hình.")]
    assert reading_conflicts(parts) != []
    assert reading_conflicts(parts, lexicon=load_lexicon(path)) == []


def _news(title: str, summary: str) -> NewsItem:
    return NewsItem(title=title, summary=summary, link=f"https://xa.example/{abs(hash(title))}", guid="",
                    published=dt.datetime(2026, 11, 26, 8, 0), feed="https://xa.example/rss")


def test_build_warns_about_a_form_read_two_ways(make_config: Callable[..., Path],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The build logs the warning and hands it to the episode (manifest); no audio is made here."""
    settings = load_settings(make_config(), must_exist=True)
    gathered = Gathered(news=(_news("Đoàn công tác của xã", "Đoàn công tác của xã ra HN dự tập huấn."),
                              _news("Dân vận khéo", "Xã tổ chức HN xây dựng mô hình dân vận khéo.")),
                        stats=None, faq=())
    monkeypatch.setattr(pipeline, "gather_material", lambda *args, **kwargs: gathered)
    seen: dict[str, object] = {}

    def render(script: Script, *args: object, extra_warnings: list[str], **kwargs: object) -> str:
        seen["warnings"], seen["script"] = extra_warnings, script
        return "rendered"

    monkeypatch.setattr(pipeline, "render_episode", render)
    logged: list[str] = []
    assert pipeline.build(settings, dt.date(2026, 11, 27), log=logged.append) == "rendered"  # type: ignore[comparison-overlap]
    warnings = seen["warnings"]
    assert isinstance(warnings, list)
    reading = [w for w in warnings if w.startswith("Cùng một chữ viết “HN”")]
    assert len(reading) == 1
    assert "«Đoàn công tác của xã»" in reading[0] and "«Dân vận khéo»" in reading[0]
    assert f"Cảnh báo: {reading[0]}" in logged


def test_the_shipped_sample_programme_has_no_reading_conflicts() -> None:
    settings = load_settings(ROOT / "config.toml", must_exist=True)
    day = dt.date(2026, 11, 27)
    gathered = pipeline.gather_material(settings, day, history=None, log=None)
    script = pipeline.compose_script(gathered, settings, day).script
    assert len(script.segments) > 3
    assert pipeline.reading_warnings(script, settings) == []


def test_a_long_line_is_checked_in_pieces_so_the_cost_stays_linear() -> None:
    from broadcast.normalize.consistency import LONG, _pieces

    line = ("Xã tổ chức HN xây dựng mô hình dân vận khéo tại thôn 3 ngày 8/12, " * 40
            + "đoàn công tác ra HN dự tập huấn" + "; " + "Từ 7h30 đến 11h30 " * 30)
    pieces = list(_pieces(line))
    assert len(pieces) > 5
    assert all(len(piece) <= LONG for piece in pieces)
    assert "".join(pieces).replace(" ", "") == line.replace(" ", "")   # nothing lost
    conflicts = reading_conflicts([("Tin 1", line)])
    assert [c.written for c in conflicts] == ["HN"]
