"""The FAQ bank: reading, validity, and rotation over simulated weeks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from broadcast.errors import DataError
from broadcast.models import FaqEntry
from broadcast.sources.faq import read_faq, rotate, seasonal

MONDAY = dt.date(2026, 9, 7)


def entry(ident: str, *, priority: int = 2, tags: tuple[str, ...] = (), valid_until: dt.date | None = None,
          valid_from: dt.date | None = None) -> FaqEntry:
    return FaqEntry(id=ident, question=f"Hỏi {ident}?", answer=f"Đáp {ident}.", topic="Chung", tags=tags,
                    priority=priority, valid_until=valid_until, valid_from=valid_from)


def simulate(bank: list[FaqEntry], *, weeks: int, count: int, rest_weeks: int) -> list[tuple[dt.date, list[str]]]:
    """Air an episode a week, feeding each week's choice back as history, as the store would."""
    history: dict[str, dt.date] = {}
    aired = []
    for week in range(weeks):
        day = MONDAY + dt.timedelta(weeks=week)
        choice = rotate(bank, day=day, count=count, rest_weeks=rest_weeks, history=history)
        for chosen in choice.entries:
            history[chosen.ref] = day
        aired.append((day, [e.id for e in choice.entries]))
    return aired


@pytest.mark.parametrize("bank_size", [13, 100])
def test_twenty_weeks_with_no_repeat_inside_the_window(bank_size: int) -> None:
    bank = [entry(f"q{k:03d}", priority=1 + k % 3) for k in range(bank_size)]
    aired = simulate(bank, weeks=20, count=3, rest_weeks=4)
    last: dict[str, dt.date] = {}
    for day, ids in aired:
        assert len(ids) == 3 == len(set(ids))
        for ident in ids:
            if ident in last:
                assert day - last[ident] >= dt.timedelta(weeks=4), f"{ident} repeated on {day}"
            last[ident] = day
    if bank_size == 100:   # new entries first: 60 different ones in 20 weeks, priority 1 before 2 before 3
        assert len(last) == 60
        first_weeks = [i for _, ids in aired[:11] for i in ids]
        assert all(next(e for e in bank if e.id == i).priority == 1 for i in first_weeks[:33])


def test_a_small_bank_leaves_the_episode_short_rather_than_repeat() -> None:
    bank = [entry(f"q{k}") for k in range(5)]
    history = {f"faq:q{k}": MONDAY - dt.timedelta(weeks=1) for k in range(4)}
    choice = rotate(bank, day=MONDAY, count=3, rest_weeks=4, history=history)
    assert [e.id for e in choice.entries] == ["q4"]
    assert choice.short == 2 and "thiếu 2" in choice.warnings(4)[0]


def test_seasonal_tag_goes_first_in_its_month_only() -> None:
    bank = [entry("a", priority=1), entry("nhap-hoc", priority=3, tags=("thang-9",)), entry("b", priority=1)]
    assert [e.id for e in rotate(bank, day=MONDAY, count=2, rest_weeks=4, history={}).entries] == ["nhap-hoc", "a"]
    october = dt.date(2026, 10, 5)
    assert [e.id for e in rotate(bank, day=october, count=2, rest_weeks=4, history={}).entries] == ["a", "b"]
    assert seasonal(entry("x", tags=("Tháng 9",)), 9) and seasonal(entry("x", tags=("thang-09",)), 9)
    assert not seasonal(entry("x", tags=("thang-19",)), 9)


def test_never_aired_before_aired_then_longest_rested() -> None:
    bank = [entry("old", priority=1), entry("older", priority=1), entry("new", priority=3)]
    history = {"faq:old": MONDAY - dt.timedelta(weeks=10), "faq:older": MONDAY - dt.timedelta(weeks=20)}
    chosen = rotate(bank, day=MONDAY, count=3, rest_weeks=4, history=history).entries
    assert [e.id for e in chosen] == ["new", "older", "old"]


def test_expired_answers_are_not_aired_and_reported() -> None:
    bank = [entry("so-ho-khau", priority=1, valid_until=dt.date(2022, 12, 31)),
            entry("luat-cu", priority=1, valid_until=MONDAY - dt.timedelta(days=10)),
            entry("sap-toi", valid_from=dt.date(2027, 1, 1)), entry("con-hieu-luc")]
    choice = rotate(bank, day=MONDAY, count=1, rest_weeks=4, history={})
    assert [e.id for e in choice.entries] == ["con-hieu-luc"]
    [warning] = choice.warnings(4)
    assert "1 câu vừa hết hiệu lực" in warning and "luat-cu" in warning   # long-expired ones stay quiet


def test_bank_files_with_answers_inbox(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('''
[[entry]]
id = "khai-sinh"
question = "Khai sinh cần gì?"
answer = "Tờ khai và giấy chứng sinh."
topic = "Hộ tịch"
tags = ["thang-9"]
answers_inbox = ["hq-0001", " hq-0002 "]
''', encoding="utf-8")
    [read] = read_faq(tmp_path)
    assert read.answers_inbox == ("hq-0001", "hq-0002") and read.ref == "faq:khai-sinh"
    (tmp_path / "b.toml").write_text('[[entry]]\nid="x"\nquestion="q"\nanswer="a"\ntopic="t"\nanswers_inbox="hq"\n',
                                     encoding="utf-8")
    with pytest.raises(DataError, match=r"b.toml, dòng 1, mục \[\[entry\]\] thứ 1 \(id x\): \"answers_inbox\""):
        read_faq(tmp_path)
