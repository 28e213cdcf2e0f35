"""Two editors at once on the review site (real Flask app, real SQLite file): merges, conflicts, resolutions.

The two editors are two personal accounts, each logged in on its own client: who saved is the account.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from broadcast.config import Settings, load_settings
from broadcast.review import limits
from broadcast.review.accounts import EDITOR, Accounts
from broadcast.review.store import EpisodeRecord, Store
from broadcast.review.web import create_app
from broadcast.review.workflow import build_draft

from .conftest import DAY, write_config

_days = itertools.count(1)
PASSWORD = "mat-khau-bien-tap-1"
LAN, BA = "Chị Lan (lan)", "Anh Ba (ba)"


@pytest.fixture(scope="module")
def settings(workdir: Path, speech_cache: Path) -> Settings:
    """A site of its own with two editors' accounts."""
    folder = workdir / "merge"
    folder.mkdir(exist_ok=True)
    settings = load_settings(write_config(folder, cache=speech_cache), must_exist=True)
    with Store.open(settings) as store:
        for name, full in (("lan", "Chị Lan"), ("ba", "Anh Ba")):
            Accounts(store).add(name, EDITOR, PASSWORD, full_name=full, by="test")
    return settings


@pytest.fixture(scope="module")
def app(settings: Settings) -> Flask:
    return create_app(settings)


def as_editor(app: Flask, name: str) -> FlaskClient:
    client = app.test_client()
    token = token_of(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"csrf_token": token, "name": name, "password": PASSWORD})
    assert response.status_code == 303
    return client


@pytest.fixture()
def episode(settings: Settings) -> EpisodeRecord:
    """A fresh draft for each test (its own date, its own folder)."""
    record = build_draft(settings, DAY + dt.timedelta(days=next(_days)))
    assert record is not None
    return record


def form_of(client: FlaskClient, episode_id: int) -> dict[str, str]:
    """Every field of the episode's save form as a browser would send it untouched."""
    html = client.get(f"/episodes/{episode_id}").get_data(as_text=True)
    form = html.split('id="luu"', 1)[1].split("</form>", 1)[0]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    for name, text in re.findall(r'<textarea id="[^"]+" name="(text-[^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        fields[name] = _unescape(text)
    return fields


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", '"').replace("&#39;", "'") \
        .replace("&quot;", '"').replace("&amp;", "&")


def token_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def wait_voiced(settings: Settings, episode_id: int, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    with Store.open(settings) as store:
        while any(not s.voiced for s in store.segments(episode_id)):
            assert time.monotonic() < deadline, "voicing did not finish"
            time.sleep(0.1)
        while time.monotonic() < deadline:   # the programme is joined after the last segment
            record = store.get(episode_id)
            from broadcast.files import sha256

            if sha256(record.program) == record.sha256 and not _leased(store, episode_id):
                return
            time.sleep(0.1)
    raise AssertionError("the programme was not re-assembled")


def _leased(store: Store, episode_id: int) -> bool:
    with store.connection() as conn:
        return conn.execute("SELECT COUNT(*) FROM voicing WHERE episode_id = ?", (episode_id,)).fetchone()[0] > 0


def test_two_editors_different_segments_both_kept(app: Flask, settings: Settings, episode: EpisodeRecord) -> None:
    lan, ba = as_editor(app, "lan"), as_editor(app, "ba")
    form_lan, form_ba = form_of(lan, episode.id), form_of(ba, episode.id)   # both open revision 1
    with Store.open(settings) as store:
        first, second = store.segments(episode.id)[1], store.segments(episode.id)[2]
    form_lan.update({f"text-{first.id}": first.text + " Lan thêm một câu."})
    assert lan.post(f"/episodes/{episode.id}/save", data=form_lan).status_code == 303
    # Ba's form still holds revision 1's text of Lan's segment: it must not put it back
    form_ba.update({f"text-{second.id}": second.text + " Ba thêm một câu."})
    assert ba.post(f"/episodes/{episode.id}/save", data=form_ba).status_code == 303
    wait_voiced(settings, episode.id)
    with Store.open(settings) as store:
        now = store.segments(episode.id)
        record = store.get(episode.id)
    assert now[1].text.endswith("Lan thêm một câu.") and now[1].saved_by == LAN
    assert now[2].text.endswith("Ba thêm một câu.") and now[2].saved_by == BA
    assert record.revision == 3 and all(s.voiced for s in now)


def test_conflict_same_segment_loses_nothing(app: Flask, settings: Settings, episode: EpisodeRecord) -> None:
    lan, ba = as_editor(app, "lan"), as_editor(app, "ba")
    form_lan, form_ba = form_of(lan, episode.id), form_of(ba, episode.id)
    with Store.open(settings) as store:
        target, other = store.segments(episode.id)[1], store.segments(episode.id)[2]
    form_lan.update({f"text-{target.id}": "Bản của chị Lan."})
    assert lan.post(f"/episodes/{episode.id}/save", data=form_lan).status_code == 303
    form_ba.update({f"text-{target.id}": "Bản của anh Ba.",
                    f"text-{other.id}": other.text + " Câu anh Ba thêm ở đoạn khác."})
    response = ba.post(f"/episodes/{episode.id}/save", data=form_ba)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    conflict = page.split(f'id="xung-dot-{target.id}"', 1)[1]
    assert "Bản của Chị Lan" in conflict and "Bản của chị Lan." in conflict and "Bản của anh Ba." in conflict
    with Store.open(settings) as store:
        saved_at = store.local_time(store.segments(episode.id)[1].saved_at)
        now = store.segments(episode.id)
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", saved_at)
    assert f"Lưu lúc {saved_at}" in conflict                 # who saved theirs and when, in local time
    assert f'id="xung-dot-{other.id}"' not in page           # only the conflicting segment is shown
    assert other.id in page.split('id="conflict-saved"', 1)[1].split("</p>", 1)[0]
    assert now[1].text == "Bản của chị Lan."                 # theirs is untouched
    assert now[2].text.endswith("Câu anh Ba thêm ở đoạn khác.")   # Ba's other segment is saved
    # choose "keep mine": Ba's text, which was never lost, becomes the segment
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    fields = {k: _unescape(v) for k, v in fields.items()}
    fields.update({f"choice-{target.id}": "yours"})
    assert ba.post(f"/episodes/{episode.id}/save", data=fields).status_code == 303
    with Store.open(settings) as store:
        assert store.segments(episode.id)[1].text == "Bản của anh Ba."


def _conflict(app: Flask, settings: Settings, episode: EpisodeRecord) -> tuple[FlaskClient, dict[str, str], str]:
    lan, ba = as_editor(app, "lan"), as_editor(app, "ba")
    form_lan, form_ba = form_of(lan, episode.id), form_of(ba, episode.id)
    with Store.open(settings) as store:
        target = store.segments(episode.id)[1]
    form_lan.update({f"text-{target.id}": "Bản của chị Lan."})
    assert lan.post(f"/episodes/{episode.id}/save", data=form_lan).status_code == 303
    form_ba.update({f"text-{target.id}": "Bản của anh Ba."})
    page = ba.post(f"/episodes/{episode.id}/save", data=form_ba).get_data(as_text=True)
    fields = {k: _unescape(v) for k, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)}
    return ba, fields, target.id


def test_conflict_page_resubmitted_without_a_choice_is_refused(app: Flask, settings: Settings,
                                                               episode: EpisodeRecord) -> None:
    ba, fields, target = _conflict(app, settings, episode)
    response = ba.post(f"/episodes/{episode.id}/save", data=fields)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Hãy chọn cách giải quyết" in page and "Bản của anh Ba." in page   # still on the conflict page
    response = ba.post(f"/episodes/{episode.id}/save", data={**fields, f"choice-{target}": "nonsense"})
    assert response.status_code == 400
    with Store.open(settings) as store:
        assert store.segments(episode.id)[1].text == "Bản của chị Lan."
        assert store.get(episode.id).revision == 2


def test_conflict_keep_theirs_writes_nothing(app: Flask, settings: Settings, episode: EpisodeRecord) -> None:
    ba, fields, target = _conflict(app, settings, episode)
    response = ba.post(f"/episodes/{episode.id}/save", data={**fields, f"choice-{target}": "theirs"})
    assert response.status_code == 303
    with Store.open(settings) as store:
        assert store.segments(episode.id)[1].text == "Bản của chị Lan."
        assert store.get(episode.id).revision == 2


def test_conflict_merge_by_hand(app: Flask, settings: Settings, episode: EpisodeRecord) -> None:
    ba, fields, target = _conflict(app, settings, episode)
    response = ba.post(f"/episodes/{episode.id}/save",
                       data={**fields, f"choice-{target}": "merge", f"merge-{target}": "Bản gộp của hai người."})
    assert response.status_code == 303
    wait_voiced(settings, episode.id)
    with Store.open(settings) as store:
        segment = store.segments(episode.id)[1]
    assert segment.text == "Bản gộp của hai người." and segment.saved_by == BA and segment.voiced


def test_a_resolution_against_a_segment_changed_again_is_a_new_conflict(app: Flask, settings: Settings,
                                                                        episode: EpisodeRecord) -> None:
    ba, fields, target = _conflict(app, settings, episode)
    lan = as_editor(app, "lan")
    form = form_of(lan, episode.id)
    form.update({f"text-{target}": "Chị Lan sửa lần hai."})
    assert lan.post(f"/episodes/{episode.id}/save", data=form).status_code == 303
    response = ba.post(f"/episodes/{episode.id}/save", data={**fields, f"choice-{target}": "yours"})
    assert response.status_code == 409 and "Chị Lan sửa lần hai." in response.get_data(as_text=True)
    with Store.open(settings) as store:
        assert store.segments(episode.id)[1].text == "Chị Lan sửa lần hai."


def test_a_refused_save_comes_back_with_the_bases_it_was_typed_against(app: Flask, settings: Settings,
                                                                        episode: EpisodeRecord) -> None:
    """The old bug: a refusal refilled the form with the CURRENT revision, and one more Save reverted others."""
    lan, ba = as_editor(app, "lan"), as_editor(app, "ba")
    form_lan, form_ba = form_of(lan, episode.id), form_of(ba, episode.id)
    with Store.open(settings) as store:
        target = store.segments(episode.id)[1]
    form_lan.update({f"text-{target.id}": "Bản của chị Lan."})
    assert lan.post(f"/episodes/{episode.id}/save", data=form_lan).status_code == 303
    too_long = "Bản của anh Ba. " + "x" * limits.SEGMENT_CHARS
    form_ba.update({f"text-{target.id}": too_long})    # refused: over the segment limit
    refused = ba.post(f"/episodes/{episode.id}/save", data=form_ba)
    assert refused.status_code == 400
    again = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', refused.get_data(as_text=True)))
    assert again[f"base-{target.id}"] == "1"            # the base Ba typed against, not revision 2
    assert "Bản của anh Ba." in refused.get_data(as_text=True)
    resent = {**form_ba, **{k: v for k, v in again.items() if k.startswith("base-")},
              f"text-{target.id}": "Bản của anh Ba.", "csrf_token": again["csrf_token"]}
    assert ba.post(f"/episodes/{episode.id}/save", data=resent).status_code == 409   # a conflict, not a revert
    with Store.open(settings) as store:
        assert store.segments(episode.id)[1].text == "Bản của chị Lan."
