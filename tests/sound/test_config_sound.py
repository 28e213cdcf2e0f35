"""The [speech] and [audio] settings added for sound: presets, bounds, documentation."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadcast.config import PROJECT_DIR, all_setting_keys, load_settings
from broadcast.errors import ConfigError


def _load(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path, must_exist=True)


def test_preset_fills_format_and_explicit_keys_win(tmp_path: Path) -> None:
    loa = _load(tmp_path, '[audio]\npreset = "loa"\n').audio
    assert (loa.bitrate, loa.sample_rate, loa.channels) == ("64k", 44100, 1)
    mixed = _load(tmp_path, '[audio]\npreset = "loa"\nbitrate = "96k"\n').audio
    assert mixed.bitrate == "96k" and mixed.sample_rate == 44100


def test_loudness_target_out_of_range_names_file_line_and_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"config.toml, dòng 3: audio.loudness_target: phải nhỏ hơn"):
        _load(tmp_path, '[audio]\nbitrate = "64k"\nloudness_target = -5.0\n')


def test_bed_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"audio\.bed_file"):
        _load(tmp_path, '[audio]\nbed = "file"\nbed_file = "khong-co.mp3"\n')


def test_every_sound_setting_is_documented_in_config_toml() -> None:
    text = (PROJECT_DIR / "config.toml").read_text(encoding="utf-8")
    for key in all_setting_keys():
        section, name = key.split(".")
        if section in {"speech", "audio"}:
            assert f"\n{name} = " in text, key


def test_shipped_config_loads_with_the_edge_engine_first() -> None:
    settings = load_settings(PROJECT_DIR / "config.toml", must_exist=True)
    assert settings.speech.engines[0] == "edge"
