"""Lexicon loading, overriding and the Vietnamese error messages that name the line."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from broadcast.errors import ConfigError
from broadcast.normalize import builtin_lexicon, load_lexicon, normalize


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "lexicon.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_builtin_is_cached_and_large() -> None:
    lex = builtin_lexicon()
    assert lex is builtin_lexicon()
    assert len(lex.abbreviations) >= 80
    for key in ("UBND", "HĐND", "TTHC", "CCHC", "TN&TKQ", "BHYT", "BHXH", "CCCD", "GCNQSDĐ", "TP.HCM",
                "MTTQ", "UBMTTQVN", "NĐ-CP", "QĐ-TTg", "VPCP", "CNTT", "CBCC", "ĐKKS", "ĐKTT", "DVC",
                "DVCTT", "NTM", "ANTT", "BTP", "BCA", "BNV", "SNV", "STP", "STNMT", "PAR INDEX"):
        assert key in lex.abbreviations, key


def test_spoken_forms_hold_no_digits_and_no_keys() -> None:
    """Idempotence depends on it: a reading must not be read again."""
    lex = builtin_lexicon()
    for table in (lex.abbreviations, lex.words, lex.doctypes, lex.issuers, lex.prefixes):
        for key, spoken in table.items():
            assert not any(c.isdigit() for c in spoken), key
            assert normalize(spoken) == spoken, key


def test_example_lexicon_loads() -> None:
    example = resources.files("broadcast.normalize").joinpath("example_lexicon.toml")
    lex = load_lexicon(Path(str(example)))
    assert normalize("NVH thôn 3", lexicon=lex) == "Nhà văn hóa thôn ba"


def test_commune_lexicon_adds_and_overrides(tmp_path: Path) -> None:
    path = _write(tmp_path, '[abbreviations]\n"ĐH" = "Đức Hạnh"\n"UBND" = "ủy ban"\n[words]\n"Zalo" = "za lô"\n')
    lex = load_lexicon(path)
    assert normalize("UBND xã ĐH dùng Zalo", lexicon=lex) == "Ủy ban xã Đức Hạnh dùng za lô"
    assert normalize("UBND") == "Ủy ban nhân dân"  # the built-in lexicon is untouched


def test_base_lexicon_is_respected(tmp_path: Path) -> None:
    base = load_lexicon(_write(tmp_path, '[abbreviations]\n"ĐH" = "Đức Hạnh"\n'))
    other = tmp_path / "other.toml"
    other.write_text('[abbreviations]\n"TX" = "thị xã"\n', encoding="utf-8")
    lex = load_lexicon(other, base=base)
    assert normalize("ĐH TX", lexicon=lex) == "Đức Hạnh thị xã"


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, '[abbreviations]\n"UBND" = "ủy ban nhân dân"\n\n\n\n\n"ĐH" = Đức Hạnh\n')
    with pytest.raises(ConfigError) as err:
        load_lexicon(path)
    message = str(err.value)
    assert "lexicon.toml" in message and "dòng 7" in message and "Hãy" in message


def test_wrong_type_names_the_key_line(tmp_path: Path) -> None:
    path = _write(tmp_path, '[abbreviations]\n"UBND" = "ủy ban nhân dân"\n"ĐH" = 5\n')
    with pytest.raises(ConfigError, match=r"lexicon\.toml, dòng 3: .*ĐH.*Hãy"):
        load_lexicon(path)


def test_empty_key_and_value(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"dòng 2: .*rỗng"):
        load_lexicon(_write(tmp_path, '[words]\n"" = "x"\n'))
    with pytest.raises(ConfigError, match=r"dòng 3: .*để trống"):
        load_lexicon(_write(tmp_path, '[words]\n"a" = "b"\n"Zalo" = "  "\n'))


def test_unknown_section_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"dòng 2: mục \[viet_tat\]"):
        load_lexicon(_write(tmp_path, '# comment\n[viet_tat]\n"A" = "b"\n'))
    with pytest.raises(ConfigError, match="Không tìm thấy"):
        load_lexicon(tmp_path / "missing.toml")


def test_duplicate_and_nested_keys(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"dòng 3: .*khai báo.*Hãy"):
        load_lexicon(_write(tmp_path, '[abbreviations]\n"A" = "a"\n"A" = "b"\n'))
    with pytest.raises(ConfigError, match=r"dòng 3: .*UBND"):
        load_lexicon(_write(tmp_path, '[abbreviations]\n"A" = "a"\n[abbreviations.UBND]\nx = "y"\n'))


def test_contextual_needs_default(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"dòng 1: .*default"):
        load_lexicon(_write(tmp_path, '[contextual.HN]\n"hội nghị" = ["tổ chức"]\n'))


def test_commune_issuer_table_overrides_the_builtin_one(tmp_path: Path) -> None:
    path = _write(tmp_path, '[issuers]\n"UBND" = "Ủy ban nhân dân phường"\n"CAX" = "Công an xã"\n')
    lex = load_lexicon(path)
    assert normalize("Thông báo 12/TB-UBND.", lexicon=lex) == "Thông báo số mười hai của Ủy ban nhân dân phường."
    assert normalize("Kế hoạch 3/KH-CAX.", lexicon=lex) == "Kế hoạch số ba của Công an xã."
