"""Outputs behind one seam: each says its name, whether it can run here and why not, and plays a file.

``play`` blocks until the file has been played (or copied), at real-time pace for
sound; it stops early, as gracefully as the output allows, when ``stop`` is set
(an urgent notice pre-empts), and raises ``OutputError`` when it cannot play.
"""

from __future__ import annotations

from broadcast.config import Settings
from broadcast.errors import ConfigError
from broadcast.onair.outputs.base import Output, Played

__all__ = ["Output", "Played", "make_outputs"]


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
