"""Gather stage: feeds, one-stop statistics and the FAQ bank → ``Gathered``.

A source that fails becomes a warning and the build goes on; only a build with
nothing at all to say stops (``NothingToSay``, raised by the pipeline).

``history`` maps each source ref aired in earlier episodes (a news item's guid
or link, ``faq:<id>``) to the date it aired; the pipeline reads it from the
episode store. With it, no news item airs twice and FAQ entries rotate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from broadcast.config import SourceSettings, StatsColumnSettings
from broadcast.errors import SourceError
from broadcast.models import FaqEntry, Gathered, NewsItem, StatsReport
from broadcast.severity import serious
from broadcast.sources import faq as faq_source
from broadcast.sources import feeds, stats
from broadcast.sources.select import choose_news

MB = 1024 * 1024


def gather(settings: SourceSettings, day: dt.date, *, news_items: int, faq_items: int,
           history: Mapping[str, dt.date] | None = None, columns: StatsColumnSettings | None = None,
           tz: dt.tzinfo | None = None) -> Gathered:
    """Read every configured source for the episode of ``day``."""
    history = history or {}
    warnings: list[str] = []
    found: list[NewsItem] = []
    failed = 0
    for feed in settings.feeds:
        try:
            result = feeds.read_feed(feed, timeout=settings.timeout_s, max_bytes=int(settings.max_feed_mb * MB),
                                     max_items=settings.max_feed_items, cache=settings.cache)
        except SourceError as exc:
            warnings.append(str(exc))
            failed += 1
            continue
        warnings += result.warnings
        found += result.items
    choice = choose_news(found, day=day, keywords=settings.keywords, window_days=settings.window_days,
                         history=history, limit=news_items, tz=tz)
    warnings += choice.warnings()
    if settings.feeds and failed == len(settings.feeds):
        warnings.append(serious("Phần tin tức bị mất: không đọc được nguồn tin nào (xem các cảnh báo về nguồn tin). "
                                "Hãy kiểm tra mạng hoặc mục [sources] feeds."))

    report: StatsReport | None = None
    if settings.statistics is not None:
        try:
            report = stats.report_for(stats.read_stats(settings.statistics, columns), day)
            if report is None:
                warnings.append(f"{settings.statistics.name}: không có số liệu của tháng {day.month}/{day.year} "
                                f"hoặc trước đó.")
            elif stale := stats.staleness(report, day):
                warnings.append(stale)
        except SourceError as exc:
            warnings.append(serious(f"Phần kết quả giải quyết hồ sơ bị mất: {exc}"))

    answers: tuple[FaqEntry, ...] = ()
    if settings.faq is not None:
        bank = faq_source.load_faq(settings.faq)
        warnings += [f"Hỏi – đáp: {problem}" for problem in bank.problems]
        rotation = faq_source.rotate(bank.entries, day=day, count=faq_items,
                                     rest_weeks=settings.faq_rest_weeks, history=history)
        answers = rotation.entries
        warnings += rotation.warnings(settings.faq_rest_weeks)
        if faq_items and not answers and bank.problems:
            warnings.append(serious(f"Phần hỏi – đáp bị mất: {len(bank.problems)} lỗi trong ngân hàng hỏi đáp "
                                    f"và không còn câu nào dùng được. Hãy sửa các lỗi được nêu."))

    return Gathered(news=choice.items, stats=report, faq=answers, warnings=tuple(warnings))
