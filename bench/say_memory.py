"""Memory of `broadcast say`: a long announcement is voiced a group of sentences at a time.

Each run is a child process (offline espeak voice, no cache) and reports its
own peak resident memory (``ru_maxrss``) and that of the largest ffmpeg it
started. A flat memory means the 20,000-character run (the limit, about 30
minutes of speech at the offline voice) peaks near the 2,000-character one. Run:
``python bench/say_memory.py``.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import _SHAPES, settings

from broadcast.announce import SAY_MAX_CHARS, say

FLAT_RATIO = 1.5   # the limit's peak may be at most this much above the short run's


def text(chars: int) -> str:
    sentences: list[str] = []
    n = 1
    while sum(len(s) + 1 for s in sentences) < chars - 120:
        sentences.append(_SHAPES[n % len(_SHAPES)].format(n=n))
        n += 1
    return " ".join(sentences)[:chars]


def child(chars: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        s = settings(Path(tmp), speech__engines=["espeak"], speech__cache=None)
        started = time.perf_counter()
        seconds, _ = say(text(chars), Path(tmp) / "thong-bao.mp3", s)
        took = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tools = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"chars": chars, "speech_min": seconds / 60, "took_s": took,
                      "python_peak_mb": own, "ffmpeg_peak_mb": tools}))


def run(chars: int) -> dict[str, float]:
    result = subprocess.run([sys.executable, __file__, "--child", str(chars)], capture_output=True, text=True,
                            check=True)
    data: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"{int(data['chars']):>6} characters → {data['speech_min']:.1f} min of speech in {data['took_s']:.1f} s; "
          f"peak Python {data['python_peak_mb']:.0f} MB, ffmpeg {data['ffmpeg_peak_mb']:.0f} MB", flush=True)
    return data


def main() -> int:
    short, limit = run(2_000), run(SAY_MAX_CHARS)
    ratio = limit["python_peak_mb"] / short["python_peak_mb"]
    verdict = "flat" if ratio <= FLAT_RATIO else "NOT flat"
    print(f"peak at the limit / peak at 2,000 characters: {ratio:.2f} ({verdict}, target ≤ {FLAT_RATIO})")
    return 0 if ratio <= FLAT_RATIO else 1


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(int(sys.argv[2]))
    else:
        sys.exit(main())
