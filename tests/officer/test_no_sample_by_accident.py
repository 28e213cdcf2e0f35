"""Outside a configured folder, build/review/serve refuse and say how to start; the demo is its own command."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.officer.conftest import run_cli


@pytest.mark.parametrize("command", [["build"], ["review", "list"], ["serve"], ["publish", "1"],
                                     ["schedule", "--list"]])
def test_commands_refuse_without_config(tmp_path: Path, command: list[str]) -> None:
    result = run_cli(*command, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "broadcast init" in result.stderr and "--config" in result.stderr
    assert list(tmp_path.iterdir()) == []      # no state/ and no audio_out/ created


def test_demo_builds_the_sample_and_prints_its_mp3(tmp_path: Path) -> None:
    result = run_cli("demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    mp3 = Path(result.stdout.strip())
    assert mp3.name == "program.mp3" and mp3.is_file() and mp3.is_relative_to(tmp_path)
    assert mp3.stat().st_size > 100_000
    first = result.stderr.splitlines()[0]
    assert "Xã Đức Hạnh" in first and "cấu hình mẫu" in first
    assert not (tmp_path / "state").exists()    # the demo never touches a review database
