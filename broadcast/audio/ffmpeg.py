"""The one seam to ffmpeg: pydub configured with imageio-ffmpeg's static binary.

No system ffmpeg or ffprobe is needed. pydub probes with ffprobe when asked to
read a file, so MP3 is always read with an explicit codec, which skips the probe.
Every other module imports ``AudioSegment`` from here.
"""

from __future__ import annotations

import io
import subprocess
import warnings
from pathlib import Path

import imageio_ffmpeg

with warnings.catch_warnings():
    # pydub warns at import that no ffmpeg is on PATH; we set our own below.
    warnings.simplefilter("ignore", RuntimeWarning)
    from pydub import AudioSegment

from broadcast.errors import AudioError

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
AudioSegment.converter = FFMPEG
AudioSegment.ffmpeg = FFMPEG

__all__ = ["FFMPEG", "AudioSegment", "decode_mp3", "filter_pcm", "read_mp3", "run_ffmpeg"]


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
