"""Templates: apology only when the statistics count letters sent, counts in words, one title, one register."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from broadcast.compose import Programme, compose
from broadcast.models import FaqEntry, Gathered, StatsPeriod, StatsReport
from broadcast.vnformat import count_words, natural_list
from tests.conftest import ROOT

DAY = dt.date(2026, 11, 27)
PROGRAMME = Programme(commune="xã Hòa Bình", station="Đài truyền thanh xã Hòa Bình", column="Cải cách hành chính",
                      date=DAY)
PERIOD = StatsPeriod(period="11/2026", year=2026, month=11, received=420, on_time=401, late=3, online=275,
                     satisfaction=96.5, file="thong-ke.xlsx", row=2)


def faq(entry_id: str, topic: str) -> FaqEntry:
    return FaqEntry(id=entry_id, question=f"Hỏi {entry_id}?", answer=f"Đáp {entry_id}.", topic=topic)


def script_text(gathered: Gathered) -> str:
    script = compose(gathered, PROGRAMME, ROOT / "scripts_templates")
    return "\n\n".join(s.text for s in script.segments)


def test_apology_only_when_statistics_count_letters_sent() -> None:
    without = script_text(Gathered(news=(), stats=StatsReport(current=PERIOD, previous=None), faq=()))
    assert "xin lỗi" not in without                    # 3 late files, but no column says letters were sent
    letters = StatsReport(current=dataclasses.replace(PERIOD, apologies=3), previous=None)
    with_letters = script_text(Gathered(news=(), stats=letters, faq=()))
    assert "đã gửi ba văn bản xin lỗi" in with_letters


def test_opening_counts_in_words_and_one_register() -> None:
    text = script_text(Gathered(news=(), stats=StatsReport(current=PERIOD, previous=None), faq=(faq("a", "Đất đai"),)))
    assert "Kính thưa toàn thể bà con nhân dân!" in text
    assert "gồm hai nội dung: kết quả" in text and " và phần hỏi – đáp" in text
    for other_register in ("quý vị", "các bạn", "gồm 2 nội dung"):
        assert other_register not in text
    alone = script_text(Gathered(news=(), stats=None, faq=(faq("a", "Đất đai"),)))
    assert "nội dung:" not in alone and "xin gửi tới bà con phần hỏi – đáp" in alone


def test_faq_section_title_once_per_topic() -> None:
    entries = (faq("a", "Đất đai"), faq("b", "Đất đai"), faq("c", "Hộ tịch"))
    script = compose(Gathered(news=(), stats=None, faq=entries), PROGRAMME, ROOT / "scripts_templates")
    titles = [s.title for s in script.segments if s.id.startswith("hoi-dap")]
    assert titles == ["Hỏi – đáp: Đất đai", "Hỏi – đáp: Đất đai, câu 2", "Hỏi – đáp: Hộ tịch"]
    assert len(set(titles)) == len(titles)


def test_count_words_and_natural_list() -> None:
    assert [count_words(n) for n in (1, 3, 10, 12)] == ["một", "ba", "mười", "12"]
    assert natural_list(["a"]) == "a" and natural_list(["a", "b", "c"]) == "a, b và c"


def test_golden_scripts_use_the_new_register() -> None:
    for golden in (Path(__file__).parents[1] / "golden").glob("*.md"):
        text = golden.read_text(encoding="utf-8")
        assert "quý vị và các bạn" not in text and "Kính thưa toàn thể bà con nhân dân!" in text
