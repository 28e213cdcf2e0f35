"""The sound card output: the PC's audio out feeds the amplifier or the FM transmitter.

miniaudio decodes the MP3 a block at a time and the device pulls blocks at its
own pace, so a 45-minute programme never sits in memory. It needs no system
package on Windows or Linux. ``backend = "null"`` plays to miniaudio's silent
device, which still consumes samples in real time (the tests use it).
When ``stop`` is set the programme fades out over ``FADE_S`` and ends.
"""

from __future__ import annotations

import array
import threading
import time
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

from broadcast.errors import OutputError
from broadcast.onair.outputs.base import Played

FADE_S = 2.0
CHANNELS = 2          # both sides of the amplifier input carry the (mono) programme
BUFFER_MS = 200

Tap = Callable[[array.array], None]


def duration_of(path: Path) -> float:
    """Seconds of audio in an MP3, from its frames (no full decode into memory)."""
    import miniaudio

    try:
        return float(miniaudio.mp3_get_file_info(str(path)).duration)
    except (miniaudio.MiniaudioError, OSError) as exc:
        raise OutputError(f"Không đọc được tệp âm thanh {path}: {exc}. Hãy dựng lại số phát.") from exc


def devices(backend: str = "") -> list[str]:
    """Names of the playback devices the sound system offers."""
    import miniaudio

    return [str(d["name"]) for d in miniaudio.Devices(backends=_backends(backend)).get_playbacks()]


def _backends(name: str) -> list[Any] | None:
    import miniaudio

    return [miniaudio.Backend[name.upper()]] if name else None


class SoundCardOutput:
    name = "soundcard"
    label = "card âm thanh"

    def __init__(self, *, device: str = "", backend: str = "", tap: Tap | None = None) -> None:
        self.device = device
        self.backend = backend
        self.tap = tap   # sees every block sent to the device (the tests measure what was played)

    def available(self) -> bool:
        try:
            import miniaudio  # noqa: F401
        except ImportError:
            return False
        return True

    def disabled_message(self) -> str:
        return "Chưa cài gói miniaudio để phát ra card âm thanh. Hãy chạy: pip install miniaudio"

    def _device_id(self) -> Any:
        import miniaudio

        if not self.device:
            return None
        found = miniaudio.Devices(backends=_backends(self.backend)).get_playbacks()
        wanted = self.device.casefold()
        for info in found:
            if wanted in str(info["name"]).casefold():
                return info["id"]
        names = ", ".join(str(d["name"]) for d in found) or "không có"
        raise OutputError(f"Không thấy card âm thanh {self.device!r} (onair.device). Các card hiện có: {names}.")

    def play(self, path: Path, *, stop: threading.Event) -> Played:
        import miniaudio

        try:
            info = miniaudio.mp3_get_file_info(str(path))
            rate = int(info.sample_rate)
            stream = miniaudio.stream_file(str(path), nchannels=CHANNELS, sample_rate=rate)
        except (miniaudio.MiniaudioError, OSError) as exc:
            raise OutputError(f"Không đọc được tệp âm thanh {path}: {exc}.") from exc
        state = _Feed(stream, rate, stop, self.tap)
        feed = state.generator()
        next(feed)
        try:
            device = miniaudio.PlaybackDevice(nchannels=CHANNELS, sample_rate=rate, buffersize_msec=BUFFER_MS,
                                              device_id=self._device_id(), backends=_backends(self.backend),
                                              app_name="broadcast")
        except miniaudio.MiniaudioError as exc:
            raise OutputError(f"Không mở được card âm thanh ({exc}). Hãy kiểm tra onair.device, loa và trình "
                              f"điều khiển âm thanh.") from exc
        try:
            device.start(feed)
            # the device pulls the blocks on its own thread; wait for the last, then for the buffer to drain
            while not state.done.wait(0.5):
                if state.error is not None:
                    break
            time.sleep(BUFFER_MS / 1000)
        finally:
            device.close()
        if state.error is not None:
            raise OutputError(f"Card âm thanh dừng giữa chừng: {state.error}.")
        return Played(state.frames / rate, interrupted=state.faded)


class _Feed:
    """The generator the device pulls from: counts frames, fades out on stop, signals the end."""

    def __init__(self, stream: Generator[array.array, int, None], rate: int, stop: threading.Event,
                 tap: Tap | None) -> None:
        self.stream, self.rate, self.stop, self.tap = stream, rate, stop, tap
        self.frames = 0
        self.faded = False
        self.error: Exception | None = None
        self.done = threading.Event()

    def generator(self) -> Generator[array.array, int, None]:
        fade_total = int(FADE_S * self.rate)
        fade_left = fade_total
        wanted = yield array.array("h")
        try:
            while True:
                try:
                    block = self.stream.send(wanted)
                except StopIteration:
                    break
                if self.stop.is_set():
                    self.faded = True
                    block = _faded(block, fade_left, fade_total)
                    fade_left -= len(block) // CHANNELS
                self.frames += len(block) // CHANNELS
                if self.tap is not None:
                    self.tap(block)
                wanted = yield block
                if self.faded and fade_left <= 0:
                    break
        except Exception as exc:  # handed to play(); the device thread must not die silently
            self.error = exc
        finally:
            self.done.set()


def _faded(block: array.array, left: int, total: int) -> array.array:
    """``block`` with a linear fade continuing from ``left`` of ``total`` frames; silence past the end."""
    out = array.array("h", block)
    for frame in range(len(out) // CHANNELS):
        gain = max(0.0, (left - frame) / total)
        for ch in range(CHANNELS):
            out[frame * CHANNELS + ch] = int(out[frame * CHANNELS + ch] * gain)
    return out
