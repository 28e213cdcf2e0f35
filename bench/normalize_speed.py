"""Normaliser cost against text length: 1 MB of commune notices must take under 2 s.

The text is the notice corpus (tests/normalize/notices.tsv) and the hand-written corpus,
repeated up to the size; it is normalised once as many lines and once as a single line
(pasted text without line breaks), at 100 kB, 300 kB and 1 MB, so a cost that grows faster
than the length shows as a rising time per kB. CPU time, best of three.
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from broadcast.normalize import normalize  # noqa: E402

LIMIT_S = 2.0
SIZES = (100_000, 300_000, 1_000_000)


def sentences() -> list[str]:
    out: list[str] = []
    for name in ("notices.tsv", "corpus.tsv"):
        with (ROOT / "tests" / "normalize" / name).open(encoding="utf-8", newline="") as f:
            out += [r["written"] for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]
    return out


def text_of(size: int, sep: str) -> str:
    parts: list[str] = []
    total = 0
    pool = sentences()
    while total < size:
        for s in pool:
            parts.append(s)
            total += len(s) + 1
            if total >= size:
                break
    return sep.join(parts)[:size]


def cpu(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        normalize(text)
        best = min(best, time.process_time() - start)
    return best


def main() -> int:
    worst = 0.0
    for label, sep in (("lines", "\n"), ("one line", " ")):
        for size in SIZES:
            seconds = cpu(text_of(size, sep))
            print(f"{label:8s} {size / 1000:6.0f} kB  {seconds:6.2f} s  {seconds / size * 1e6:6.2f} µs/char")
            if size == SIZES[-1]:
                worst = max(worst, seconds)
    verdict = "OK" if worst < LIMIT_S else "TOO SLOW"
    print(f"1 MB worst case {worst:.2f} s (limit {LIMIT_S:.0f} s): {verdict}")
    return 0 if worst < LIMIT_S else 1


if __name__ == "__main__":
    sys.exit(main())
