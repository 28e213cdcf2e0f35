"""Compose stage: gathered material + Jinja2 templates → ``Script``.

Templates are the commune's to edit; feed text only ever enters as a variable
value, never as template source, so ``{{ 7*7 }}`` in a headline is read as
written. ``StrictUndefined`` turns a misspelt name into an error that names the
template, the line and the name.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from broadcast import vnformat
from broadcast.errors import TemplateError
from broadcast.models import FaqEntry, Gathered, NewsItem, Script, Segment, StatsReport
from broadcast.sources.stats import figures as stats_figures

TEMPLATES = ("opening", "results", "news", "faq", "closing")


@dataclass(frozen=True)
class Programme:
    """What the templates may say about the station and the column."""

    commune: str
    station: str
    column: str
    date: dt.date


def as_sentence(text: str) -> str:
    """End a headline or answer with a full stop, so the voice pauses after it."""
    text = text.strip()
    return text if not text or text[-1] in ".!?…:;" else text + "."


def make_environment(folder: Path) -> SandboxedEnvironment:
    env = SandboxedEnvironment(loader=jinja2.FileSystemLoader(str(folder)), undefined=jinja2.StrictUndefined,
                               autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    env.filters.update(number=vnformat.number, decimal=vnformat.decimal, percent=vnformat.percent,
                       sentence=as_sentence, count_words=vnformat.count_words, natural_list=vnformat.natural_list)
    env.globals.update(full_date=vnformat.full_date, change=vnformat.change)
    return env


def _template_line(tb: TracebackType | None, name: str) -> int | None:
    """Jinja2 rewrites tracebacks so template frames carry the template's line."""
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(name):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def render(env: SandboxedEnvironment, name: str, **context: Any) -> str:
    """Render one template into tidy paragraphs; TemplateError on any failure."""
    filename = f"{name}.txt.j2"
    try:
        text = env.get_template(filename).render(**context)
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"Thiếu mẫu kịch bản {filename} trong thư mục mẫu. Hãy tạo lại tệp này.") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.name or filename}, dòng {exc.lineno}: lỗi cú pháp mẫu: {exc.message}.") from exc
    except jinja2.UndefinedError as exc:
        line = _template_line(exc.__traceback__, filename)
        match = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'", str(exc))
        missing = (match.group(1) or match.group(2)) if match else str(exc)
        where = f"{filename}, dòng {line}" if line else filename
        raise TemplateError(f"{where}: không có biến \"{missing}\". Hãy sửa tên biến trong mẫu.") from exc
    except jinja2.TemplateError as exc:
        line = _template_line(exc.__traceback__, filename)
        where = f"{filename}, dòng {line}" if line else filename
        raise TemplateError(f"{where}: lỗi khi dựng kịch bản: {exc}.") from exc
    return tidy(text)


def tidy(text: str) -> str:
    """Paragraphs separated by one blank line, single spaces, NFC."""
    paragraphs = [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", text)]
    return unicodedata.normalize("NFC", "\n\n".join(p for p in paragraphs if p))


def dialogue_roles(text: str, question: str) -> tuple[str, ...]:
    """Roles of a hỏi – đáp segment's paragraphs: the host's lead-in, the question, the answer.

    Found by locating the question's paragraph in the rendered text, so a
    commune may reword the template freely; if the question cannot be found
    the segment is read by one voice (empty roles).
    """
    paragraphs = text.split("\n\n")
    wanted = tidy(question).rstrip(".!?…:; ")
    for index, paragraph in enumerate(paragraphs):
        if wanted and wanted in paragraph:
            return tuple("main" if k < index else "question" if k == index else "answer"
                         for k in range(len(paragraphs)))
    return ()


def _stats_context(report: StatsReport) -> dict[str, Any]:
    """The results template's ``stats``: raw counts and the figures derived from them."""
    return stats_figures(report)


def _news_refs(item: NewsItem) -> tuple[str, ...]:
    """The item's stable ref (guid), and its link when different: history matches either."""
    return (item.ref, item.link) if item.link and item.link != item.ref else (item.ref,)


def _faq_ref(entry: FaqEntry) -> str:
    return entry.ref


def results_segment(env: SandboxedEnvironment, base: dict[str, Any], report: StatsReport) -> Segment:
    """The one-stop shop's results, as the programme says them (also the statistics page's preview)."""
    cur = report.current
    ref = f"stats:{Path(cur.file).name}#dòng {cur.row}"
    return Segment("ket-qua", "Kết quả một cửa", render(env, "results", **base, stats=_stats_context(report)), (ref,))


def base_context(gathered: Gathered, programme: Programme) -> dict[str, Any]:
    """What every template may use."""
    return {"commune": programme.commune, "station": programme.station, "column": programme.column,
            "date": programme.date, "date_full": vnformat.full_date(programme.date),
            "has_stats": gathered.stats is not None, "news_count": len(gathered.news),
            "faq_count": len(gathered.faq), "headlines": [i.title for i in gathered.news]}


def compose(gathered: Gathered, programme: Programme, templates: Path) -> Script:
    """Fill the templates in programme order: opening, results, news, hỏi – đáp, closing."""
    env = make_environment(templates)
    base = base_context(gathered, programme)
    segments = [Segment("mo-dau", "Mở đầu", render(env, "opening", **base))]
    if gathered.stats is not None:
        segments.append(results_segment(env, base, gathered.stats))
    for index, item in enumerate(gathered.news, start=1):
        text = render(env, "news", **base, item=item, index=index)
        segments.append(Segment(f"tin-{index}", item.title or f"Tin {index}", text, _news_refs(item)))
    in_topic = 0
    for index, entry in enumerate(gathered.faq, start=1):
        text = render(env, "faq", **base, entry=entry, index=index)
        # a section title once: the next question on the same topic is "…, câu 2", not the same title again
        in_topic = in_topic + 1 if index > 1 and entry.topic == gathered.faq[index - 2].topic else 1
        title = f"Hỏi – đáp: {entry.topic}" + (f", câu {in_topic}" if in_topic > 1 else "")
        segments.append(Segment(f"hoi-dap-{index}", title, text, (_faq_ref(entry),),
                                roles=dialogue_roles(text, entry.question)))
    segments.append(Segment("ket-thuc", "Kết thúc", render(env, "closing", **base)))
    return Script(date=programme.date, column=programme.column, segments=tuple(segments))
