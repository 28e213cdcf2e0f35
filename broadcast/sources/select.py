"""Which news items go on air: relevant, recent, not duplicated, not aired before.

Pure functions over items and the aired history (source ref → date it aired),
so the rules can be tested week by week without a network or a database.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from broadcast.models import NewsItem

_PUNCT = re.compile(r"[^\w\s]|_")
SIMILAR_TITLES = 0.9   # difflib ratio above which two headlines are the same story


def title_key(title: str) -> str:
    """A headline reduced for comparison: NFC, case-folded, no punctuation, single spaces."""
    text = unicodedata.normalize("NFC", title).casefold()
    return " ".join(_PUNCT.sub(" ", text).split())


def relevant(item: NewsItem, keywords: Iterable[str]) -> bool:
    """Kept when the title or text mentions one of the keywords; no keywords keeps everything."""
    words = [title_key(k) for k in keywords if k.strip()]
    if not words:
        return True
    haystack = title_key(f"{item.title} {item.summary}")
    return any(w in haystack for w in words)


def aired_before(refs: Iterable[str], history: Mapping[str, dt.date], day: dt.date) -> dt.date | None:
    """When one of ``refs`` last aired before ``day``; a rebuild of ``day`` itself does not count."""
    dates = [history[r] for r in refs if r and r in history and history[r] < day]
    return max(dates) if dates else None


@dataclass(frozen=True)
class NewsChoice:
    """The items chosen, and counts of what was left out and why."""

    items: tuple[NewsItem, ...]
    irrelevant: int = 0
    too_old: int = 0
    future: int = 0
    duplicates: int = 0
    aired: int = 0
    over_limit: int = 0

    def warnings(self) -> list[str]:
        out = []
        if self.duplicates:
            out.append(f"Tin tức: {self.duplicates} mục trùng lặp (cùng mã, cùng liên kết hoặc tiêu đề gần "
                       f"như giống nhau) đã bị bỏ.")
        if self.aired:
            out.append(f"Tin tức: {self.aired} mục đã phát trong các số trước nên không phát lại.")
        for item in self.items:
            if item.published is None:
                out.append(f"Tin \"{item.title[:80]}\" ({item.feed.rsplit('/', 1)[-1]}) không có ngày đăng; "
                           f"hãy kiểm tra tin còn thời sự trước khi duyệt.")
        return out


def _day(moment: dt.datetime, tz: dt.tzinfo | None) -> dt.date:
    return moment.astimezone(tz).date() if tz else moment.date()


def choose_news(items: Iterable[NewsItem], *, day: dt.date, keywords: Iterable[str], window_days: int,
                history: Mapping[str, dt.date], limit: int, tz: dt.tzinfo | None = None) -> NewsChoice:
    """Relevant items published in the ``window_days`` before ``day``, newest first, each story once.

    Items without a date are kept (after the dated ones) and flagged in the
    warnings. An item whose guid or link aired in an earlier episode is left out.
    """
    keywords = list(keywords)
    counts = dict.fromkeys(("irrelevant", "too_old", "future", "duplicates", "aired"), 0)
    candidates: list[NewsItem] = []
    first = day - dt.timedelta(days=window_days)
    for item in items:
        if not relevant(item, keywords):
            counts["irrelevant"] += 1
        elif item.published is not None and _day(item.published, tz) < first:
            counts["too_old"] += 1
        elif item.published is not None and _day(item.published, tz) > day:
            counts["future"] += 1
        elif aired_before((item.guid, item.link), history, day):
            counts["aired"] += 1
        else:
            candidates.append(item)
    oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
    candidates.sort(key=lambda i: (i.published is not None, i.published or oldest), reverse=True)
    kept: list[NewsItem] = []
    seen: set[str] = set()
    titles: list[str] = []
    examined = 0
    for item in candidates:
        if len(kept) == limit:
            break
        examined += 1
        keys = {k for k in (item.guid, item.link, title_key(item.title)) if k}
        key = title_key(item.title)
        similar = bool(key) and any(_same_story(key, other) for other in titles)
        if keys & seen or similar:
            counts["duplicates"] += 1
            continue
        seen |= keys
        if key:
            titles.append(key)
        kept.append(item)
    return NewsChoice(items=tuple(kept), over_limit=len(candidates) - examined, **counts)


def _same_story(a: str, b: str) -> bool:
    matcher = difflib.SequenceMatcher(None, a, b)
    return matcher.real_quick_ratio() >= SIMILAR_TITLES and matcher.ratio() >= SIMILAR_TITLES
