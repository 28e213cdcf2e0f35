"""Golden scripts: the bundled samples and the test fixtures rendered to script.md text.

`make golden` (python -m tests.golden) rewrites them after an intended template change;
the diff then shows exactly what listeners will hear differently.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from broadcast.compose import Programme, compose
from broadcast.config import load_settings
from broadcast.output import script_markdown
from broadcast.sources import gather

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
GOLDEN = TESTS / "golden"


@dataclass(frozen=True)
class Case:
    name: str
    day: dt.date
    fixtures: bool  # True: tests/data sources; False: the shipped samples

    @property
    def path(self) -> Path:
        return GOLDEN / f"{self.name}.md"


CASES = [Case("samples-2026-11-27", dt.date(2026, 11, 27), fixtures=False),
         Case("fixtures-2026-11-27", dt.date(2026, 11, 27), fixtures=True)]


def render(case: Case) -> str:
    settings = load_settings(ROOT / "config.toml", must_exist=True)
    if case.fixtures:
        data = TESTS / "data"
        sources = dataclasses.replace(settings.sources, feeds=[str(data / "feed.xml")],
                                      statistics=data / "stats.csv", faq=data / "faq")
        settings = dataclasses.replace(settings, sources=sources)
    gathered = gather(settings.sources, case.day, news_items=settings.column.news_items,
                      faq_items=settings.column.faq_items)
    programme = Programme(commune=settings.station.commune, station=settings.station.name,
                          column=settings.column.title, date=case.day)
    script = compose(gathered, programme, settings.column.templates)
    return script_markdown(script, settings.station.name)


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for case in CASES:
        case.path.write_text(render(case), encoding="utf-8")
        print(case.path)


if __name__ == "__main__":
    main()
