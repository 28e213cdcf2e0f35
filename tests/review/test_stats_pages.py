"""The month's statistics on the site: every bad row shown before anything is saved; the preview speaks."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient

from broadcast.config import Settings, load_settings
from broadcast.review.web import create_app
from broadcast.sources.stats import read_stats

from .conftest import DATA, write_config


def site(tmp_path: Path, stats: Path) -> tuple[Settings, FlaskClient]:
    config = write_config(tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace('statistics = ""',
                                                                 f'statistics = "{stats.as_posix()}"'),
                      encoding="utf-8")
    settings = load_settings(config, must_exist=True)
    app: Flask = create_app(settings)
    return settings, app.test_client()


@pytest.fixture()
def csv_site(tmp_path: Path) -> tuple[Settings, FlaskClient, Path]:
    stats = tmp_path / "thong-ke.csv"
    stats.write_bytes((DATA / "stats.csv").read_bytes())
    settings, client = site(tmp_path, stats)
    return settings, client, stats


def token(client: FlaskClient) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/thong-ke/").get_data(as_text=True))
    assert match
    return match.group(1)


def test_upload_with_bad_rows_lists_each_and_saves_nothing(csv_site: tuple[Settings, FlaskClient, Path]) -> None:
    _, client, stats = csv_site
    before = stats.read_bytes()
    bad = ("Kỳ báo cáo,Hồ sơ tiếp nhận,Giải quyết đúng hạn,Giải quyết quá hạn,Nộp trực tuyến,Hài lòng (%)\n"
           "10/2026,1.112,1.080,2,612,\"96,4\"\n"
           "11/2026,một nghìn,1.100,3,700,\"97,0\"\n"
           "12/2026,1.200,1.300,3,700,\"97,0\"\n").encode()
    reply = client.post("/thong-ke/tai-len", data={"csrf_token": token(client), "tep": (io.BytesIO(bad), "t12.csv")},
                        content_type="multipart/form-data")
    page = reply.get_data(as_text=True)
    assert reply.status_code == 400
    assert "dòng 3, cột &#34;Hồ sơ tiếp nhận&#34; (B)" in page
    assert "dòng 4" in page and "lớn hơn số hồ sơ tiếp nhận" in page
    assert "Lưu số liệu" not in page
    assert stats.read_bytes() == before


def test_typed_month_is_previewed_as_spoken_then_saved(csv_site: tuple[Settings, FlaskClient, Path]) -> None:
    settings, client, stats = csv_site
    before = stats.read_bytes()
    reply = client.post("/thong-ke/nhap", data={"csrf_token": token(client), "period": "11/2026", "received": "1.245",
                                                "on_time": "1.200", "late": "5", "online": "800",
                                                "satisfaction": "97,5"})
    page = reply.get_data(as_text=True)
    assert reply.status_code == 200, page
    assert "tháng mười một năm hai nghìn không trăm hai mươi sáu" in page
    assert "một nghìn hai trăm bốn mươi lăm hồ sơ" in page
    assert "so với tháng trước" in page  # compared with October, already in the file
    assert stats.read_bytes() == before  # nothing saved until confirmed
    saved_token = re.search(r'name="token" value="([^"]+)"', page)
    assert saved_token
    done = client.post("/thong-ke/luu", data={"csrf_token": token(client), "token": saved_token.group(1)})
    assert done.status_code == 303
    periods = {(p.year, p.month): p for p in read_stats(stats)}
    assert periods[(2026, 11)].received == 1245 and periods[(2026, 11)].satisfaction == 97.5
    assert (2026, 10) in periods
    kept = list((settings.review.database.parent / "thong-ke-cu").iterdir())
    assert len(kept) == 1 and kept[0].read_bytes() == before
    assert "Tháng 11/2026" in client.get("/thong-ke/").get_data(as_text=True)


def test_typed_month_replaces_that_month_in_an_xlsx(tmp_path: Path) -> None:
    stats = tmp_path / "thong-ke.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Báo cáo một cửa xã"])
    book.active.append(["Kỳ báo cáo", "Hồ sơ tiếp nhận", "Giải quyết đúng hạn", "Giải quyết quá hạn", "Nộp trực tuyến"])
    book.active.append(["10/2026", 1000, 990, 1, 500])
    book.active.append(["11/2026", 1, 1, 0, 1])
    book.save(stats)
    _, client = site(tmp_path, stats)
    page = client.post("/thong-ke/nhap", data={"csrf_token": token(client), "period": "11/2026", "received": "1200",
                                               "on_time": "1190", "late": "2", "online": "700",
                                               "satisfaction": ""}).get_data(as_text=True)
    saved = re.search(r'name="token" value="([^"]+)"', page)
    assert saved, page
    assert client.post("/thong-ke/luu", data={"csrf_token": token(client), "token": saved.group(1)}).status_code == 303
    periods = read_stats(stats)
    assert [(p.month, p.received) for p in periods] == [(10, 1000), (11, 1200)]
    assert openpyxl.load_workbook(stats).active["A1"].value == "Báo cáo một cửa xã"


def test_typed_bad_figure_is_named_and_not_saved(csv_site: tuple[Settings, FlaskClient, Path]) -> None:
    _, client, stats = csv_site
    before = stats.read_bytes()
    page = client.post("/thong-ke/nhap", data={"csrf_token": token(client), "period": "11/2026", "received": "nhiều",
                                               "on_time": "1", "late": "0", "online": "1"}).get_data(as_text=True)
    assert "cột &#34;Hồ sơ tiếp nhận&#34;" in page and "nhiều" in page
    assert stats.read_bytes() == before


def test_upload_of_the_wrong_kind_is_refused(csv_site: tuple[Settings, FlaskClient, Path]) -> None:
    _, client, _ = csv_site
    page = client.post("/thong-ke/tai-len", data={"csrf_token": token(client), "tep": (io.BytesIO(b"x"), "a.xlsx")},
                       content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "tệp thống kê của xã là thong-ke.csv" in page
