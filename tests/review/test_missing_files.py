"""Files the database expects and does not find, or finds and does not know: each gets its own line.

A segment MP3 deleted by hand is named (file, segment, episode) with the two ways back, on the CLI and
the site, and "review repair" / the site's button voice it again from the saved text; an episode folder
in the output folder that is not registered is reported by ``review list``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from broadcast.cli import main
from broadcast.config import Settings, load_settings
from broadcast.files import sha256
from broadcast.review.store import EpisodeRecord, Store
from broadcast.review.web import create_app
from broadcast.review.workflow import build_draft
from tests.audio_check import decode
from tests.schedule.waiting import wait_for

from .conftest import DAY, write_config


@pytest.fixture()
def config(tmp_path: Path, speech_cache: Path) -> Path:
    return write_config(tmp_path, cache=speech_cache)


@pytest.fixture()
def settings(config: Path) -> Settings:
    return load_settings(config, must_exist=True)


@pytest.fixture()
def episode(settings: Settings) -> EpisodeRecord:
    record = build_draft(settings, DAY)
    assert record is not None
    return record


def delete_news_segment(settings: Settings, episode: EpisodeRecord) -> Path:
    with Store.open(settings) as store:
        (news,) = [s for s in store.segments(episode.id) if s.id == "tin-1"]
    path = episode.folder / news.file
    path.unlink()
    return path


def test_a_deleted_segment_file_is_named_on_the_cli_and_review_repair_voices_it_again(
        config: Path, settings: Settings, episode: EpisodeRecord, capsys: pytest.CaptureFixture[str]) -> None:
    gone = delete_news_segment(settings, episode)
    approve = ["review", "approve", str(episode.id), "--revision", str(episode.revision), "--config", str(config)]
    assert main(approve) == 1
    line = capsys.readouterr().err.strip()
    assert "\n" not in line
    assert line.startswith(f"Lỗi: Thiếu tệp âm thanh {gone} của đoạn ")
    assert f"(tin-1), số phát mã {episode.id}: tệp đã bị xóa hoặc chuyển đi." in line
    assert f"broadcast review repair {episode.id}" in line and "broadcast build --date 27/11/2026" in line

    assert main(["review", "repair", str(episode.id), "--config", str(config)]) == 0
    assert "Đang lồng tiếng lại 1 đoạn thiếu tệp (tin-1)" in capsys.readouterr().err
    with Store.open(settings) as store:
        (news,) = [s for s in store.segments(episode.id) if s.id == "tin-1"]
        record = store.get(episode.id)
        assert news.voiced and news.file != gone.relative_to(episode.folder).as_posix()
        assert sha256(episode.folder / news.file) == news.sha256
        assert record.sha256 == sha256(record.program), "the programme was joined again"
        assert any(a.action == "repair" for a in store.audit(episode.id))
    assert len(decode(episode.folder / news.file)) > 2000   # milliseconds of real speech again
    assert abs(len(decode(record.program)) / 1000 - episode.duration_s) < 1.0
    assert main(["review", "repair", str(episode.id), "--config", str(config)]) == 0
    assert "không thiếu tệp âm thanh nào" in capsys.readouterr().err
    assert main(approve) == 0


def test_the_site_names_the_missing_file_and_its_button_voices_it_again(
        settings: Settings, episode: EpisodeRecord) -> None:
    gone = delete_news_segment(settings, episode)
    client = create_app(settings).test_client()
    page = client.get(f"/episodes/{episode.id}").get_data(as_text=True)
    assert f"Thiếu tệp âm thanh {gone} của đoạn" in page and "Lồng tiếng lại đoạn thiếu tệp" in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    approve = client.post(f"/episodes/{episode.id}/approve", data={
        "csrf_token": token.group(1), "revision": str(episode.revision), "da_nghe": "1"})
    assert approve.status_code == 400 and f"Thiếu tệp âm thanh {gone}" in approve.get_data(as_text=True)
    reply = client.post(f"/episodes/{episode.id}/repair", data={"csrf_token": token.group(1)})
    assert reply.status_code == 303 and "/jobs/" in reply.headers["Location"]
    status = reply.headers["Location"] + ".json"
    assert wait_for(lambda: client.get(status).get_json()["state"] != "running", 120)
    assert client.get(status).get_json()["state"] == "done"
    page = client.get(f"/episodes/{episode.id}").get_data(as_text=True)
    assert "Thiếu tệp âm thanh" not in page
    with Store.open(settings) as store:
        (news,) = [s for s in store.segments(episode.id) if s.id == "tin-1"]
    audio = client.get(f"/episodes/{episode.id}/{news.file}")
    assert audio.status_code == 200 and len(audio.data) > 5000


def test_review_list_reports_episode_folders_that_are_not_registered(
        config: Path, settings: Settings, episode: EpisodeRecord, capsys: pytest.CaptureFixture[str]) -> None:
    root = settings.output.folder
    stray = root / "2026-11-20-cai-cach-hanh-chinh"
    shutil.copytree(episode.folder, stray)   # e.g. a build killed between the rename and the registration
    (root / ".building-2026-12-04-cai-cach-hanh-chinh-x1").mkdir()   # a build running now: not an episode
    (root / "bao-cao").mkdir()                                       # reports: no manifest
    assert main(["review", "list", "--config", str(config)]) == 0
    out = capsys.readouterr()
    assert episode.folder.name in out.out
    (line,) = [ln for ln in out.err.splitlines() if ln.strip()]
    assert line.startswith(f"Cảnh báo: thư mục {stray} có một số phát chưa được đăng ký để duyệt")
    assert "broadcast build --date 27/11/2026" in line and "rồi xóa thư mục này" in line
