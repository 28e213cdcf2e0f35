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

__all__ = ["FFMPEG", "AudioSegment", "decode_mp3", "read_mp3", "run_ffmpeg"]


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
