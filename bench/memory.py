"""Memory: a 45-minute programme builds with peak memory under 600 MB.

The build runs in a child process (offline espeak voice, no cache: a cold
build) so its peak resident memory is its own: ``ru_maxrss`` of the Python
process itself, and of the largest ffmpeg it started. Run:
``python bench/memory.py [minutes]``.
"""

from __future__ import annotations

import dataclasses
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import script, settings

from broadcast.manifest import read_manifest
from broadcast.pipeline import render_episode
from broadcast.speech.stage import make_speaker

LIMIT_MB = 600
WORDS_PER_SENTENCE = 15.5      # the shapes in common.py
SECONDS_PER_SENTENCE = 7.2     # espeak at 140 wpm plus the sentence pause, measured


def child(minutes: float) -> None:
    sentences = round(minutes * 60 / SECONDS_PER_SENTENCE)
    per_segment = 14
    with tempfile.TemporaryDirectory() as tmp:
        s = settings(Path(tmp), speech__engines=["espeak"], speech__cache=None)
        started = time.perf_counter()
        episode = render_episode(script(max(1, sentences // per_segment), per_segment), s, speaker=make_speaker(s))
        seconds = time.perf_counter() - started
        level = read_manifest(episode.folder).audio.loudness
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tools = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"programme_min": episode.duration_s / 60, "segments": len(episode.clips),
                      "build_s": seconds, "python_peak_mb": own, "ffmpeg_peak_mb": tools,
                      "loudness": dataclasses.asdict(level) if level else None}))


def main() -> None:
    minutes = float(sys.argv[1]) if len(sys.argv) > 1 else 45.0
    result = subprocess.run([sys.executable, __file__, "--child", str(minutes)], capture_output=True, text=True,
                            check=True)
    data = json.loads(result.stdout.strip().splitlines()[-1])
    peak = max(data["python_peak_mb"], data["ffmpeg_peak_mb"])
    print(f"programme {data['programme_min']:.1f} min in {data['segments']} segments, built in "
          f"{data['build_s']:.0f} s")
    print(f"peak memory: Python {data['python_peak_mb']:.0f} MB, largest child process (ffmpeg) "
          f"{data['ffmpeg_peak_mb']:.0f} MB (limit {LIMIT_MB} MB): {'OK' if peak < LIMIT_MB else 'OVER'}")
    level = data["loudness"]
    print(f"loudness {level['integrated_lufs']} LUFS, true peak {level['true_peak_dbtp']} dBTP, "
          f"LRA {level['lra_lu']} LU")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(float(sys.argv[2]))
    else:
        main()
