"""TOML syntax errors in Vietnamese, with the file, the line and the likely cause."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadcast.config import load_settings
from broadcast.errors import ConfigError


def config_error(tmp_path: Path, text: str) -> str:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, must_exist=True)
    return str(caught.value)


def test_quote_inside_text_names_line_and_curly_quotes(tmp_path: Path) -> None:
    message = config_error(tmp_path, '[station]\ncommune = "xã Đức Hạnh"\nname = "Đài "Tiếng nói" xã"\n')
    assert message.startswith("config.toml, dòng 3: lỗi cú pháp TOML")
    assert "“ ”" in message and '\\"' in message
    assert "Expected" not in message


def test_windows_backslash_path_explained(tmp_path: Path) -> None:
    message = config_error(tmp_path, '[sources]\nstatistics = "C:\\Users\\xa\\thong-ke.csv"\n')
    assert "dòng 2" in message and "gạch chéo xuôi" in message and "nháy đơn" in message


def test_backslash_escapes_that_parse_are_caught(tmp_path: Path) -> None:
    # "\b" and "\t" are valid TOML escapes: the path silently becomes C:<backspace>roadcast<TAB>hong-ke.csv
    message = config_error(tmp_path, '[sources]\nstatistics = "C:\\broadcast\\thong-ke.csv"\n')
    assert "config.toml, dòng 2: sources.statistics" in message and "gạch chéo xuôi" in message


def test_windows_paths_in_single_quotes_or_forward_slashes_are_read(tmp_path: Path) -> None:
    from pathlib import PureWindowsPath

    (tmp_path / "thong-ke.csv").write_text("Kỳ báo cáo,Hồ sơ tiếp nhận,Giải quyết đúng hạn\n", encoding="utf-8")
    raw = str(tmp_path)
    for line in (f"statistics = '{raw}/thong-ke.csv'", f'statistics = "{raw}/thong-ke.csv"'):
        path = tmp_path / "config.toml"
        path.write_text(f"[sources]\n{line}\n", encoding="utf-8")
        assert load_settings(path, must_exist=True).sources.statistics == tmp_path / "thong-ke.csv"
    assert PureWindowsPath("D:/truyen-thanh/thong-ke.xlsx") == PureWindowsPath(r"D:\truyen-thanh\thong-ke.xlsx")


def test_unclosed_quote_points_at_its_line(tmp_path: Path) -> None:
    message = config_error(tmp_path, '[station]\ncommune = "xã A"\nname = "Đài xã A\n\n[column]\ntitle = "B"\n')
    assert "dòng 3" in message and "ngoặc kép" in message


def test_date_without_quotes_explained(tmp_path: Path) -> None:
    message = config_error(tmp_path, '[station]\nstart = 27/11/2026\n')
    assert "dòng 2" in message and "2026-11-27" in message
