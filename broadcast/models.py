"""Plain data passed between pipeline stages.

sources → ``Gathered`` → compose → ``Script`` of ``Segment`` → normalise
(adds ``spoken``) → speak → ``Clip`` per segment → assemble → ``Episode``.
Frozen, so a stage cannot change what an earlier stage produced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class NewsItem:
    """One feed entry, reduced to plain text."""

    title: str
    summary: str
    link: str
    guid: str
    published: dt.datetime | None
    feed: str
    stale: bool = False   # from the cached copy of a feed that could not be reached

    @property
    def ref(self) -> str:
        """Stable reference kept in the episode's history, so an item is never aired twice."""
        return self.guid or self.link or self.title


@dataclass(frozen=True)
class StatsPeriod:
    """One row of the one-stop shop's export."""

    period: str          # as written, e.g. "11/2026"
    year: int
    month: int
    received: int
    on_time: int
    late: int
    online: int
    satisfaction: float | None
    file: str
    row: int
    apologies: int | None = None   # letters of apology sent for late files; None: the export has no such column

    @property
    def resolved(self) -> int:
        return self.on_time + self.late

    @property
    def on_time_rate(self) -> float | None:
        """Share of resolved files resolved on time, percent."""
        return 100.0 * self.on_time / self.resolved if self.resolved else None

    @property
    def online_rate(self) -> float | None:
        """Share of received files submitted online, percent."""
        return 100.0 * self.online / self.received if self.received else None


@dataclass(frozen=True)
class StatsReport:
    """The period to report and the one before it, for comparisons."""

    current: StatsPeriod
    previous: StatsPeriod | None


@dataclass(frozen=True)
class FaqEntry:
    """One question and answer from the bank."""

    id: str
    question: str
    answer: str
    topic: str
    tags: tuple[str, ...] = ()
    priority: int = 2
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    source: str = ""
    file: str = ""
    answers_inbox: tuple[str, ...] = ()   # ids of citizens' questions this entry answers

    @property
    def ref(self) -> str:
        """Reference kept in the episode's history, for the rotation."""
        return f"faq:{self.id}"


@dataclass(frozen=True)
class Gathered:
    """Everything the sources produced for one build, with their problems."""

    news: tuple[NewsItem, ...]
    stats: StatsReport | None
    faq: tuple[FaqEntry, ...]
    warnings: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.news and self.stats is None and not self.faq


@dataclass(frozen=True)
class Segment:
    """One part of the programme as written for the editor, and as spoken."""

    id: str
    title: str
    text: str
    sources: tuple[str, ...] = ()
    spoken: str = ""
    voice: str = "main"   # "main", or "question"/"answer" lines of a dialogue
    # Who reads each paragraph of ``text`` ("main", "question", "answer"); empty: the host reads all.
    # The written text stays plain for the editor; the speak stage gives each role its own voice.
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Script:
    """The ordered segments of one episode."""

    date: dt.date
    column: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class TakeNote:
    """An officer's recorded take used in a clip: its text, who recorded it, when, which text revision."""

    text: str
    by: str
    at: str
    revision: int


@dataclass(frozen=True)
class Clip:
    """A segment's audio: where it is, who voiced it, how long it is."""

    segment: Segment
    path: Path
    engine: str
    duration_s: float
    warnings: tuple[str, ...] = ()
    gain_db: float | None = None   # level-matching gain; an edit of this segment starts from it
    recorded: tuple[TakeNote, ...] = ()   # the officer's takes in it


@dataclass(frozen=True)
class ProgrammeTiming:
    """The running order's fixed parts, in seconds: each jingle, the pause and how many, the sting
    and how many (the segments' own lengths are in their clips)."""

    intro_s: float = 0.0
    outro_s: float = 0.0
    pause_s: float = 0.0
    pauses: float = 0.0
    sting_s: float = 0.0
    stings: float = 0.0


@dataclass(frozen=True)
class FitRecord:
    """How the script was fitted to the slot: target, estimate, measured length, what was dropped."""

    target_s: float
    estimated_s: float
    measured_s: float
    error_s: float
    dropped: tuple[str, ...] = ()


@dataclass(frozen=True)
class Episode:
    """A finished build, as written to its folder."""

    folder: Path
    date: dt.date
    column: str
    program: Path
    duration_s: float
    clips: tuple[Clip, ...]
    warnings: tuple[str, ...] = field(default_factory=tuple)
