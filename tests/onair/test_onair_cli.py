"""The commands: `broadcast air`, `notice`, `aired` (CSV/XLSX) and `report --quy` (DOCX/XLSX)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from broadcast.cli import main
from broadcast.config import load_settings
from broadcast.onair.log import AsPlayedLog
from broadcast.review.store import Store
from tests.onair.conftest import register_episode, write_config


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write_config(tmp_path, 'outputs = ["folder"]')


def test_air_now_plays_a_published_episode_and_aired_exports_csv_and_xlsx(
        config: Path, speech_mp3: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = load_settings(config, must_exist=True)
    episode = register_episode(settings, speech_mp3)
    assert main(["air", str(episode.id), "--now", "--config", str(config)]) == 0
    assert "thư mục phát: đã phát" in capsys.readouterr().err
    assert main(["aired", "--config", str(config), "--from", "2020-01-01",
                 "--csv", str(tmp_path / "nk.csv"), "--xlsx", str(tmp_path / "nk.xlsx")]) == 0
    with (tmp_path / "nk.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["Ngày", "Bắt đầu", "Kết thúc"]
    assert len(rows) == 2 and rows[1][4] == "thư mục phát" and rows[1][11] == "đã phát"
    assert rows[1][12] == Store.open(settings).approval(episode.id).sha256  # type: ignore[union-attr]
    sheet = load_workbook(tmp_path / "nk.xlsx").active
    assert sheet.cell(3, 6).value == rows[1][5]
    assert main(["aired", "--config", str(config)]) == 0
    assert "đã phát" in capsys.readouterr().out


def test_air_refuses_an_approved_but_unpublished_episode(config: Path, speech_mp3: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    settings = load_settings(config, must_exist=True)
    episode = register_episode(settings, speech_mp3, published=False)
    assert main(["air", str(episode.id), "--now", "--config", str(config)]) == 1
    assert f"broadcast publish {episode.id}" in capsys.readouterr().err
    assert AsPlayedLog(Store.open(settings)).rows() == []


def test_notice_add_rejects_an_unknown_priority_in_one_line(config: Path, speech_mp3: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["notice", "add", str(speech_mp3), "--title", "T", "--muc", "rất gấp", "--by", "A",
                 "--config", str(config)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "thường, ưu tiên hoặc khẩn cấp" in err


def test_quarterly_report_opens_and_its_counts_match_the_log(config: Path, speech_mp3: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    import datetime as dt

    settings = load_settings(config, must_exist=True)
    episode = register_episode(settings, speech_mp3)
    shutil.copyfile(speech_mp3, tmp_path / "khan.mp3")
    assert main(["notice", "add", str(tmp_path / "khan.mp3"), "--title", "Bão số 15", "--muc", "khẩn cấp",
                 "--by", "Trần Thị B", "--config", str(config)]) == 0
    notice_id = int(capsys.readouterr().out.strip())
    for _ in range(2):
        assert main(["air", str(episode.id), "--now", "--config", str(config)]) == 0
    assert main(["air", "--notice", str(notice_id), "--now", "--config", str(config)]) == 0
    # the report is for the quarter the airings happened in (today, station time)
    today = dt.datetime.now(Store.open(settings).tz).date()
    quarter = (today.month - 1) // 3 + 1
    assert main(["report", "--quy", f"{quarter}/{today.year}", "--config", str(config),
                 "-o", str(tmp_path / "bc")]) == 0
    docx_path, xlsx_path = capsys.readouterr().out.split()
    rows = AsPlayedLog(Store.open(settings)).rows()
    column_airings = [r for r in rows if r.kind == "episode" and r.result == "played"]
    assert len(column_airings) == 2
    minutes = sum(r.duration_s for r in column_airings) / 60
    book = load_workbook(xlsx_path)
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(min_row=2, values_only=True)}
    assert summary["Lượt phát chuyên mục"] == 2
    assert summary["Số phát"] == 1
    assert summary["Tổng thời lượng (phút)"] == pytest.approx(minutes, abs=0.05)
    assert summary["Tin đã phát"] == 1 and summary["Chủ đề hỏi – đáp"] == 1
    assert summary["Thông báo khẩn cấp"] == 1
    assert [c.value for c in book["Tin"][2]][2] == "https://vnexpress.net/tin-1"
    doc = Document(docx_path)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"quý {quarter}/{today.year}" in text and settings.station.name in text
    assert "đã phát chuyên mục \"Cải cách hành chính\" 2 lượt với 1 số phát" in text
    assert "1.245 hồ sơ" in text, "the one-stop figures are quoted as aired"
    assert "Chứng thực" in text and "Bão số 15" in text
    assert len(doc.tables[0].rows) == 3   # header + two airings
    assert doc.tables[0].rows[1].cells[0].text == f"{today:%d/%m/%Y}"
    body = [p for p in doc.paragraphs if p.style.name == "Normal" and p.text]
    assert all(p.alignment == 3 for p in body), "justified paragraphs"  # WD_ALIGN_PARAGRAPH.JUSTIFY


def test_report_quarter_must_be_quarter_slash_year(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["report", "--quy", "5/2026", "--config", str(config)])
    assert "QUÝ/NĂM" in capsys.readouterr().err


def test_notice_at_a_time_is_listed_with_its_time_refuses_a_past_time_and_can_be_cancelled(
        config: Path, speech_mp3: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import datetime as dt

    import time_machine

    shutil.copyfile(speech_mp3, tmp_path / "hen.mp3")
    add = ["notice", "add", str(tmp_path / "hen.mp3"), "--title", "Tiêm phòng dại", "--by", "Trần Thị B",
           "--config", str(config)]
    with time_machine.travel(dt.datetime(2026, 12, 5, 6, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=False):
        assert main([*add, "--luc", "04/12/2026 07:30"]) == 1
        err = capsys.readouterr().err.strip()
        assert "\n" not in err and "Giờ phát 07:30 thứ Sáu 04/12/2026 đã qua" in err
        assert main([*add, "--luc", "05/12/2026 07:30"]) == 0
        out = capsys.readouterr()
        notice_id = int(out.out.strip())
        assert "bộ lập lịch sẽ phát lúc 07:30 thứ Bảy 05/12/2026" in out.err
        assert main(["notice", "list", "--config", str(config)]) == 0
        assert "Tiêm phòng dại — sẽ phát lúc 07:30 thứ Bảy 05/12/2026" in capsys.readouterr().out
        assert main(["notice", "cancel", str(notice_id), "--by", "Ông Hùng", "--config", str(config)]) == 0
        capsys.readouterr()
        assert main(["notice", "cancel", str(notice_id), "--by", "Ông Hùng", "--config", str(config)]) == 1
        assert "đã được hủy từ trước" in capsys.readouterr().err
        assert main(["air", "--notice", str(notice_id), "--now", "--config", str(config)]) == 1
        assert "đã bị hủy nên không phát" in capsys.readouterr().err
        assert main(["notice", "list", "--config", str(config)]) == 0
        assert "đã hủy, không phát (bởi Ông Hùng, lúc 06:00 thứ Bảy 05/12/2026)" in capsys.readouterr().out
    assert AsPlayedLog(Store.open(load_settings(config, must_exist=True))).rows() == []
