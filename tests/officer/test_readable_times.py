"""Times in the station's zone as dd/mm/yyyy HH:MM, audit actions in Vietnamese, short hashes."""

from __future__ import annotations

import datetime as dt

from broadcast import vnformat
from broadcast.config import Settings
from broadcast.review import display

DIGEST = "3f9a1c07b2e4d5a6978877665544332211ffeeddccbbaa009988776655443322"


def test_utc_iso_time_shown_in_station_time() -> None:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    assert vnformat.moment("2026-12-01T23:02:35+00:00", zone) == "02/12/2026 06:02"
    assert vnformat.moment("2026-12-01 23:02:35", zone) == "02/12/2026 06:02"         # SQLite's naive UTC
    assert vnformat.moment(dt.datetime(2026, 12, 2, 6, 2)) == "02/12/2026 06:02"


def test_audit_actions_vietnamese_and_hashes_short() -> None:
    assert display.action_name("approve") == "phê duyệt" and display.action_name("publish") == "phát hành"
    assert all(code != name for code, name in display.ACTIONS.items())
    detail = display.readable(f"phiên bản 2, sha256 {DIGEST}")
    assert detail == "phiên bản 2, sha256 3f9a1c07b2e4…" and len(detail) < 40


def test_review_site_has_the_filters(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    from broadcast.review.web import create_app

    settings = Settings()
    settings = dataclasses.replace(settings, review=dataclasses.replace(settings.review,
                                                                        database=tmp_path / "db.sqlite"))
    app = create_app(settings)
    render = app.jinja_env.from_string("{{ local_time(t) }} {{ a|action_name }} {{ d|readable }}")
    shown = render.render(t="2026-12-01T23:02:35+00:00", a="reject", d=DIGEST)
    assert shown == "02/12/2026 06:02 từ chối 3f9a1c07b2e4…"
