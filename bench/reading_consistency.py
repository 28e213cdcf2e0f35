"""Cost of the programme-wide reading check (broadcast/normalize/consistency.py) against length.

The text is the notice corpus repeated up to the size, as segments of about 2 kB (a programme
is 5–20 kB), and once as a single line without breaks (the check cuts it into pieces). The
time per kB must stay flat: the check normalises one piece per candidate token, so it is
linear in the length. CPU time, best of three.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.normalize_speed import sentences  # noqa: E402
from broadcast.normalize.consistency import reading_conflicts  # noqa: E402

SIZES = (20_000, 60_000, 200_000)


def segments(size: int) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    current: list[str] = []
    total = length = 0
    while total < size:
        for sentence in sentences():
            current.append(sentence)
            length += len(sentence) + 1
            total += len(sentence) + 1
            if length > 2_000:
                out.append((f"Đoạn {len(out) + 1}", "\n".join(current)))
                current, length = [], 0
            if total >= size:
                break
    if current:
        out.append((f"Đoạn {len(out) + 1}", "\n".join(current)))
    return out


def best_of_three(parts: list[tuple[str, str]]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        reading_conflicts(parts)
        best = min(best, time.process_time() - start)
    return best


def main() -> int:
    for shape in ("segments", "one line"):
        for size in SIZES:
            parts = segments(size)
            if shape == "one line":
                parts = [("Một dòng", " ".join(text.replace("\n", " ") for _, text in parts))]
            seconds = best_of_three(parts)
            print(f"{shape:9} {size // 1000:5} kB  {seconds:6.2f} s  {1e6 * seconds / size:6.1f} µs/char")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
