"""On air: a 45-minute programme plays with under 150 MB resident; a slot starts within 2 s of its time.

Both run in child processes on a generated 45-minute MP3 (128 kbps, 44.1 kHz
mono, the web preset: the largest file a build makes):

* memory — the sound card (miniaudio's null device, real time) plays for
  ``PLAY_S`` seconds while the folder output copies the file and, if Debian's
  icecast2 is installed, the stream output sends the whole file at 30× pace to a
  local Icecast; the peak resident memory (``ru_maxrss``) must stay under 150 MB.
  Memory use is flat because every output streams (one block at a time).
* slot start — the real scheduler, its clock moved to two seconds before the
  airing time, publishes the approved 45-minute episode and starts the sound
  card; measured from the airing time to the first block the device takes.

Run: ``python bench/onair.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from common import ROOT

MINUTES = 45
PLAY_S = 30
LIMIT_MB = 150
START_LIMIT_S = 2.0
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
SLOT = dt.datetime(2026, 11, 30, 5, 30, tzinfo=HCM)


def make_programme(path: Path) -> None:
    import imageio_ffmpeg

    # speech-like: pink noise gated at syllable rate, so the encoder works as on a real programme
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    f"anoisesrc=color=pink:duration={MINUTES * 60}:sample_rate=44100:amplitude=0.3",
                    "-af", "volume='0.2+0.8*gt(sin(2*PI*4*t),0)':eval=frame", "-ac", "1", "-b:a", "128k", str(path)],
                   check=True)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _icecast(folder: Path) -> tuple[subprocess.Popen[bytes], str] | None:
    exe = shutil.which("icecast2")
    if exe is None:
        return None
    sys.path.insert(0, str(ROOT))
    from tests.onair.conftest import _icecast_config, _started

    os.chmod(folder, 0o755)
    (folder / "log").mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder / "log", "icecast2")
    port = _free_port()
    (folder / "icecast.xml").write_text(_icecast_config(folder, port, "bench"), encoding="utf-8")
    process = subprocess.Popen([exe, "-c", str(folder / "icecast.xml")], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    if not _started(process, port):
        process.kill()
        return None
    return process, f"http://127.0.0.1:{port}/bench.mp3"


def memory_child(mp3: Path) -> None:
    from broadcast.onair.outputs.folder import FolderOutput
    from broadcast.onair.outputs.icecast import IcecastOutput
    from broadcast.onair.outputs.soundcard import SoundCardOutput

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.chmod(folder, 0o755)   # icecast runs as its own account: it must reach its log folder
        (folder / "icecast").mkdir()
        server = _icecast(folder / "icecast")
        stop = threading.Event()
        samples: list[float] = []
        done: dict[str, float] = {}

        def sound() -> None:
            done["soundcard_s"] = SoundCardOutput(backend="null").play(mp3, stop=stop).seconds

        def stream() -> None:
            if server is not None:
                done["icecast_s"] = IcecastOutput(server[1], password="bench", speed=30).play(
                    mp3, stop=threading.Event()).seconds

        threads = [threading.Thread(target=sound), threading.Thread(target=stream)]
        for thread in threads:
            thread.start()
        done["folder_s"] = FolderOutput(folder / "dang-phat").play(mp3, stop=threading.Event()).seconds
        end = time.monotonic() + PLAY_S
        while time.monotonic() < end:
            samples.append(rss_mb())
            time.sleep(1)
        stop.set()
        for thread in threads:
            thread.join()
        if server is not None:
            server[0].terminate()
            server[0].wait()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peak_mb": peak, "rss_first_mb": samples[0], "rss_last_mb": samples[-1], **done,
                      "icecast": server is not None}))


def start_child(mp3: Path) -> None:
    import time_machine

    sys.path.insert(0, str(ROOT))
    from broadcast.config import load_settings
    from broadcast.onair.outputs import soundcard
    from broadcast.schedule.runner import start
    from tests.onair.conftest import register_episode, write_config

    first: dict[str, dt.datetime] = {}
    original = soundcard._Feed.generator

    def timed(self: soundcard._Feed):  # type: ignore[no-untyped-def]
        gen = original(self)
        wanted = yield next(gen)
        while True:
            block = gen.send(wanted)
            if len(block) and "at" not in first:
                first["at"] = dt.datetime.now(HCM)
                self.stop.set()   # measured: end the 45 minutes here
            wanted = yield block

    soundcard._Feed.generator = timed  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        config = write_config(folder, 'outputs = ["soundcard"]')
        settings = load_settings(config, must_exist=True)
        register_episode(settings, mp3, published=False)
        with time_machine.travel(SLOT - dt.timedelta(seconds=2), tick=True):
            scheduler = start(settings, str(config))
            deadline = time.monotonic() + 30
            while "at" not in first and time.monotonic() < deadline:
                time.sleep(0.01)
            scheduler.shutdown(wait=True)
    delay = (first["at"] - SLOT).total_seconds() if "at" in first else float("inf")
    print(json.dumps({"slot_start_s": delay}))


def run(kind: str, mp3: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, kind, str(mp3)], capture_output=True, text=True, check=False,
                         cwd=ROOT)
    if out.returncode != 0:
        print(out.stderr, file=sys.stderr)
        raise SystemExit(1)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        mp3 = Path(tmp) / "45-phut.mp3"
        make_programme(mp3)
        size = mp3.stat().st_size / 1e6
        memory = run("memory", mp3)
        slot = run("start", mp3)
    ok_mem = memory["peak_mb"] < LIMIT_MB
    ok_start = slot["slot_start_s"] < START_LIMIT_S
    print(f"{MINUTES}-minute programme, {size:.1f} MB MP3")
    print(f"memory: peak {memory['peak_mb']:.0f} MB resident (RSS {memory['rss_first_mb']:.0f} → "
          f"{memory['rss_last_mb']:.0f} MB over {PLAY_S} s of sound card playout; folder copy; "
          f"Icecast {'whole file at 30× pace' if memory['icecast'] else 'not installed, skipped'}) "
          f"— limit {LIMIT_MB} MB: {'OK' if ok_mem else 'OVER'}")
    print(f"slot start: first audio block {slot['slot_start_s']:.2f} s after the airing time "
          f"(publication, checksum of the 45-minute file, device start) — limit {START_LIMIT_S} s: "
          f"{'OK' if ok_start else 'OVER'}")
    return 0 if ok_mem and ok_start else 1


if __name__ == "__main__":
    if len(sys.argv) == 3:
        {"memory": memory_child, "start": start_child}[sys.argv[1]](Path(sys.argv[2]))
    else:
        sys.exit(main())
