"""Fitting the slot: the estimate, and what goes first when the programme is too long."""

from __future__ import annotations

import dataclasses
import datetime as dt

from broadcast.compose import Programme, compose
from broadcast.config import PROJECT_DIR
from broadcast.fit import SYLLABLES_PER_SECOND_AT_150, Timing, estimate, fit, speech_seconds, syllables
from broadcast.models import FaqEntry, Gathered, NewsItem, Script

DAY = dt.date(2026, 11, 27)
PROGRAMME = Programme(commune="xã Đức Hạnh", station="Đài truyền thanh xã Đức Hạnh", column="Cải cách hành chính",
                      date=DAY)
NO_PAUSES = Timing(sentence_pause_ms=0, segment_pause_ms=0, jingle=False)


def make_script(material: Gathered) -> Script:
    script = compose(material, PROGRAMME, PROJECT_DIR / "scripts_templates")
    return dataclasses.replace(script, segments=tuple(dataclasses.replace(s, spoken=s.text) for s in script.segments))


def material() -> Gathered:
    news = tuple(NewsItem(title=f"Tin thủ tục số {k}", summary="Bộ phận một cửa tiếp nhận hồ sơ trực tuyến. " * 8,
                          link=f"http://x/{k}", guid=f"g{k}", feed="f.xml",
                          published=dt.datetime(2026, 11, 26 - k, tzinfo=dt.UTC)) for k in range(5))
    faq = tuple(FaqEntry(id=f"q{k}", question="Làm căn cước ở đâu?", answer="Tại công an xã. " * 10, topic="Cư trú")
                for k in range(3))
    return Gathered(news=news, stats=None, faq=faq)


def test_syllables_and_speech_seconds() -> None:
    assert syllables("Xin kính chào bà con.") == 5
    assert syllables("năm 2026") == 7   # a digit group left by the normaliser: 1.5 per digit
    text = "Một hai ba bốn năm. Sáu bảy tám chín mười."
    assert speech_seconds(text, Timing(sentence_pause_ms=350)) == 10 / SYLLABLES_PER_SECOND_AT_150 + 0.35
    assert speech_seconds(text, Timing(rate=300, sentence_pause_ms=0)) == 10 / (2 * SYLLABLES_PER_SECOND_AT_150)


def test_estimate_adds_segment_pauses_and_jingles() -> None:
    script = make_script(material())
    bare = estimate(script, NO_PAUSES)
    full = estimate(script, Timing(sentence_pause_ms=0, segment_pause_ms=1000, jingle=True))
    pauses = len(script.segments) - 1 + 2
    assert 4 < full - bare - pauses < 5   # two jingles of about 2.1 s


def test_fits_without_dropping_when_there_is_room() -> None:
    result = fit(material(), make_script, target_s=3600, timing=NO_PAUSES)
    assert result.dropped == () and result.warnings() == []
    assert len(result.script.segments) == 1 + 5 + 3 + 1


def test_drops_oldest_news_then_extra_faq_and_recomposes() -> None:
    whole = material()
    one_news_item = estimate(make_script(dataclasses.replace(whole, news=whole.news[:1])), NO_PAUSES)
    result = fit(material(), make_script, target_s=one_news_item, timing=NO_PAUSES)
    assert [i.guid for i in result.gathered.news] == ["g0"]          # the newest stays
    assert result.dropped == tuple(f'tin "Tin thủ tục số {k}"' for k in (4, 3, 2, 1))
    assert result.estimated_s <= result.target_s
    assert "đã bỏ bớt" in result.warnings()[0]
    assert [s.id for s in result.script.segments if s.id.startswith("tin")] == ["tin-1"]


def test_never_drops_below_one_news_item_and_one_answer_and_says_so() -> None:
    result = fit(material(), make_script, target_s=10, timing=NO_PAUSES)
    assert len(result.gathered.news) == 1 and len(result.gathered.faq) == 1
    assert result.dropped[-2:] == ('hỏi – đáp "q2"', 'hỏi – đáp "q1"')
    assert any("vẫn vượt" in w for w in result.warnings())
    record = result.record(measured_s=95.04)
    assert record.measured_s == 95.0 and record.target_s == 10 and len(record.dropped) == 6
