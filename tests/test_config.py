"""Settings: defaults, the TOML file, and errors that stop before anything is written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from broadcast.cli import main
from broadcast.config import all_setting_keys, load_settings, render_settings
from broadcast.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def test_shipped_config_loads_and_points_at_the_samples() -> None:
    settings = load_settings(ROOT / "config.toml", must_exist=True)
    assert settings.station.commune == "xã Đức Hạnh"
    assert settings.speech.engines == ["edge", "gtts", "espeak"]
    assert settings.sources.statistics is not None and settings.sources.statistics.is_file()


def test_every_setting_is_documented_in_config_toml() -> None:
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    for dotted in all_setting_keys():
        section, key = dotted.split(".", 1)
        block = re.search(rf"^\[{section}\]\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
        assert block, f"[{section}] missing from config.toml"
        body = block.group(1)
        match = re.search(rf"((?:^#.*\n)+)^{re.escape(key)}\s*=", body, re.M)
        assert match, f"{dotted} is not in config.toml with a comment above it"


@pytest.mark.parametrize(("toml", "expected"), [
    ('[speech]\nengine = ["espeak"]\n',
     r'config\.toml, dòng 2: speech\.engine: khóa không tồn tại\. Có phải ý bạn là "engines"'),
    ('[audio]\nbitrate = 128\n', r"dòng 2: audio\.bitrate: phải là một chuỗi"),
    ('[audio]\nchannels = "1"\n', r"dòng 2: audio\.channels: phải là một số nguyên.*bỏ dấu ngoặc kép"),
    ('[audio]\nchannels = 3\n', r"audio\.channels: giá trị 3 không hợp lệ"),
    ('[station]\ndialect = "central"\n',
     r'station\.dialect: giá trị .central. không hợp lệ\. Hãy chọn một trong: "north", "south"'),
    ('[stations]\ncommune = "x"\n', r"\[stations\]: mục không tồn tại\. Có phải ý bạn là \[station\]"),
    ('[sources]\nstatistics = "khong-co.csv"\n', r"sources\.statistics: không tìm thấy tệp thống kê .*khong-co\.csv"),
    ('[speech]\nengines = ["gtts", "piper"]\n', r'speech\.engines: không có giọng đọc "piper"'),
    ('[audio\n', r"lỗi cú pháp TOML"),
])
def test_bad_settings_stop_with_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    toml: str, expected: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(toml, encoding="utf-8")
    out = tmp_path / "out"
    code = main(["build", "--config", str(config), "--date", "2026-11-27"])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1, err
    assert re.search(expected, err), err
    assert not out.exists() and not (ROOT / "audio_out" / "2026-11-27-cai-cach-hanh-chinh-from-bad-config").exists()


def test_missing_config_file_named_on_command_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="Không tìm thấy tệp cấu hình"):
        load_settings(tmp_path / "nope.toml", must_exist=True)


def test_relative_paths_are_read_from_the_config_folder(tmp_path: Path) -> None:
    (tmp_path / "lich.csv").write_text("Kỳ báo cáo,Hồ sơ tiếp nhận,Giải quyết đúng hạn,Giải quyết quá hạn,"
                                       "Nộp trực tuyến\n11/2026,10,9,1,5\n", encoding="utf-8")
    (tmp_path / "config.toml").write_text('[sources]\nstatistics = "lich.csv"\n', encoding="utf-8")
    settings = load_settings(tmp_path / "config.toml", must_exist=True)
    assert settings.sources.statistics == (tmp_path / "lich.csv").resolve()


def test_config_show_prints_effective_settings_with_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "show", "--config", str(ROOT / "config.toml")]) == 0
    out = capsys.readouterr().out
    assert 'commune = "xã Đức Hạnh"' in out
    assert "# Các giọng đọc theo thứ tự thử" in out
    assert render_settings(load_settings(ROOT / "config.toml")) == out


def test_config_option_works_before_or_after_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[station]\ncommune = "xã Thử Nghiệm"\n', encoding="utf-8")
    for argv in (["--config", str(config), "config", "show"], ["config", "show", "--config", str(config)],
                 ["config", "--config", str(config), "show"]):
        assert main(argv) == 0
        assert 'commune = "xã Thử Nghiệm"' in capsys.readouterr().out, argv


def test_malformed_commune_lexicon_stops_at_start_up_naming_the_line(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "tu-dien.toml").write_text('[abbreviations]\n"ĐH" = "Đức Hạnh"\n"TDP" = 5\n', encoding="utf-8")
    (tmp_path / "config.toml").write_text('[speech]\nlexicon = "tu-dien.toml"\n', encoding="utf-8")
    code = main(["normalize", "ĐH", "--config", str(tmp_path / "config.toml")])
    err = capsys.readouterr().err
    assert code == 2 and "tu-dien.toml" in err and "dòng 3" in err, err
    (tmp_path / "tu-dien.toml").write_text('[abbreviations]\n"ĐH" = "Đức Hạnh"\n', encoding="utf-8")
    assert main(["normalize", "Xã ĐH", "--config", str(tmp_path / "config.toml")]) == 0
    assert capsys.readouterr().out.strip() == "Xã Đức Hạnh"


def test_day_prefix_setting_reaches_the_normaliser(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[station]\nday_prefix = "mùng"\n', encoding="utf-8")
    assert load_settings(config, must_exist=True).station.day_prefix == "mùng"
    assert main(["normalize", "--config", str(config), "Họp ngày 5/12."]) == 0
    assert capsys.readouterr().out.strip() == "Họp ngày mùng năm tháng mười hai."
    config.write_text('[station]\nday_prefix = "mồng"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="day_prefix"):
        load_settings(config, must_exist=True)
