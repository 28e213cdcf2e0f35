"""Every failure a user can meet: one Vietnamese line naming the file or setting, a non-zero exit,
no traceback, and what was there before untouched.

One matrix of (command, fault). Faults are injected at the seams where the disk answers
(broadcast.files, os.replace, sqlite3.connect) with the errno a full, read-only or forbidden disk
gives, because the suite runs as root (chmod does not stop root) and cannot mount a tiny tmpfs.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from broadcast import files
from broadcast.cli import main
from broadcast.review import store as store_module

VIETNAMESE = set("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")

Fault = Callable[[pytest.MonkeyPatch, Path], str]   # installs the fault; returns what the line must name


def _oserror(code: int, path: str) -> OSError:
    return OSError(code, os.strerror(code), path)


def disk(code: int) -> Fault:
    """Writing a new file in the output folder fails with ``code`` (ENOSPC, EROFS, EACCES)."""
    def install(monkeypatch: pytest.MonkeyPatch, work: Path) -> str:
        real = files.create_temp

        def failing(folder: Path, name: str, **kwargs: object) -> tuple[int, Path]:
            if Path(folder).resolve().is_relative_to(work / "out"):
                raise _oserror(code, str(folder))
            return real(folder, name, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(files, "create_temp", failing)
        return str(work / "out")
    return install


def rename(code: int) -> Fault:
    """The final rename of ``say`` fails (the disk filled up while encoding)."""
    def install(monkeypatch: pytest.MonkeyPatch, work: Path) -> str:
        real = os.replace

        def failing(src: str, dst: str) -> None:
            if Path(dst).parent == work / "out":
                raise _oserror(code, str(dst))
            real(src, dst)

        monkeypatch.setattr(os, "replace", failing)
        return str(work / "out" / "thong-bao.mp3")
    return install


def database(message: str) -> Fault:
    """SQLite reports the disk: it is never called a corrupt database."""
    def install(monkeypatch: pytest.MonkeyPatch, work: Path) -> str:
        def failing(*args: object, **kwargs: object) -> sqlite3.Connection:
            raise sqlite3.OperationalError(message)

        monkeypatch.setattr(store_module.sqlite3, "connect", failing)
        return "broadcast.sqlite"
    return install


def config_text(text: bytes) -> Fault:
    def install(monkeypatch: pytest.MonkeyPatch, work: Path) -> str:
        with (work / "config.toml").open("ab") as handle:
            handle.write(text)
        return "config.toml"
    return install


def nothing(monkeypatch: pytest.MonkeyPatch, work: Path) -> str:
    return "--date"


SAY = ["say", "Xin chào bà con.", "-o", "{out}/thong-bao.mp3"]
BUILD = ["build", "--date", "2026-11-27"]
LIST = ["review", "list"]
SHOW = ["config", "show"]

# (command, fault, exit code, words the line must hold)
MATRIX = [
    ("say", SAY, disk(errno.ENOSPC), 1, "ổ đĩa đầy"),
    ("say", SAY, disk(errno.EROFS), 1, "chỉ cho phép đọc"),
    ("say", SAY, disk(errno.EACCES), 1, "không có quyền"),
    ("say", SAY, rename(errno.ENOSPC), 1, "ổ đĩa đầy"),
    ("say", SAY, rename(errno.EIO), 1, "lỗi đọc/ghi của ổ đĩa"),
    ("build", BUILD, disk(errno.ENOSPC), 1, "ổ đĩa đầy"),
    ("build", BUILD, disk(errno.EROFS), 1, "chỉ cho phép đọc"),
    ("build", BUILD, disk(errno.EACCES), 1, "không có quyền"),
    ("review-list", LIST, database("disk I/O error"), 1, "lỗi đọc/ghi của ổ đĩa"),
    ("review-list", LIST, database("database or disk is full"), 1, "ổ đĩa đầy"),
    ("review-list", LIST, database("attempt to write a readonly database"), 1, "chỉ cho phép đọc"),
    ("config-show", SHOW, config_text(b'\n[station]\ntimezone = "Asia/Ha_Noi"\n'), 2, "múi giờ"),
    ("build", BUILD, config_text(b'\n[station]\ntimezone = "Asia/Ha_Noi"\n'), 2, "múi giờ"),
    ("config-show", SHOW, config_text(b"\n[review]\nport = 70000\n"), 2, "65535"),
    ("config-show", SHOW, config_text(b'\n[station]\ncommune = "x\xe3 \xd0\xfac"\n'), 2, "UTF-8"),
    ("config-show", SHOW, config_text(b'\n[schedule]\nbuild = "99 25 * * *"\n'), 2, "cron"),
    ("build", ["build", "--date", "0001-01-01"], nothing, 2, "ngoài khoảng"),
]


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("command", "argv", "fault", "code", "words"), MATRIX,
                         ids=[f"{m[0]}-{getattr(m[2], '__qualname__', 'fault').split('.')[0]}-{k}"
                              for k, m in enumerate(MATRIX)])
def test_fault_is_one_vietnamese_line(command: str, argv: list[str], fault: Fault, code: int, words: str,
                                      make_config: Callable[..., Path], tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    config = make_config()
    out = tmp_path / "out"
    out.mkdir()
    earlier = out / "2026-11-20-cai-cach-hanh-chinh" / "program.mp3"   # last week's programme
    earlier.parent.mkdir()
    earlier.write_bytes(b"ID3 earlier programme")
    before = snapshot(out)
    names = fault(monkeypatch, tmp_path)
    try:
        status = main(["--config", str(config), *[a.format(out=out) for a in argv]])
    except SystemExit as exc:   # argparse's usage errors (our one-line Parser.error)
        status = exc.code  # type: ignore[assignment]
    monkeypatch.undo()
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert status == code, captured.err
    assert len(lines) == 1, lines
    line = lines[0]
    assert "Traceback" not in captured.err and "Lỗi không mong đợi" not in line
    assert words in line and names in line, line
    assert VIETNAMESE & set(line.lower())
    assert "sao lưu" not in line or "đừng khôi phục" in line   # a disk fault never says "restore a backup"
    assert snapshot(out) == before


def test_closed_pipe_exits_quietly(make_config: Callable[..., Path]) -> None:
    """`broadcast config show | head`: the reader has gone; no traceback, no message."""
    read, write = os.pipe()
    os.close(read)
    result = subprocess.run([sys.executable, "-m", "broadcast", "--config", str(make_config()), "config", "show"],
                            stdout=write, stderr=subprocess.PIPE, text=True, check=False, timeout=60)
    os.close(write)
    assert result.returncode == 141
    assert result.stderr == ""
