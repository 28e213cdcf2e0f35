"""Helpers for the officer-facing tests: run the real CLI as a subprocess in a chosen folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_cli(*args: str, cwd: Path, input: str | None = None, env: dict[str, str] | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``python -m broadcast ARGS`` in ``cwd``, as an officer would type it."""
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run([sys.executable, "-m", "broadcast", *args], cwd=cwd, input=input, capture_output=True,
                          text=True, encoding="utf-8", env=full_env, timeout=timeout, check=False)
