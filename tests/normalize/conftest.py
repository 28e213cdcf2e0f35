"""Shared corpus loader for the normaliser tests."""

from __future__ import annotations

import csv
from pathlib import Path

CORPUS = Path(__file__).with_name("corpus.tsv")


def load_corpus() -> list[dict[str, str]]:
    """Rows of corpus.tsv: written, spoken, note."""
    with CORPUS.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))
