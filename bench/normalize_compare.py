"""Our normaliser against vietnormalizer on the hand-written corpus: accuracy and speed.

Accuracy is sentence-exact. Ours is scored both strictly (the test's measure) and leniently;
vietnormalizer lowercases everything and drops some punctuation by design, so it is scored
leniently only: case-insensitive, punctuation ignored, whitespace collapsed. Speed is sentences
per second over the whole corpus, best of several rounds (wall clock) and CPU time, after one
warm-up round, so a busy machine penalises both sides alike.
"""

from __future__ import annotations

import csv
import re
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from broadcast.normalize import normalize  # noqa: E402

CORPUS = ROOT / "tests" / "normalize" / "corpus.tsv"
ROUNDS = 5
_PUNCT = re.compile(r"[^\w\s]|_")


def lenient(text: str) -> str:
    """Case-insensitive, punctuation-free, whitespace-collapsed comparison key."""
    text = unicodedata.normalize("NFC", text).lower()
    return " ".join(_PUNCT.sub(" ", text).split())


def load() -> list[tuple[str, str]]:
    with CORPUS.open(encoding="utf-8", newline="") as f:
        return [(r["written"], r["spoken"]) for r in csv.DictReader(f, delimiter="\t")]


def speed(fn: Callable[[str], str], written: list[str]) -> tuple[float, float]:
    """(sentences per second by wall clock, best round; by CPU time, best round)."""
    for w in written:
        fn(w)
    best_wall = best_cpu = float("inf")
    for _ in range(ROUNDS):
        wall, cpu = time.perf_counter(), time.process_time()
        for w in written:
            fn(w)
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return len(written) / best_wall, len(written) / best_cpu


def accuracy(fn: Callable[[str], str], rows: list[tuple[str, str]], key: Callable[[str], str]) -> float:
    return sum(key(fn(w)) == key(s) for w, s in rows) / len(rows)


def main() -> int:
    rows = load()
    written = [w for w, _ in rows]
    try:
        from vietnormalizer import VietnameseNormalizer
    except ImportError:
        print("vietnormalizer is not installed: pip install vietnormalizer")
        return 1
    theirs = VietnameseNormalizer().normalize

    def ours(text: str) -> str:
        return normalize(text)

    table = []
    for name, fn, strict in (("broadcast.normalize", ours, True), ("vietnormalizer 0.2.3", theirs, False)):
        exact = accuracy(fn, rows, lambda s: s) if strict else None
        loose = accuracy(fn, rows, lenient)
        wall, cpu = speed(fn, written)
        table.append((name, exact, loose, wall, cpu))

    print(f"Corpus: {CORPUS.relative_to(ROOT)} ({len(rows)} sentences)")
    print("Lenient = case-insensitive, punctuation ignored (the only fair score for vietnormalizer).\n")
    header = f"{'normaliser':<22} {'exact':>7} {'lenient':>8} {'sent/s wall':>12} {'sent/s CPU':>11}"
    print(header)
    print("-" * len(header))
    for name, exact, loose, wall, cpu in table:
        shown = f"{exact:.1%}" if exact is not None else "n/a"
        print(f"{name:<22} {shown:>7} {loose:>8.1%} {wall:>12.0f} {cpu:>11.0f}")
    ours_row, theirs_row = table
    ok = ours_row[2] > theirs_row[2] and ours_row[4] >= theirs_row[4]
    print("\nours is more accurate and at least as fast" if ok else "\nWARNING: ours is not ahead on both counts")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
