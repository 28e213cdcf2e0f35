"""The seam every output implements, and what playing a file returns."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


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
