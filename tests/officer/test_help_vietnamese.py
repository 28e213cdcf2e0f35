"""Every --help is Vietnamese, argparse's own words included."""

from __future__ import annotations

import argparse
import contextlib
import io

import pytest

from broadcast.cli import main, make_parser

ENGLISH = ("usage:", "positional arguments", "options:", "optional arguments", "show this help message",
           "error:", "the following arguments are required", "invalid choice")


def command_paths() -> list[list[str]]:
    """Every command and sub-command of the real parser."""
    paths: list[list[str]] = []

    def walk(parser: argparse.ArgumentParser, prefix: list[str]) -> None:
        paths.append(prefix)
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    walk(child, [*prefix, name])

    walk(make_parser(), [])
    return paths


def help_of(path: list[str]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as stop:
        main([*path, "--help"])
    assert stop.value.code == 0
    return out.getvalue()


def test_every_command_help_is_vietnamese() -> None:
    paths = command_paths()
    assert ["init"] in paths and ["demo"] in paths and ["schedule", "install"] in paths and ["email", "test"] in paths
    for path in paths:
        text = help_of(path)
        assert text.startswith("cách dùng: broadcast"), path
        assert "in hướng dẫn này rồi thoát" in text, path
        for word in ENGLISH:
            assert word not in text, (path, word)


def test_argparse_errors_are_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["khong-co-lenh"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert ("lỗi:" in err and "không có" in err) or "lựa chọn" in err
    assert "invalid choice" not in err and "error:" not in err
    with pytest.raises(SystemExit):
        main(["say"])
    err = capsys.readouterr().err
    assert "thiếu tham số bắt buộc" in err and "required" not in err


def test_build_date_accepts_day_month_year(capsys: pytest.CaptureFixture[str]) -> None:
    import datetime as dt

    from broadcast.cli.common import parse_date
    assert parse_date("27/11/2026") == dt.date(2026, 11, 27)
    assert parse_date("2026-11-27") == dt.date(2026, 11, 27)
    assert parse_date("7-1-2027") == dt.date(2027, 1, 7)
    with pytest.raises(SystemExit):
        main(["build", "--date", "31/02/2026"])
    err = capsys.readouterr().err
    assert "ngày không hợp lệ" in err and "27/11/2026" in err


def test_config_show_and_config_toml_comments_are_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.conftest import ROOT

    assert main(["config", "show", "--config", str(ROOT / "config.toml")]) == 0
    shown = [line for line in capsys.readouterr().out.splitlines() if line.startswith("#")]
    written = [line for line in (ROOT / "config.toml").read_text(encoding="utf-8").splitlines()
               if line.startswith("#")]
    assert len(shown) > 70 and len(written) > 70
    for line in shown + written:
        padded = f" {line.lower()} "
        assert not any(w in padded for w in (" the ", " of ", " for ", " when ", " with ")), line
