"""The station's voice on the site: choose who reads the programme, by a person's name.

The choice is ``speech.voice`` in the officer's config file, written there
keeping its comments (``config.edit``), so the command line, the scheduler and
this site all read the same one. The running site takes the new settings at
once (later voicing here uses them); the scheduler reads the file at each job.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from broadcast.config import Settings
from broadcast.errors import BroadcastError
from broadcast.review.web import auth
from broadcast.review.wording import voice_name
from broadcast.speech.voices import DEFAULT_LABEL, PEOPLE, ordered, person

voice_pages = Blueprint("voices", __name__, url_prefix="/giong-doc")


def _settings() -> Settings:
    settings: Settings = current_app.extensions["broadcast"]["settings"]
    return settings


def order_sentence(settings: Settings) -> str:
    """Which voices read, in order, in words for people: 'Hoài My trước; khi mất mạng: …'."""
    chosen = person(settings.speech.voice)
    names = [chosen.name if chosen is not None and engine == chosen.engine else voice_name(engine)
             for engine in ordered(settings.speech.engines, settings.speech.voice)]
    first, rest = names[0], names[1:]
    return f"Giọng đọc trước tiên: {first}." + (f" Khi giọng này không dùng được: {', rồi '.join(rest)}."
                                                if rest else "")


@voice_pages.get("/")
def index() -> Any:
    settings = _settings()
    options = [{"value": "", "label": DEFAULT_LABEL, "about": "Giữ thứ tự giọng đọc ghi trong tệp cấu hình."}]
    options += [{"value": p.name, "label": p.name, "about": p.about} for p in PEOPLE]
    return render_template("voice.html", options=options, current=settings.speech.voice,
                           order=order_sentence(settings), config=settings.source_file,
                           can_change=auth.allowed("settings") and settings.source_file is not None)


@voice_pages.post("/")
def choose() -> Any:
    auth.require("settings")
    settings = _settings()
    wanted = request.form.get("voice", "")
    if wanted and person(wanted) is None:
        flash("Giọng đọc này không có trong danh sách. Hãy chọn lại.")
        return redirect(url_for("voices.index")), 303
    if settings.source_file is None:
        flash("Trang duyệt bài đang chạy với cấu hình mặc định, không có tệp cấu hình để ghi. Hãy tạo tệp bằng lệnh "
              "broadcast init rồi mở lại trang.")
        return redirect(url_for("voices.index")), 303
    from broadcast.config.edit import set_value

    try:
        fresh = set_value(settings.source_file, "speech", "voice", wanted)
    except BroadcastError as exc:
        flash(f"Chưa đổi được giọng đọc: {exc}")
        return redirect(url_for("voices.index")), 303
    ext = current_app.extensions["broadcast"]
    ext["settings"] = fresh
    if "voicer" in ext:
        ext["voicer"].settings = fresh   # voicing after later edits here uses the new voice
    label = wanted or DEFAULT_LABEL
    flash(f"Đã chọn giọng đọc: {label}. Từ lần dựng hoặc lần đọc lại tới, chương trình đọc bằng giọng này "
          f"(đã ghi vào {settings.source_file.name}).")
    return redirect(url_for("voices.index")), 303
