"""The month's one-stop figures on the site: upload the export or type one month; preview; then save.

Nothing reaches the statistics file until the officer has seen, on the preview,
every bad row and the results paragraph exactly as the programme will say it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from broadcast.compose import make_environment, results_segment
from broadcast.config import Settings
from broadcast.errors import BroadcastError
from broadcast.models import StatsReport
from broadcast.review.store import Store
from broadcast.review.web.faq import editor_name
from broadcast.sources import stats_edit
from broadcast.sources.stats import read_stats
from broadcast.sources.text import clean_text

stats_pages = Blueprint("stats", __name__, url_prefix="/thong-ke")


def _context() -> tuple[Settings, Store, Path]:
    ext = current_app.extensions["broadcast"]
    settings: Settings = ext["settings"]
    if settings.sources.statistics is None:
        abort(404)
    return settings, ext["store"], settings.review.database.parent


def spoken_results(settings: Settings, report: StatsReport) -> tuple[str, str]:
    """(written, spoken) results paragraph of the next programme for ``report``."""
    from broadcast.normalize import normalize
    from broadcast.pipeline import lexicon_for

    base = {"commune": settings.station.commune, "station": settings.station.name, "column": settings.column.title}
    env = make_environment(settings.column.templates)
    written = results_segment(env, base, report).text
    return written, normalize(written, dialect=settings.station.dialect, lexicon=lexicon_for(settings),
                                day_prefix=settings.station.day_prefix)


@stats_pages.get("/")
def index() -> Any:
    settings, _, _ = _context()
    target = settings.sources.statistics
    assert target is not None
    periods, error = [], ""
    if target.exists():
        try:
            periods = sorted(read_stats(target, settings.stats_columns), key=lambda p: (p.year, p.month), reverse=True)
        except BroadcastError as exc:
            error = str(exc)
    return render_template("stats.html", target=target, periods=periods, error=error, form={})


def _preview_page(settings: Settings, state: Path, token: str, month: tuple[int, int] | None, origin: str) -> Any:
    shown = stats_edit.preview(state, token, columns=settings.stats_columns, month=month)
    written = spoken = ""
    if shown.report is not None and not shown.problems:
        try:
            written, spoken = spoken_results(settings, shown.report)
        except BroadcastError as exc:
            shown = stats_edit.StatsPreview(shown.token, shown.periods, (str(exc),), shown.report)
    return render_template("stats_preview.html", p=shown, written=written, spoken=spoken, origin=origin,
                           target=settings.sources.statistics), 400 if shown.problems else 200


@stats_pages.post("/tai-len")
def upload() -> Any:
    settings, _, state = _context()
    assert settings.sources.statistics is not None
    sent = request.files.get("tep")
    if sent is None or not sent.filename:
        flash("Hãy chọn tệp thống kê (.csv hoặc .xlsx) trước khi bấm Xem trước.")
        return redirect(url_for("stats.index")), 303
    try:
        token = stats_edit.stage_upload(state, sent.read(), name=clean_text(sent.filename),
                                        target=settings.sources.statistics)
    except BroadcastError as exc:
        flash(str(exc))
        return redirect(url_for("stats.index")), 303
    return _preview_page(settings, state, token, None, f"tệp {clean_text(sent.filename)}")


@stats_pages.post("/nhap")
def typed() -> Any:
    settings, _, state = _context()
    target = settings.sources.statistics
    assert target is not None
    values = {k: clean_text(request.form.get(k, "")) for k in stats_edit.FIELDS}
    try:
        token, month = stats_edit.stage_month(state, target, values, columns=settings.stats_columns)
    except BroadcastError as exc:
        return render_template("stats.html", target=target, periods=[], error=str(exc), form=values), 400
    return _preview_page(settings, state, token, month, f"số liệu tháng {month[1]}/{month[0]} nhập tay")


@stats_pages.post("/luu")
def save() -> Any:
    settings, store, state = _context()
    target = settings.sources.statistics
    assert target is not None
    token = request.form.get("token", "")
    try:
        shown = stats_edit.preview(state, token, columns=settings.stats_columns)
        if shown.problems or not shown.periods:
            flash("Chưa lưu: số liệu còn lỗi. Hãy sửa các dòng được nêu rồi tải lên lại.")
            return redirect(url_for("stats.index")), 303
        kept = stats_edit.confirm(state, token, target)
    except BroadcastError as exc:
        flash(str(exc))
        return redirect(url_for("stats.index")), 303
    with store.transaction() as conn:
        store.log(conn, editor_name(), "cập nhật số liệu một cửa",
                  None, f"{target.name}: {len(shown.periods)} tháng" + (f"; bản cũ: {kept.name}" if kept else ""))
    flash(f"Đã lưu số liệu vào {target.name} ({len(shown.periods)} tháng)."
          + (" Bản trước được giữ lại trong thư mục thong-ke-cu." if kept else ""))
    return redirect(url_for("stats.index")), 303
