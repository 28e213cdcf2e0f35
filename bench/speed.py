"""Speed: concurrent vs sequential synthesis, and a warm rebuild vs a cold build.

Against the local fake TTS server (300 ms a request, real MP3), a 60-sentence
episode (10 segments × 6 sentences) is built with the gTTS engine:

1. sequential (concurrency 1), cache off;
2. concurrent (concurrency 4), cache off;
3. cold build into an empty cache, then a warm rebuild (nothing changed), and
   a rebuild after editing one sentence.

Each timing is the whole episode (speak, level-match, assemble, encode, write),
and separately the speak stage (from ``Speaker.prefetch`` starting the requests
in the background to ``Speaker.end_prefetch``: every request to the service, its
decoding, and the voicing that overlaps it), which is what concurrency speeds up. Run: ``python bench/speed.py``.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
import time
from pathlib import Path

from common import Timer, script, settings

from bench.fake_tts import FakeTts
from broadcast.config import Settings
from broadcast.models import Script, Segment
from broadcast.pipeline import render_episode
from broadcast.speech.stage import make_speaker


def build(s: Settings, sc: Script, label: str) -> tuple[float, float, int]:
    """Build one episode; return the whole time, the synthesis (prefetch) time and the clip count."""
    speaker = make_speaker(s)
    timings = {"fetch": 0.0, "start": 0.0}
    original_prefetch, original_end = speaker.prefetch, speaker.end_prefetch

    def prefetch(segments: list[Segment]) -> None:
        timings["start"] = time.perf_counter()
        original_prefetch(segments)

    def end_prefetch() -> None:   # the fetches run in the background until here
        original_end()
        timings["fetch"] += time.perf_counter() - timings["start"]

    speaker.prefetch = prefetch  # type: ignore[method-assign]
    speaker.end_prefetch = end_prefetch  # type: ignore[method-assign]
    with Timer() as total:
        episode = render_episode(sc, s, speaker=speaker)
    engines = {c.engine for c in episode.clips}
    assert engines == {"gtts"}, f"{label}: voiced by {engines}"
    shutil.rmtree(episode.folder)
    print(f"{label:<36} whole build {total.seconds:6.2f} s   synthesis {timings['fetch']:6.2f} s", flush=True)
    return total.seconds, timings["fetch"], len(episode.clips)


def main() -> None:
    sc = script(10, 6)
    with FakeTts(delay_s=0.3) as server, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = dict(speech__engines=["gtts"], speech__gtts_url=server.url, speech__retries=1)
        for count in range(1, 40):   # generate the server's MP3s once, outside the timings
            server.mp3_for(" ".join(["a"] * count))
        seq = build(settings(folder, speech__cache=None, speech__concurrency=1, **base), sc, "sequential, no cache")
        requests_seq = len(server.requests)
        con = build(settings(folder, speech__cache=None, speech__concurrency=4, **base), sc, "concurrent (4), no cache")
        print(f"requests per build: {requests_seq}; max in flight: {server.max_in_flight}")
        cached = settings(folder, speech__concurrency=4, **base)
        cold = build(cached, sc, "cold build, empty cache")
        before = len(server.requests)
        warm = build(cached, sc, "warm rebuild, nothing changed")
        warm_requests = len(server.requests) - before
        first = sc.segments[3]
        edited_text = first.text.replace("hồ sơ", "giấy tờ", 1)
        edited = dataclasses.replace(sc, segments=(*sc.segments[:3], dataclasses.replace(
            first, text=edited_text, spoken=edited_text), *sc.segments[4:]))
        before = len(server.requests)
        one = build(cached, edited, "rebuild after editing one sentence")
        one_requests = len(server.requests) - before
    print()
    print(f"concurrent vs sequential: whole build {seq[0] / con[0]:.1f}× faster, speak stage "
          f"synthesis {seq[1] / con[1]:.1f}× faster (target ≥ 3×)")
    print(f"warm rebuild vs cold build: whole build {100 * warm[0] / cold[0]:.0f} % (target ≤ 10 %); "
          f"requests on warm rebuild: {warm_requests}")
    print(f"rebuild after one edited sentence: {one[0]:.2f} s, requests: {one_requests} (expected 1)")


if __name__ == "__main__":
    main()
