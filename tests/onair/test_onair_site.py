"""The site: "đã phát sóng" only for what the as-played log says played; the report as a download."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from broadcast.config import load_settings
from broadcast.onair.items import episode_item
from broadcast.onair.log import AsPlayedLog
from broadcast.onair.outputs.folder import FolderOutput
from broadcast.onair.playout import OnAir
from broadcast.review.store import Store
from broadcast.review.web import create_app
from broadcast.review.web.aired import recent_quarters
from tests.onair.conftest import register_episode, write_config


def test_site_says_aired_only_after_the_log_records_a_playout(tmp_path: Path, speech_mp3: Path) -> None:
    settings = load_settings(write_config(tmp_path, 'outputs = ["folder"]'), must_exist=True)
    episode = register_episode(settings, speech_mp3)
    client = create_app(settings).test_client()
    page = client.get(f"/episodes/{episode.id}").get_data(as_text=True)
    assert "đã đưa lên sóng" in page and 'id="aired"' not in page, "published is not yet aired"
    store = Store.open(settings)
    OnAir().air(episode_item(settings.review.onair, store, episode.id), [FolderOutput(tmp_path / "f")],
                AsPlayedLog(store))
    page = client.get(f"/episodes/{episode.id}").get_data(as_text=True)
    assert 'id="aired"' in page and "Đã phát sóng 1 lượt" in page
    log_page = client.get("/phat-song/").get_data(as_text=True)
    assert "thư mục phát" in log_page and "đã phát" in log_page
    quarter = recent_quarters(dt.datetime.now(store.tz).date())[0]
    docx = client.get(f"/phat-song/bao-cao?quy={quarter}&dang=docx")
    assert docx.status_code == 200 and docx.headers["Content-Disposition"].endswith(".docx")
    assert "1 lượt với 1 số phát" in "\n".join(p.text for p in Document(io.BytesIO(docx.data)).paragraphs)
    xlsx = client.get(f"/phat-song/bao-cao?quy={quarter}&dang=xlsx")
    summary = dict(load_workbook(io.BytesIO(xlsx.data))["Tổng hợp"].iter_rows(min_row=2, values_only=True))
    assert summary["Lượt phát chuyên mục"] == 1
    assert client.get("/phat-song/bao-cao?quy=5/2026&dang=docx").status_code == 400


def test_recent_quarters_cross_the_year() -> None:
    assert recent_quarters(dt.date(2027, 2, 1)) == ["1/2027", "4/2026", "3/2026", "2/2026"]
