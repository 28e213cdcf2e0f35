"""Outputs behind one seam: each says its name, whether it can run here and why not, and plays a file.

``play`` blocks until the file has been played (or copied), at real-time pace for
sound; it stops early, as gracefully as the output allows, when ``stop`` is set
(an urgent notice pre-empts), and raises ``OutputError`` when it cannot play.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from broadcast.config import Settings
from broadcast.errors import ConfigError


@dataclass(frozen=True)
class Played:
    """What one output did with one file: seconds of the programme delivered, and whether it was cut short."""

    seconds: float
    interrupted: bool = False
    detail: str = ""


class Output(Protocol):
    name: str       # the config's name: "soundcard", "icecast", "folder"
    label: str      # what the officer reads in the log

    def available(self) -> bool: ...

    def disabled_message(self) -> str: ...

    def play(self, path: Path, *, stop: threading.Event) -> Played: ...


def make_outputs(settings: Settings) -> list[Output]:
    """The configured outputs, in config order."""
    from broadcast.onair.outputs.folder import FolderOutput
    from broadcast.onair.outputs.icecast import IcecastOutput
    from broadcast.onair.outputs.soundcard import SoundCardOutput

    onair = settings.onair
    built: list[Output] = []
    for name in onair.outputs:
        if name == "soundcard":
            built.append(SoundCardOutput(device=onair.device, backend=onair.backend))
        elif name == "icecast":
            built.append(IcecastOutput(onair.icecast_url, user=onair.icecast_user, password=onair.icecast_password))
        elif name == "folder":
            built.append(FolderOutput(onair.folder))
        else:  # the config loader already refuses unknown names
            raise ConfigError(f"onair.outputs: đầu ra {name!r} không tồn tại.")
    return built
