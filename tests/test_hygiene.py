"""Text hygiene: control, bidi and zero-width characters never enter storage or reach the terminal."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from broadcast.review.workflow import clean_name
from broadcast.sources.faq import read_faq
from broadcast.sources.inbox import parse_csv
from broadcast.sources.text import clean_text, hygiene

NASTY = "\u202eđáp\u202c Hộ\u200btịch\x1b[31m đỏ\x07\u2066x\u2069\ufeff"
BAD = set("\u202e\u202c\u200b\x1b\x07\u2066\u2069\ufeff")


def test_hygiene_removes_invisible_and_neutralises_controls() -> None:
    assert hygiene(NASTY) == "đáp Hộtịch [31m đỏ x"
    assert hygiene("dòng một\r\ndòng hai\x1b", keep_newlines=True) == "dòng một\ndòng hai "


@given(st.text())
def test_no_control_or_format_character_survives(text: str) -> None:
    cleaned = hygiene(text, keep_newlines=True)
    assert not any(unicodedata.category(c) == "Cf" for c in cleaned)
    assert not any(unicodedata.category(c) == "Cc" and c != "\n" for c in cleaned)


def test_every_entry_point_cleans(tmp_path: Path) -> None:
    assert not BAD & set(clean_text(f"<p>{NASTY}</p>"))                      # feeds
    assert not BAD & set(clean_name(NASTY))                                   # names and reasons (site, CLI)
    (question,) = parse_csv(f"Câu hỏi\n{NASTY}\n".encode(), name="q.csv")     # inbox
    assert not BAD & set(question.question)
    bank = tmp_path / "faq.toml"
    bank.write_text(f'[[entry]]\nid = "a"\ntopic = "Hộ tịch"\nquestion = "{NASTY}"\nanswer = "Đáp."\n'
                    .replace("\x1b", "\\u001b").replace("\x07", "\\u0007"), encoding="utf-8")
    (entry,) = read_faq(bank)                                                 # FAQ bank
    assert not BAD & set(entry.question)
