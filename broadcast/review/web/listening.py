"""How much of the programme the approver played before approving, kept with the approval.

The page measures the played ranges of the programme's <audio> (JavaScript:
``audio.played``) into the approve form, which also asks the approver to
confirm they listened to all of it. After a successful approval the figures go
into the audit log next to it; without JavaScript the log says it could not be
measured.
"""

from __future__ import annotations

import re

from flask import Flask, Response, request

from broadcast import vnformat
from broadcast.review.store import Store
from broadcast.review.web.faq import editor_name


def listening_note(played: str, total: str, confirmed: bool) -> str:
    heard = "đã xác nhận nghe toàn bộ" if confirmed else "không xác nhận đã nghe toàn bộ"
    if not re.fullmatch(r"\d{1,6}(\.\d+)?", played or "") or not re.fullmatch(r"\d{1,6}(\.\d+)?", total or ""):
        return f"{heard}; không đo được thời gian đã nghe (trình duyệt tắt JavaScript hoặc dòng lệnh)"
    seconds, length = float(played), max(float(total), 0.1)
    share = min(100.0, 100.0 * seconds / length)
    return (f"{heard}; đã nghe {share:.0f} % chương trình ({vnformat.duration(seconds)} trên "
            f"{vnformat.duration(length)})")


def record_listening(app: Flask, store: Store) -> None:
    @app.after_request
    def after_approval(response: Response) -> Response:
        if request.endpoint == "approve_page" and response.status_code == 303:
            episode_id = (request.view_args or {}).get("episode_id")
            note = listening_note(request.form.get("played_s", ""), request.form.get("total_s", ""),
                                  request.form.get("da_nghe") == "1")
            with store.transaction() as conn:
                store.log(conn, editor_name(), "nghe trước khi duyệt",
                          episode_id, note)
        return response
