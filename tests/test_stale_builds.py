"""A build removes the hidden folders of earlier builds that were killed, and only those."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from broadcast.config import load_settings
from broadcast.pipeline import build


def hidden_build(root: Path, name: str, owner: str | None, *, age_s: float = 0.0) -> Path:
    """A leftover ``.building-*`` folder with a half-written segment and, if given, its pid file."""
    folder = root / f".building-2026-11-20-cai-cach-hanh-chinh-{name}"
    (folder / "segments").mkdir(parents=True)
    (folder / "segments" / "01-mo-dau.mp3").write_bytes(b"\xff\xfb" + b"\0" * 100)
    if owner is not None:
        (folder / ".pid").write_text(owner + "\n", encoding="utf-8")
    if age_s:
        then = time.time() - age_s
        os.utime(folder, (then, then))
    return folder


def finished_pid() -> int:
    """The pid of a process that has run and been reaped: no longer alive on this host."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


def test_a_build_removes_only_the_hidden_folders_of_builds_no_longer_running(
        make_config: Callable[..., Path]) -> None:
    settings = load_settings(make_config(), must_exist=True)
    root = settings.output.folder
    root.mkdir(parents=True)
    host = socket.gethostname()
    dead = finished_pid()
    stale = [hidden_build(root, "killed", f"{dead} {host}"),
             hidden_build(root, "no-pid-two-days", None, age_s=2 * 86400)]
    kept = [hidden_build(root, "live", f"{os.getpid()} {host}", age_s=2 * 86400),
            hidden_build(root, "other-host", f"{dead} {host}-khac"),   # a folder shared with another PC
            hidden_build(root, "no-pid-just-started", None)]           # a build that has not written its pid yet
    episode = build(settings, dt.date(2026, 11, 27))
    for folder in stale:
        assert not folder.exists(), folder.name
    for folder in kept:
        assert (folder / "segments" / "01-mo-dau.mp3").read_bytes()[:2] == b"\xff\xfb", folder.name
    hidden = sorted(p.name for p in root.iterdir() if p.name.startswith(".building-"))
    assert hidden == sorted(p.name for p in kept)   # and this build's own hidden folder is gone too
    assert (episode.folder / "program.mp3").is_file()
    assert not (episode.folder / ".pid").exists()   # the pid file stays behind in the hidden folder only
