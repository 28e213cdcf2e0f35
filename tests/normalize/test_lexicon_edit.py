"""`broadcast lexicon add` / `check`: one-step pronunciation fixes, any written form, shadowed entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadcast.cli import main
from broadcast.errors import ConfigError
from broadcast.normalize import load_lexicon, normalize
from broadcast.normalize.edit import add_entry, shadowed_entries

COMMENTED = '''# Từ điển của xã Đức Hạnh
[abbreviations]   # viết tắt riêng của xã
"ĐH" = "Đức Hạnh"   # tên xã
'''


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "lexicon.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_commune_lexicon_accepts_any_written_form_longest_first(tmp_path: Path) -> None:
    path = _write(tmp_path, '[abbreviations]\n"ấp 3/2" = "ấp Ba tháng Hai"\n"HTX NN" = "hợp tác xã nông nghiệp"\n'
                            '"HTX NN Tân Phú" = "hợp tác xã nông nghiệp Tân Phú"\n"trực 24/24h" = "trực cả ngày đêm"\n')
    lex = load_lexicon(path)
    assert normalize("Người dân ấp 3/2 gửi hồ sơ.", lexicon=lex) == "Người dân ấp Ba tháng Hai gửi hồ sơ."
    assert normalize("Xã viên HTX NN Tân Phú họp.", lexicon=lex) == "Xã viên hợp tác xã nông nghiệp Tân Phú họp."
    assert normalize("Xã viên HTX NN họp.", lexicon=lex) == "Xã viên hợp tác xã nông nghiệp họp."
    assert normalize("Trạm y tế trực 24/24h.", lexicon=lex) == "Trạm y tế trực cả ngày đêm."


def test_builtin_slash_abbreviations() -> None:
    assert normalize("Đ/c Trần Văn B và các đ/c trưởng thôn.") == "Đồng chí Trần Văn B và các đồng chí trưởng thôn."
    assert normalize("V/v tiếp công dân. K/g: các thôn.") == "Về việc tiếp công dân. Kính gửi: các thôn."


def test_zero_width_and_bidi_characters_do_not_split_words() -> None:
    assert normalize("Nộp hồ sơ TT\u200bHC tại xã.") == "Nộp hồ sơ thủ tục hành chính tại xã."
    assert normalize("UB\u200dND\u202e xã\ufeff") == "Ủy ban nhân dân xã"


def test_lexicon_add_keeps_comments_and_shows_the_new_reading(tmp_path: Path) -> None:
    path = _write(tmp_path, COMMENTED)
    added = add_entry(path, "đường 19/8", "đường Mười chín tháng Tám", sample="Nhà văn hóa ở đường 19/8.")
    text = path.read_text(encoding="utf-8")
    assert "# Từ điển của xã Đức Hạnh" in text and "# tên xã" in text and "# viết tắt riêng của xã" in text
    assert added.reading == "Nhà văn hóa ở đường Mười chín tháng Tám."
    assert added.replaced is None and added.line == 4
    assert normalize("đường 19/8", lexicon=load_lexicon(path)) == "đường Mười chín tháng Tám"


def test_lexicon_add_replaces_a_reading_and_creates_a_missing_file(tmp_path: Path) -> None:
    path = _write(tmp_path, COMMENTED)
    added = add_entry(path, "ĐH", "Đức Hạnh xã nhà")
    assert added.replaced == "Đức Hạnh" and "# tên xã" not in path.read_text(encoding="utf-8").split("ĐH")[0]
    fresh = tmp_path / "new" / "lexicon.toml"
    fresh.parent.mkdir()
    add_entry(fresh, "Zalo", "da lô", section="words")
    assert normalize("ZALO", lexicon=load_lexicon(fresh)) == "Da lô"
    assert fresh.read_text(encoding="utf-8").startswith("# Từ điển phát âm của xã")


def test_lexicon_add_refuses_digits_and_empty_text(tmp_path: Path) -> None:
    path = _write(tmp_path, COMMENTED)
    with pytest.raises(ConfigError, match=r"chữ số.*Hãy"):
        add_entry(path, "đường 30/4", "đường 30 tháng 4")
    with pytest.raises(ConfigError, match="trống"):
        add_entry(path, "  ", "x")
    assert path.read_text(encoding="utf-8") == COMMENTED  # nothing written


def test_cli_lexicon_add_writes_the_file_and_prints_the_sample(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, COMMENTED)
    code = main(["lexicon", "add", "KDC", "khu dân cư", "--file", str(path), "--sample", "KDC số 3 mất điện."])
    out, errors = capsys.readouterr()
    assert code == 0
    assert "Đọc là:  Khu dân cư số ba mất điện." in out
    assert "dòng 4" in errors and "KDC" in path.read_text(encoding="utf-8")
    code = main(["lexicon", "add", "X", "số 5", "--file", str(path)])
    assert code == 2 and "chữ số" in capsys.readouterr().err


def test_shadowed_entry_is_reported_with_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, '[abbreviations]\n"KDC" = "khu dân cư"\n"“Một cửa”" = "một cửa liên thông"\n')
    found = shadowed_entries(path)
    assert [(s.line, s.written) for s in found] == [(3, "“Một cửa”")]
    assert "dòng 3" in found[0].message() and "Hãy" in found[0].message()
    assert main(["lexicon", "check", "--file", str(path)]) == 3
    assert "dòng 3" in capsys.readouterr().err
