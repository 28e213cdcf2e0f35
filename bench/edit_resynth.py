"""Benchmark: editing one sentence of a ~10-minute episode vs building it cold.

Builds the bundled samples' episode with the offline voice (espeak-ng) and an
empty sentence cache, then changes one sentence of one news segment and saves
it through the review workflow (re-voice that segment, re-assemble and
re-encode the programme). Prints both times and the ratio; the target is that
the edit costs at most 10 % of the cold build.

    python bench/edit_resynth.py [--news N] [--faq N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from broadcast.config import SAMPLES_DIR, load_settings
from broadcast.review.edits import save_edits
from broadcast.review.store import Store
from broadcast.review.workflow import build_draft

DAY = dt.date(2026, 11, 27)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--news", type=int, default=4, help="news items (episode length)")
    parser.add_argument("--faq", type=int, default=4, help="questions and answers (episode length)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-edit-") as tmp:
        folder = Path(tmp)
        config = folder / "config.toml"
        config.write_text(f"""
[column]
news_items = {args.news}
faq_items = {args.faq}
[sources]
feeds = ["{(SAMPLES_DIR / 'feed.xml').as_posix()}"]
statistics = "{(SAMPLES_DIR / 'stats.csv').as_posix()}"
faq = "{(SAMPLES_DIR / 'faq').as_posix()}"
keywords = []
[speech]
engines = ["espeak"]
cache = "cache"
[output]
folder = "audio_out"
[review]
database = "state/broadcast.sqlite"
onair = "onair"
""", encoding="utf-8")
        settings = load_settings(config, must_exist=True)
        start = time.perf_counter()
        record = build_draft(settings, DAY)
        cold = time.perf_counter() - start
        assert record is not None
        with Store.open(settings) as store:
            segments = store.segments(record.id)
            target = next(s for s in segments if s.id.startswith("tin-"))
            first = target.text.split(". ")[0]
            edited = target.text.replace(first, first + ", theo báo cáo của Văn phòng Ủy ban nhân dân xã", 1)
            start = time.perf_counter()
            saved = save_edits(settings, store, record.id, {target.id: edited}, base_revision=record.revision,
                               by="bench")
            edit = time.perf_counter() - start
        ratio = edit / cold
        print(f"episode: {record.duration_s / 60:.1f} min, {len(segments)} segments (espeak, cache cleared)")
        print(f"cold build: {cold:.2f} s")
        print(f"edit one sentence of '{target.id}' and save: {edit:.2f} s (revision {saved.revision})")
        print(f"ratio: {100 * ratio:.1f} % (target <= 10 %)")
        return 0 if ratio <= 0.10 else 1


if __name__ == "__main__":
    sys.exit(main())
