"""Sentence-exact accuracy on the hand-written corpus (at least 97 %)."""

from __future__ import annotations

from broadcast.normalize import normalize
from tests.normalize.conftest import load_corpus

REQUIRED_ACCURACY = 0.97


def test_corpus_is_large_and_covers_the_real_sentences() -> None:
    rows = load_corpus()
    assert len(rows) >= 250
    real = [r for r in rows if r["note"].startswith("real sentence")]
    assert len(real) >= 92
    assert all("http" in r["note"] for r in real)


def test_corpus_accuracy() -> None:
    rows = load_corpus()
    failures = [(r, normalize(r["written"])) for r in rows if normalize(r["written"]) != r["spoken"]]
    for row, got in failures:
        print(f"\nWRITTEN:  {row['written']}\nEXPECTED: {row['spoken']}\nGOT:      {got}\nNOTE:     {row['note']}")
    accuracy = 1 - len(failures) / len(rows)
    print(f"\ncorpus accuracy: {accuracy:.1%} ({len(rows) - len(failures)}/{len(rows)})")
    assert accuracy >= REQUIRED_ACCURACY


def test_corpus_is_idempotent() -> None:
    for row in load_corpus():
        once = normalize(row["written"])
        assert normalize(once) == once, row["written"]
