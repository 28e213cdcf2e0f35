"""The column's part of the commune's quarterly CCHC report, from the as-played log and the episodes.

Only what actually played counts (``played`` or ``interrupted`` on at least one
output); one airing on several outputs at once is one airing. Written as DOCX
(justified paragraphs, ready to paste into the commune's report) and XLSX.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

from broadcast import vnformat
from broadcast.config import Settings
from broadcast.errors import BroadcastError
from broadcast.files import write_bytes
from broadcast.onair.items import EPISODE, URGENT
from broadcast.onair.log import INTERRUPTED, PLAYED, Aired, AsPlayedLog
from broadcast.review.store import Store


@dataclass(frozen=True)
class Airing:
    """One airing of one item, whatever the number of outputs."""

    kind: str
    ref_id: int
    title: str
    started: dt.datetime
    minutes: float
    outputs: tuple[str, ...]


@dataclass(frozen=True)
class NewsAired:
    title: str
    sources: tuple[str, ...]
    episode: str


@dataclass(frozen=True)
class Quarter:
    station: str
    column: str
    quarter: int
    year: int
    first: dt.date
    last: dt.date
    episodes: tuple[Airing, ...]          # the column's airings, in time order
    notices: tuple[Airing, ...]           # urgent notices aired
    news: tuple[NewsAired, ...]
    faq_topics: tuple[str, ...]
    questions: tuple[str, ...]            # citizens' questions answered on air: "id: question"
    figures: tuple[str, ...]              # the one-stop figures as read on air

    @property
    def airings(self) -> int:
        return len(self.episodes)

    @property
    def minutes(self) -> float:
        return sum(a.minutes for a in self.episodes)

    @property
    def programmes(self) -> int:
        return len({a.ref_id for a in self.episodes})


def quarter_dates(quarter: int, year: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, 3 * quarter - 2, 1)
    after = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return first, after - dt.timedelta(days=1)


def airings(rows: list[Aired]) -> list[Airing]:
    """Played rows grouped into airings: one item played once, on however many outputs."""
    groups: dict[str, list[Aired]] = {}
    for r in rows:
        if r.result in (PLAYED, INTERRUPTED) and r.started is not None:
            groups.setdefault(r.play_id, []).append(r)
    out = []
    for group in groups.values():
        kind, ref_id = group[0].kind, group[0].ref_id
        first = min(group, key=lambda r: r.started or dt.datetime.max)
        assert first.started is not None
        out.append(Airing(kind, ref_id, first.title, first.started, max(r.duration_s for r in group) / 60,
                          tuple(dict.fromkeys(r.output for r in group))))
    return sorted(out, key=lambda a: a.started)


def gather(settings: Settings, store: Store, quarter: int, year: int) -> Quarter:
    first, last = quarter_dates(quarter, year)
    rows = AsPlayedLog(store).rows(first, last)
    aired = airings(rows)
    column = [a for a in aired if a.kind == EPISODE]
    urgent_ids = {r.ref_id for r in rows if r.kind != EPISODE and r.priority == URGENT}
    notices = [a for a in aired if a.kind != EPISODE and a.ref_id in urgent_ids]
    news: list[NewsAired] = []
    topics: list[str] = []
    faq_ids: list[str] = []
    figures: list[str] = []
    for ref_id in dict.fromkeys(a.ref_id for a in column):
        record = store.get(ref_id)
        for seg in store.segments(ref_id, record.revision):
            if seg.id.startswith("tin-"):
                links = tuple(s for s in seg.sources if re.match(r"^https?://", s))
                news.append(NewsAired(seg.title, links or seg.sources, f"{record.date:%d/%m/%Y}"))
            elif seg.id.startswith("hoi-dap-"):
                topics.append(seg.title.split(":", 1)[-1].strip())
                faq_ids += [s[4:] for s in seg.sources if s.startswith("faq:")]
            elif seg.id == "ket-qua":
                figures.append(f"{record.date:%d/%m/%Y}: {' '.join(seg.text.split())}")
    return Quarter(settings.station.name, settings.column.title, quarter, year, first, last, tuple(column),
                   tuple(notices), tuple(news), tuple(dict.fromkeys(topics)), _questions(settings, faq_ids),
                   tuple(figures))


def _questions(settings: Settings, faq_ids: list[str]) -> tuple[str, ...]:
    """Citizens' questions that an aired FAQ entry answers (``answers_inbox``), with their text when known."""
    from broadcast.sources import inbox
    from broadcast.sources.faq import read_faq

    if settings.sources.faq is None or not faq_ids:
        return ()
    try:
        answered = [q for e in read_faq(settings.sources.faq) if e.id in faq_ids for q in e.answers_inbox]
        texts = {q.id: q.question for q in inbox.load(settings.sources.inbox)}
    except BroadcastError:
        return ()
    return tuple(f"{q}: {texts[q]}" if q in texts else q for q in dict.fromkeys(answered))


# --- writing -------------------------------------------------------------------------------------------

def _title(report: Quarter) -> str:
    return f"Kết quả tuyên truyền cải cách hành chính trên {report.station} — quý {report.quarter}/{report.year}"


def summary(report: Quarter) -> list[str]:
    period = f"từ ngày {report.first:%d/%m/%Y} đến ngày {report.last:%d/%m/%Y}"
    return [
        f"Trong quý {report.quarter}/{report.year} ({period}), {report.station} đã phát chuyên mục "
        f"\"{report.column}\" {report.airings} lượt với {report.programmes} số phát, tổng thời lượng "
        f"{vnformat.decimal(report.minutes)} phút (theo nhật ký phát sóng).",
        f"Chuyên mục đã đưa {len(report.news)} tin về cải cách hành chính, giải đáp {len(report.faq_topics)} chủ đề "
        f"hỏi – đáp và trả lời {len(report.questions)} câu hỏi của người dân.",
        f"Số thông báo khẩn cấp đã phát: {len(report.notices)}.",
    ]


def write_docx(report: Quarter, path: Path) -> None:
    write_bytes(path, docx_bytes(report))


def write_xlsx(report: Quarter, path: Path) -> None:
    write_bytes(path, xlsx_bytes(report))


def docx_bytes(report: Quarter) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = Document()
    doc.add_heading(_title(report), level=1)

    def para(text: str) -> None:
        doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    for line in summary(report):
        para(line)
    doc.add_heading("1. Các lượt phát chuyên mục", level=2)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Ngày phát", "Giờ phát", "Số phát", "Thời lượng (phút)"), strict=True):
        cell.text = text
    for a in report.episodes:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = f"{a.started:%d/%m/%Y}", f"{a.started:%H:%M}"
        cells[2].text, cells[3].text = a.title, vnformat.decimal(a.minutes)
    doc.add_heading("2. Tin đã phát và nguồn", level=2)
    for n in report.news:
        para(f"{n.title} (số phát {n.episode}). Nguồn: {', '.join(n.sources) or 'không ghi'}.")
    doc.add_heading("3. Chủ đề hỏi – đáp đã giải đáp", level=2)
    for topic in report.faq_topics:
        para(topic)
    doc.add_heading("4. Câu hỏi của người dân đã được trả lời", level=2)
    para(f"Số câu hỏi: {len(report.questions)}.")
    for q in report.questions:
        para(q)
    doc.add_heading("5. Số liệu bộ phận một cửa đã thông tin", level=2)
    for f in report.figures:
        para(f"“{f}”")
    doc.add_heading("6. Thông báo khẩn cấp", level=2)
    para(f"Số thông báo khẩn cấp đã phát: {len(report.notices)}.")
    for a in report.notices:
        para(f"{a.started:%d/%m/%Y %H:%M}: {a.title} ({vnformat.decimal(a.minutes)} phút).")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(report: Quarter) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Tổng hợp"
    sheet.append([_title(report)])
    for label, value in (("Lượt phát chuyên mục", report.airings), ("Số phát", report.programmes),
                         ("Tổng thời lượng (phút)", round(report.minutes, 1)), ("Tin đã phát", len(report.news)),
                         ("Chủ đề hỏi – đáp", len(report.faq_topics)), ("Câu hỏi người dân được trả lời",
                                                                         len(report.questions)),
                         ("Thông báo khẩn cấp", len(report.notices))):
        sheet.append([label, value])
    rows = book.create_sheet("Lượt phát")
    rows.append(["Ngày phát", "Giờ phát", "Số phát", "Thời lượng (phút)", "Đầu ra"])
    for a in report.episodes:
        rows.append([f"{a.started:%d/%m/%Y}", f"{a.started:%H:%M}", a.title, round(a.minutes, 2), ", ".join(a.outputs)])
    news = book.create_sheet("Tin")
    news.append(["Tin", "Số phát", "Nguồn"])
    for n in report.news:
        news.append([n.title, n.episode, ", ".join(n.sources)])
    faq = book.create_sheet("Hỏi đáp")
    faq.append(["Chủ đề hỏi – đáp"])
    for topic in report.faq_topics:
        faq.append([topic])
    faq.append([])
    faq.append(["Câu hỏi của người dân đã được trả lời"])
    for q in report.questions:
        faq.append([q])
    figures = book.create_sheet("Một cửa")
    figures.append(["Số liệu đã thông tin trên sóng"])
    for f in report.figures:
        figures.append([f])
    urgent = book.create_sheet("Thông báo khẩn")
    urgent.append(["Ngày", "Giờ", "Thông báo", "Thời lượng (phút)"])
    for a in report.notices:
        urgent.append([f"{a.started:%d/%m/%Y}", f"{a.started:%H:%M}", a.title, round(a.minutes, 2)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
