"""Which news goes on air: pure rules over items and the aired history."""

from __future__ import annotations

import dataclasses
import datetime as dt

from broadcast.models import NewsItem
from broadcast.sources.select import choose_news, relevant, title_key

DAY = dt.date(2026, 11, 27)
KEYWORDS = ["thủ tục", "một cửa", "dịch vụ công"]


def news(title: str, *, days_ago: int | None = 1, guid: str = "", link: str = "",
         summary: str = "Bộ phận một cửa tiếp nhận hồ sơ.") -> NewsItem:
    published = (dt.datetime(2026, 11, 27, 8, tzinfo=dt.UTC) - dt.timedelta(days=days_ago)
                 if days_ago is not None else None)
    return NewsItem(title=title, summary=summary, link=link, guid=guid or title, published=published, feed="f.xml")


def choose(items: list[NewsItem], history: dict[str, dt.date] | None = None, limit: int = 10):  # type: ignore[no-untyped-def]
    return choose_news(items, day=DAY, keywords=KEYWORDS, window_days=14, history=history or {}, limit=limit)


def test_relevance_ignores_case_and_unicode_form() -> None:
    import unicodedata

    item = news("THỦ TỤC mới", summary="")
    assert relevant(item, [unicodedata.normalize("NFD", "thủ tục")])
    assert not relevant(news("Bóng đá", summary="Đội thôn Đông thắng."), KEYWORDS)
    assert relevant(news("Bóng đá", summary=""), [])


def test_date_window_keeps_undated_items_last_and_flags_them() -> None:
    items = [news("Thủ tục A", days_ago=20), news("Thủ tục B", days_ago=3), news("Thủ tục C", days_ago=None),
             news("Thủ tục D", days_ago=-3), news("Thủ tục E", days_ago=0)]
    choice = choose(items)
    assert [i.title for i in choice.items] == ["Thủ tục E", "Thủ tục B", "Thủ tục C"]
    assert choice.too_old == 1 and choice.future == 1
    assert any("Thủ tục C" in w and "không có ngày đăng" in w for w in choice.warnings())


def test_duplicates_by_guid_link_and_near_identical_title() -> None:
    items = [news("Xã tiếp nhận 312 hồ sơ trực tuyến", guid="a", link="http://x/1"),
             news("Bài khác hẳn về thủ tục", guid="a"),                                  # same guid
             news("Một tin nữa về thủ tục", guid="c", link="http://x/1"),                # same link
             news("Xã tiếp nhận 312 hồ sơ trực tuyến.", guid="d"),                       # same title, punctuated
             news("Xã tiếp nhận 312 hồ sơ trực tuyến!!", guid="e", days_ago=2),
             news("Xã tiếp nhận 321 hồ sơ trực tuyến", guid="f", days_ago=2)]            # near-identical
    choice = choose(items)
    assert [i.guid for i in choice.items] == ["a"]
    assert choice.duplicates == 5
    assert any("5 mục trùng lặp" in w for w in choice.warnings())


def test_items_aired_in_earlier_episodes_are_left_out() -> None:
    items = [news("Thủ tục A", guid="a"), news("Thủ tục B", guid="b", link="http://x/b"), news("Thủ tục C", guid="c")]
    history = {"a": DAY - dt.timedelta(days=7), "http://x/b": DAY - dt.timedelta(days=7), "c": DAY}
    choice = choose(items, history)
    assert [i.guid for i in choice.items] == ["c"]   # aired "today" is this episode being rebuilt
    assert choice.aired == 2


def test_limit() -> None:
    words = ["khai sinh", "kết hôn", "đất đai", "cư trú", "chứng thực", "bảo trợ", "VNeID", "thuế", "xây dựng",
             "hộ tịch"]
    items = [news(f"Thủ tục {words[k % 10]} đợt {k // 10}: {'hướng dẫn chi tiết' if k % 2 else 'lịch tiếp dân'}",
                  guid=str(k), days_ago=k % 10) for k in range(30)]
    choice = choose(items, limit=4)
    assert len(choice.items) == 4
    assert len(choice.items) + choice.duplicates + choice.over_limit == 30   # every item is accounted for


def test_title_key() -> None:
    assert title_key("  Xã Đức Hạnh: 99,3% hồ sơ!  ") == "xã đức hạnh 99 3 hồ sơ"


def test_news_segments_carry_guid_and_link_so_history_matches_either() -> None:
    from broadcast.compose import Programme, compose
    from broadcast.config import PROJECT_DIR
    from broadcast.models import Gathered

    aired = news("Thủ tục A", guid="tag:xa.vn,2026:1", link="http://xa.vn/a")
    programme = Programme(commune="xã X", station="Đài X", column="CCHC", date=DAY - dt.timedelta(days=7))
    script = compose(Gathered(news=(aired,), stats=None, faq=()), programme, PROJECT_DIR / "scripts_templates")
    [segment] = [s for s in script.segments if s.id == "tin-1"]
    assert segment.sources == ("tag:xa.vn,2026:1", "http://xa.vn/a")
    history = dict.fromkeys(segment.sources, programme.date)
    republished = dataclasses.replace(aired, guid="http://xa.vn/a?v=2")   # the portal changed its guids
    assert choose([republished], history).items == ()
