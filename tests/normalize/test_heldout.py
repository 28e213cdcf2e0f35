"""Held-out notice sets written by a second author (tests/normalize/heldout_a.tsv, heldout_b.tsv).

The expected forms were committed before the normaliser ever ran on these lines. Set A was
used to find general rule gaps (first run 109/118); set B was run once at the end and never
tuned on (102/113). Every line passes except those in heldout_known_failures.toml, and the
test also fails when a listed line starts passing, so the list only shrinks.
"""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path

import pytest

from broadcast.normalize import normalize

HERE = Path(__file__).parent
SETS = {"a": HERE / "heldout_a.tsv", "b": HERE / "heldout_b.tsv"}
KNOWN_FAILURES = HERE / "heldout_known_failures.toml"


def _rows(name: str) -> list[dict[str, str]]:
    with SETS[name].open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def _known(name: str) -> dict[str, str]:
    with KNOWN_FAILURES.open("rb") as f:
        failures: dict[str, str] = tomllib.load(f)[name]
    return failures


@pytest.mark.parametrize("name", sorted(SETS))
def test_heldout_set_is_large_unique_and_sourced(name: str) -> None:
    rows = _rows(name)
    assert len(rows) >= 100
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    assert all(r["id"].startswith(f"h{name}") for r in rows)
    assert all(r["written"] and r["spoken"] and r["source"] for r in rows)
    real = [r for r in rows if "shared/data/faq.jsonl" in r["source"]]
    assert real and all(r["source"].startswith("http") for r in real)


def test_the_two_sets_share_no_sentence() -> None:
    assert not {r["written"] for r in _rows("a")} & {r["written"] for r in _rows("b")}


@pytest.mark.parametrize("name", sorted(SETS))
def test_known_failures_name_lines_of_the_set_with_a_reason(name: str) -> None:
    ids = {r["id"] for r in _rows(name)}
    for key, reason in _known(name).items():
        assert key in ids, f"{key} is in [{name}] of heldout_known_failures.toml but not in {SETS[name].name}"
        assert reason.strip(), f"{key} needs a reason"


@pytest.mark.parametrize("name", sorted(SETS))
def test_heldout_set_has_no_unlisted_failures(name: str) -> None:
    known = _known(name)
    wrong: list[str] = []
    fixed: list[str] = []
    rows = _rows(name)
    for row in rows:
        got = normalize(row["written"])
        if got != row["spoken"] and row["id"] not in known:
            wrong.append(f"{row['id']}\n  expected: {row['spoken']}\n  got:      {got}")
        elif got == row["spoken"] and row["id"] in known:
            fixed.append(row["id"])
    passed = sum(normalize(r["written"]) == r["spoken"] for r in rows)
    print(f"\nheld-out set {name.upper()}: {passed}/{len(rows)} sentence-exact ({passed / len(rows):.1%})")
    assert not wrong, "lines that went wrong:\n" + "\n".join(wrong)
    assert not fixed, "these known failures now pass: remove them from heldout_known_failures.toml: " + ", ".join(fixed)
