"""``broadcast init``: a ready commune folder from options or Vietnamese prompts; never overwrites."""

from __future__ import annotations

import tomllib
from pathlib import Path

from openpyxl import load_workbook

from broadcast.config import load_settings
from broadcast.sources.faq import load_faq
from broadcast.sources.stats import read_stats
from tests.officer.conftest import run_cli

OPTIONS = ["--xa", "xã Hòa Bình", "--vung", "nam", "--gio-phat", "6:00, 17h30", "--thu-phat", "3,5,7",
           "--thoi-luong", "2"]


def test_init_with_options_writes_a_folder_that_builds(tmp_path: Path) -> None:
    result = run_cli("init", "xa-hoa-binh", *OPTIONS, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "xa-hoa-binh"
    assert "Ba bước tiếp theo" in result.stdout and "broadcast build" in result.stdout
    settings = load_settings(folder / "config.toml", must_exist=True)
    assert settings.station.commune == "xã Hòa Bình" and settings.station.name == "Đài truyền thanh xã Hòa Bình"
    assert settings.station.dialect == "south" and settings.column.target_minutes == 2.0
    assert settings.schedule.publish == ["0 6 * * 2,4,6", "30 17 * * 2,4,6"]
    assert settings.schedule.build == ["0 14 * * 0"]      # two days before thứ Ba
    text = (folder / "config.toml").read_text(encoding="utf-8")
    assert "# Tên xã như đọc trên sóng" in text and "feeds = []" in text
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert len(comments) > 20 and not any(" the " in line or " of " in line for line in comments)
    sheet = load_workbook(folder / "thong-ke.xlsx").active
    assert [c.value for c in sheet[1]][:4] == ["Kỳ báo cáo", "Hồ sơ tiếp nhận", "Giải quyết đúng hạn",
                                             "Giải quyết quá hạn"]
    [example] = read_stats(folder / "thong-ke.xlsx")
    assert example.late == 3 and example.apologies == 3      # the apology column is read
    bank = load_faq(folder / "faq")
    assert not bank.problems and len(bank.entries) == 2
    starter = tomllib.loads((folder / "faq" / "mau.toml").read_text(encoding="utf-8"))["entry"][0]
    fields = {"id", "topic", "question", "answer", "tags", "priority", "valid_from", "valid_until", "source"}
    assert fields <= set(starter)

    built = run_cli("build", cwd=folder)
    assert built.returncode in (0, 3), built.stderr       # 3 only if the slot check is unhappy
    assert built.stderr.splitlines()[0] == f"Xã Hòa Bình — cấu hình: {(folder / 'config.toml').resolve()}"
    assert (Path(built.stdout.strip()) / "program.mp3").is_file()


def test_init_never_overwrites_and_says_what_it_kept(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[station]\ncommune = "xã Của Tôi"\n', encoding="utf-8")
    result = run_cli("init", *OPTIONS, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"Giữ nguyên {Path('.') / 'config.toml'}" in result.stdout
    assert (tmp_path / "config.toml").read_text(encoding="utf-8") == '[station]\ncommune = "xã Của Tôi"\n'
    assert (tmp_path / "thong-ke.xlsx").is_file() and (tmp_path / "faq" / "mau.toml").is_file()
    before = (tmp_path / "faq" / "mau.toml").read_bytes()
    again = run_cli("init", *OPTIONS, cwd=tmp_path)
    assert again.stdout.count("Giữ nguyên") == 3 and "Đã tạo" not in again.stdout
    assert (tmp_path / "faq" / "mau.toml").read_bytes() == before


def test_init_asks_in_vietnamese_and_reasks_a_bad_answer(tmp_path: Path) -> None:
    replies = "xã Tân Lập\n\nbắc\n25:00\n05:30\n2,4,6\nmười\n12\n"
    result = run_cli("init", "moi", cwd=tmp_path, input=replies)
    assert result.returncode == 0, result.stderr
    assert "Tên xã (như đọc trên sóng)" in result.stdout and "Giờ phát trong ngày" in result.stdout
    assert "Giờ phát '25:00' không hợp lệ" in result.stderr and "Thời lượng 'mười' không hợp lệ" in result.stderr
    settings = load_settings(tmp_path / "moi" / "config.toml", must_exist=True)
    assert settings.station.commune == "xã Tân Lập" and settings.station.name == "Đài truyền thanh xã Tân Lập"
    assert settings.schedule.publish == ["30 5 * * 1,3,5"] and settings.column.target_minutes == 12.0
