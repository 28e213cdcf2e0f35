"""A setting changed from the site keeps the config file's comments and its access rights."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from broadcast.config.edit import set_value


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
@pytest.mark.parametrize("mode", [0o600, 0o640, 0o644])
def test_set_value_keeps_the_files_mode_and_comments(make_config: Callable[..., Path], mode: int) -> None:
    config = make_config()
    config.write_text("# tệp của xã, có chú thích\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    os.chmod(config, mode)
    settings = set_value(config, "speech", "voice", "Nam Minh (nam, miền Bắc)")
    assert settings.speech.voice == "Nam Minh (nam, miền Bắc)"
    assert os.stat(config).st_mode & 0o777 == mode
    assert config.read_text(encoding="utf-8").startswith("# tệp của xã, có chú thích\n")
