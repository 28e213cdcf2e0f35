"""The session secret in the state folder, and a CSRF failure that gives the editor's text back."""

from __future__ import annotations

import datetime as dt
import re
import stat
import threading
from pathlib import Path

from broadcast.config import Settings
from broadcast.review.secret import state_secret
from broadcast.review.store import EpisodeRecord, Store
from broadcast.review.web import create_app
from broadcast.review.workflow import build_draft

from .conftest import DAY


def test_the_secret_is_made_once_0600_and_shared(tmp_path: Path) -> None:
    path = tmp_path / "state" / "session-secret"
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(state_secret(path))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 1 and re.fullmatch(r"[0-9a-f]{64}", results[0])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert state_secret(path) == results[0]
    assert [p.name for p in path.parent.iterdir()] == ["session-secret"]   # no temporary file left
    path.write_text("hỏng", encoding="utf-8")
    fresh = state_secret(path)
    assert fresh != results[0] and re.fullmatch(r"[0-9a-f]{64}", fresh)


def test_two_apps_on_one_state_folder_accept_each_others_forms(settings: Settings, built: EpisodeRecord) -> None:
    first, second = create_app(settings), create_app(settings)
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (settings.review.database.parent / "session-secret").is_file()


def test_a_csrf_failure_gives_the_form_back_with_the_text(settings: Settings) -> None:
    record = build_draft(settings, DAY + dt.timedelta(days=120))
    assert record is not None
    client = create_app(settings).test_client()
    html = client.get(f"/episodes/{record.id}").get_data(as_text=True)
    with Store.open(settings) as store:
        segment = store.segments(record.id)[1]
    text = segment.text + " Câu viết trước khi phiên hết hạn."
    sent = {"csrf_token": "het-han", "by": "Chị Lan", f"text-{segment.id}": text,
            f"base-{segment.id}": str(segment.text_revision)}
    response = client.post(f"/episodes/{record.id}/save", data=sent)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "CSRF" in page and "Lời bạn viết vẫn còn" in page
    assert "Câu viết trước khi phiên hết hạn." in page                # the text is on screen, in the form
    assert f'name="base-{segment.id}" value="{segment.text_revision}"' in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    assert token != "het-han"
    assert "het-han" not in html
    with Store.open(settings) as store:
        assert store.get(record.id).revision == 1                      # nothing was saved by the bad form
    response = client.post(f"/episodes/{record.id}/save", data={**sent, "csrf_token": token})
    assert response.status_code == 303                                 # one more click saves it
    with Store.open(settings) as store:
        assert store.segments(record.id)[1].text == text
    response = client.post(f"/episodes/{record.id}/approve", data={"csrf_token": "x", "by": "Hùng", "revision": "2"})
    assert response.status_code == 400 and 'id="luu"' in response.get_data(as_text=True)   # the page, not a dead end
