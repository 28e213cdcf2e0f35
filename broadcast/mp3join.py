"""Join MP3 files frame by frame, without re-encoding.

A programme is a running order of pieces (jingles, pauses, stings, segments)
that are each encoded once; the programme is their frames end to end. Joining
costs almost nothing and hardly grows with length, so a build encodes every
second of audio once, and an edit re-encodes only the segments it changed.
Every joint falls in a pause or a fade, where the few milliseconds of encoder
padding at each joint cannot be heard.
"""

from __future__ import annotations

from pathlib import Path

from broadcast.errors import AudioError
from broadcast.ffmpeg import run_ffmpeg


def join(pieces: list[Path], target: Path, *, tags: dict[str, str]) -> float:
    """Join MP3 files frame by frame (no re-encoding): the cost hardly grows with the programme.

    Returns the length of the result in seconds, as ffmpeg reports it.
    """
    listing = target.with_name(f"{target.name}.txt")
    lines = ["ffconcat version 1.0"]
    for piece in pieces:
        quoted = str(piece.resolve()).replace("'", "'\\''")
        lines.append(f"file '{quoted}'")
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    meta = [arg for key, value in tags.items() for arg in ("-metadata", f"{key}={value}")]
    try:
        run_ffmpeg(["-y", "-f", "concat", "-safe", "0", "-i", str(listing), "-map", "0:a", "-c", "copy",
                    "-map_metadata", "-1", *meta, "-id3v2_version", "3", "-write_xing", "1", str(target)])
    finally:
        listing.unlink(missing_ok=True)
    return mp3_duration(target)


_BITRATES = {1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
             2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)}
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def mp3_duration(path: Path) -> float:
    """Length of an MP3 (Layer III) in seconds, by walking its frame headers: nothing is decoded.

    A joined programme carries a little encoder padding at each joint, so the
    segments' lengths do not add up to it; this counts what a player will play.
    """
    data = path.read_bytes()
    pos = 0
    if data[:3] == b"ID3" and len(data) >= 10:
        size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
        pos = 10 + size + (10 if data[5] & 0x10 else 0)
    samples = 0
    rate = 0
    first = True
    while pos + 4 <= len(data):
        header = int.from_bytes(data[pos:pos + 4], "big")
        version, layer = (header >> 19) & 3, (header >> 17) & 3
        if (header >> 21) != 0x7FF or version == 1 or layer != 1:
            break  # not a Layer III frame: the audio is over (e.g. an ID3v1 tag)
        bitrate_index, rate_index = (header >> 12) & 15, (header >> 10) & 3
        if bitrate_index in (0, 15) or rate_index == 3:
            break
        rate = _RATES[version][rate_index]
        bitrate = _BITRATES[1 if version == 3 else 2][bitrate_index] * 1000
        per_frame = 1152 if version == 3 else 576
        length = (144 if version == 3 else 72) * bitrate // rate + ((header >> 9) & 1)
        frame = data[pos:pos + length]
        if not (first and (b"Xing" in frame[:64] or b"Info" in frame[:64])):
            samples += per_frame  # the Xing/Info frame holds no sound
        first = False
        pos += length
    if not rate or not samples:
        raise AudioError(f"Tệp {path.name} không phải âm thanh MP3 đọc được.")
    return samples / rate


def running_order(segments: list[Path], pieces: dict[str, Path]) -> list[Path]:
    """Jingle, segments separated by a pause (or a sting with half a pause each side), jingle.

    ``pieces`` holds "pause" and optionally "gap" (the sting), "intro", "outro".
    """
    order: list[Path] = []
    if "intro" in pieces:
        order += [pieces["intro"], pieces["pause"]]
    for index, segment in enumerate(segments):
        if index:
            order.append(pieces.get("gap", pieces["pause"]))
        order.append(segment)
    if "outro" in pieces:
        order += [pieces["pause"], pieces["outro"]]
    return order
