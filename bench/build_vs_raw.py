"""Benchmark: the whole pipeline vs the raw path for the same spoken text.

Pipeline: `broadcast build` of the bundled samples, offline voice, cold cache.
Raw path: espeak-ng synthesis of every segment's spoken text (taken from the
pipeline's own manifest, each in the voice of its role) plus one ffmpeg encode
of the concatenated PCM with the pipeline's own encoder settings (LAME quality
``MP3_QUALITY``, the manifest's bitrate, rate and channels): a fair comparison.
Each run is a fresh subprocess, so peak memory (max RSS) is per path.
Target: pipeline wall time ≤ 1.5 × raw.

    python bench/build_vs_raw.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RAW = r"""
import json, subprocess, sys
from broadcast.config import SpeechSettings
from broadcast.audio.encode import MP3_QUALITY
from broadcast.audio.ffmpeg import FFMPEG
from broadcast.speech.espeak import EspeakEngine
manifest = json.load(open(sys.argv[1], encoding="utf-8"))
audio = manifest["audio"]
engine = EspeakEngine(SpeechSettings())
pcm = b"".join(engine.synthesize(s["spoken"]).raw_data for s in manifest["segments"])
subprocess.run([FFMPEG, "-hide_banner", "-loglevel", "error", "-y", "-f", "s16le", "-ar", "22050", "-ac", "1",
                "-i", "-", "-ar", str(audio["sample_rate"]), "-ac", str(audio["channels"]), "-b:a", audio["bitrate"],
                "-compression_level", str(MP3_QUALITY), sys.argv[2]], input=pcm, check=True)
"""


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process (and its ffmpeg children, via wait4)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        sys.exit(f"failed: {' '.join(cmd)}\n{err}")
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    pipeline_t, pipeline_m, raw_t, raw_m = [], [], [], []
    duration = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.runs):
            out = Path(tmp) / f"run{k}"
            config = Path(tmp) / f"bench{k}.toml"
            config.write_text(
                f'[column]\ntemplates = "{ROOT / "scripts_templates"}"\n'
                f'[speech]\nengines = ["espeak"]\ncache = ""\n[output]\nfolder = "{out}"\n', encoding="utf-8")
            wall, mem = run([sys.executable, "-m", "broadcast", "build", "--config", str(config),
                             "--date", "2026-11-27"])
            pipeline_t.append(wall)
            pipeline_m.append(mem)
            manifest_path = next(out.glob("*/manifest.json"))
            duration = json.loads(manifest_path.read_text(encoding="utf-8"))["duration_s"]
            wall, mem = run([sys.executable, "-c", RAW, str(manifest_path), str(Path(tmp) / f"raw{k}.mp3")])
            raw_t.append(wall)
            raw_m.append(mem)
    p, r = statistics.median(pipeline_t), statistics.median(raw_t)
    print(f"episode: {duration / 60:.1f} min of audio, {args.runs} runs each (median)")
    print(f"{'path':<10}{'wall s':>10}{'peak MB':>10}")
    print(f"{'pipeline':<10}{p:>10.2f}{statistics.median(pipeline_m):>10.0f}")
    print(f"{'raw':<10}{r:>10.2f}{statistics.median(raw_m):>10.0f}")
    verdict = "OK" if p / r <= 1.5 else "ABOVE TARGET"
    print(f"ratio pipeline/raw: {p / r:.2f} (target ≤ 1.5) {verdict}")


if __name__ == "__main__":
    main()
