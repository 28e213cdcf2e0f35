"""The notice corpus (tests/normalize/notices.tsv): commune notices read as an announcer reads them.

The expected forms were written before the normaliser was first run on these lines. Every line
passes except those in notices_known_failures.toml; that list only shrinks.
"""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path

from broadcast.normalize import normalize

HERE = Path(__file__).parent
NOTICES = HERE / "notices.tsv"
KNOWN_FAILURES = HERE / "notices_known_failures.toml"


def _rows() -> list[dict[str, str]]:
    with NOTICES.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def _known_failures() -> dict[str, str]:
    with KNOWN_FAILURES.open("rb") as f:
        failures: dict[str, str] = tomllib.load(f)["failures"]
    return failures


def test_notice_corpus_is_large_real_and_sourced() -> None:
    rows = _rows()
    assert len(rows) >= 200
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    assert all(r["written"] and r["spoken"] and r["source"] for r in rows)
    real = [r for r in rows if r["source"].startswith("http")]
    assert len(real) > len(rows) / 2


def test_known_failures_name_corpus_lines_with_a_reason() -> None:
    ids = {r["id"] for r in _rows()}
    for key, reason in _known_failures().items():
        assert key in ids, f"{key} is in the known-failure list but not in notices.tsv"
        assert reason.strip(), f"{key} needs a reason"


def test_notice_corpus_has_no_regressions() -> None:
    known = _known_failures()
    regressions: list[str] = []
    fixed: list[str] = []
    for row in _rows():
        got = normalize(row["written"])
        if got == row["spoken"] and row["id"] in known:
            fixed.append(row["id"])
        elif got != row["spoken"] and row["id"] not in known:
            regressions.append(f"{row['id']}\n  expected: {row['spoken']}\n  got:      {got}")
    rows = len(_rows())
    print(f"\nnotice corpus: {rows - len(known) - len(regressions) + len(fixed)}/{rows} pass")
    assert not regressions, "lines that went wrong:\n" + "\n".join(regressions)
    assert not fixed, (
        "these known failures now pass: remove them from notices_known_failures.toml: " + ", ".join(fixed)
    )


def test_notice_spoken_forms_are_fixed_points() -> None:
    known = _known_failures()
    for row in _rows():
        if row["id"] not in known:
            assert normalize(row["spoken"]) == row["spoken"], row["id"]
