"""The one seam to ffmpeg: pydub configured with imageio-ffmpeg's static binary.

No system ffmpeg or ffprobe is needed. pydub probes with ffprobe when asked to
read a file, so MP3 is always read with an explicit codec, which skips the probe.
Every other module imports ``AudioSegment`` from here.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import imageio_ffmpeg
import numpy as np

with warnings.catch_warnings():
    # pydub warns at import that no ffmpeg is on PATH; we set our own below.
    warnings.simplefilter("ignore", RuntimeWarning)
    from pydub import AudioSegment

from broadcast.errors import AudioError

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
AudioSegment.converter = FFMPEG
AudioSegment.ffmpeg = FFMPEG

__all__ = ["FFMPEG", "AudioSegment", "decode_mp3", "filter_pcm", "pipe_through", "read_mp3", "run_ffmpeg"]


def decode_mp3(data: bytes) -> AudioSegment:
    """MP3 bytes → audio, or AudioError if ffmpeg cannot decode them."""
    try:
        return AudioSegment.from_file(io.BytesIO(data), format="mp3", codec="mp3")
    except Exception as exc:  # pydub raises CouldntDecodeError, IndexError, …
        raise AudioError(f"Không giải mã được âm thanh MP3 ({len(data)} byte): {exc}") from exc


def read_mp3(path: Path) -> AudioSegment:
    """Read an MP3 file without ffprobe."""
    try:
        return AudioSegment.from_file(str(path), format="mp3", codec="mp3")
    except Exception as exc:
        raise AudioError(f"Không đọc được tệp âm thanh {path}: {exc}") from exc


def run_ffmpeg(args: list[str]) -> str:
    """Run ffmpeg with ``args``; return its stderr (where it prints measurements)."""
    result = subprocess.run([FFMPEG, "-hide_banner", "-nostdin", *args],
                            capture_output=True, text=True, errors="replace", check=False)
    if result.returncode != 0:
        tail = result.stderr.strip().splitlines()[-1:] or ["(không có thông báo)"]
        raise AudioError(f"ffmpeg thất bại: {tail[0]}")
    return result.stderr


def filter_pcm(audio: AudioSegment, chain: str, *, output: bool = True) -> tuple[AudioSegment | None, str]:
    """Run an ffmpeg audio filter chain over in-memory audio through pipes.

    Returns the filtered audio in the same format (or None with ``output``
    False, for measuring filters) and ffmpeg's stderr. Used for one clip at a
    time, so the data piped is a few megabytes.
    """
    fmt = ["-f", "s16le", "-ar", str(audio.frame_rate), "-ac", str(audio.channels)]
    audio = audio.set_sample_width(2)
    sink = [*fmt, "pipe:1"] if output else ["-f", "null", "-"]
    args = [FFMPEG, "-hide_banner", "-nostdin", *fmt, "-i", "pipe:0", "-af", chain, *sink]
    result = subprocess.run(args, input=audio.raw_data, capture_output=True, check=False)
    stderr = result.stderr.decode("utf-8", "replace")
    if result.returncode != 0:
        tail = stderr.strip().splitlines()[-1:] or ["(không có thông báo)"]
        raise AudioError(f"ffmpeg thất bại: {tail[0]}")
    if not output:
        return None, stderr
    return audio._spawn(result.stdout), stderr


Frames = Iterator[np.ndarray]


def pipe_through(source: list[str], sink: list[str], work: Callable[[Frames], Frames], *, rate: int,
                 channels: int, chunk_s: float = 4.0) -> None:
    """Decode with ffmpeg (``source``: inputs, filters, a ``-map``), pass the float frames × channels
    through ``work`` in Python, and encode what it yields with a second ffmpeg (``sink``: outputs).

    Both ffmpeg processes and the Python step run at once, a few seconds of audio
    apart, so a long programme is never in memory. Any failure stops both.
    """
    raw = ["-f", "f32le", "-ar", str(rate), "-ac", str(channels)]
    quiet = [FFMPEG, "-hide_banner", "-nostdin", "-loglevel", "error"]
    with tempfile.TemporaryFile() as decode_log, tempfile.TemporaryFile() as encode_log:
        decoder = subprocess.Popen([*quiet, *source, *raw, "pipe:1"], stdout=subprocess.PIPE, stderr=decode_log)
        encoder = subprocess.Popen([*quiet, *raw, "-i", "pipe:0", *sink], stdin=subprocess.PIPE, stderr=encode_log)
        assert decoder.stdout is not None and encoder.stdin is not None
        stdout, stdin, frame = decoder.stdout, encoder.stdin, 4 * channels

        def frames() -> Frames:
            while data := stdout.read(int(rate * chunk_s) * frame):
                yield np.frombuffer(data[:len(data) // frame * frame], dtype=np.float32).reshape(-1, channels)

        finished = False
        try:
            for out in work(frames()):
                stdin.write(np.ascontiguousarray(out, dtype=np.float32).tobytes())
            stdin.close()
            finished = True
        except BrokenPipeError:
            pass   # the encoder stopped: its own message says why
        finally:
            if not finished:
                decoder.kill()
                encoder.kill()
            stdout.close()
            codes = encoder.wait(), decoder.wait()
        for code, log in zip(codes, (encode_log, decode_log), strict=True):   # a dead encoder says why first
            if code != 0 or not finished:
                raise AudioError(f"ffmpeg thất bại: {_last_line(log)}")


def _last_line(log: IO[bytes]) -> str:
    log.seek(0)
    lines = log.read().decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else "(không có thông báo)"
