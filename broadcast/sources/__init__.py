"""Gather stage: feeds, one-stop statistics and the FAQ bank → ``Gathered``.

A source that fails becomes a warning and the build goes on; only a build with
nothing at all to say stops (``NothingToSay``, raised by the pipeline).
"""

from __future__ import annotations

import datetime as dt

from broadcast.config import SourceSettings
from broadcast.errors import SourceError
from broadcast.models import FaqEntry, Gathered, NewsItem, StatsReport
from broadcast.sources import faq as faq_source
from broadcast.sources import feeds, stats


def gather(settings: SourceSettings, day: dt.date, *, news_items: int, faq_items: int) -> Gathered:
    """Read every configured source for the episode of ``day``."""
    warnings: list[str] = []
    news: list[NewsItem] = []
    seen: set[str] = set()
    for feed in settings.feeds:
        try:
            items = feeds.read_feed(feed, timeout=settings.timeout_s)
        except SourceError as exc:
            warnings.append(str(exc))
            continue
        for item in items:
            key = item.guid or item.link or item.title
            if key in seen or not feeds.relevant(item, settings.keywords):
                continue
            seen.add(key)
            news.append(item)
    news.sort(key=lambda i: i.published or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True)

    report: StatsReport | None = None
    if settings.statistics is not None:
        try:
            report = stats.report_for(stats.read_stats(settings.statistics), day)
            if report is None:
                warnings.append(f"{settings.statistics.name}: không có số liệu của tháng {day.month}/{day.year} "
                                f"hoặc trước đó.")
        except SourceError as exc:
            warnings.append(str(exc))

    answers: list[FaqEntry] = []
    if settings.faq is not None:
        try:
            answers = faq_source.choose(faq_source.current(faq_source.read_faq(settings.faq), day), faq_items)
        except SourceError as exc:
            warnings.append(str(exc))

    return Gathered(news=tuple(news[:news_items]), stats=report, faq=tuple(answers), warnings=tuple(warnings))
