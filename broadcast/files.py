"""Atomic file writes: a temporary file in the same folder, then a rename.

A crash or a full disk leaves either the old file or the new one, never half.

Permissions: what we write is meant to be shared (a player, a Samba share or a
web server under another account reads the on-air folder), so new files and
folders are created with mode 0666/0777 and the kernel applies the umask, as
any ordinary program does (with the usual umask 022: files 0644, folders 0755).
``tempfile.mkstemp``/``mkdtemp`` would make them 0600/0700 whatever the umask.
Secrets (password hashes, the session secret) go through ``write_secret``: 0600.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

FILE_MODE = 0o666     # before the umask
FOLDER_MODE = 0o777   # before the umask
SECRET_MODE = 0o600


def _temp_name(folder: Path, name: str, suffix: str = ".tmp") -> Path:
    return folder / f".{name}.{secrets.token_hex(4)}{suffix}"


def create_temp(folder: Path, name: str, *, mode: int = FILE_MODE, suffix: str = ".tmp") -> tuple[int, Path]:
    """A new hidden file ``.<name>.<random><suffix>`` in ``folder``, opened for writing; (fd, path).

    Created exclusively with ``mode`` (the umask applies), so it never follows
    or reuses anything already there.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        path = _temp_name(folder, name, suffix)
        try:
            return os.open(path, flags, mode), path
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))


def make_folder(path: Path) -> None:
    """``mkdir -p`` with the umask applied (no 0700 surprise)."""
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)


def temp_folder(root: Path, prefix: str) -> Path:
    """A new hidden folder ``<prefix><random>`` in ``root``, mode 0777 less the umask."""
    make_folder(root)
    for _ in range(100):
        path = root / f"{prefix}{secrets.token_hex(4)}"
        try:
            path.mkdir(mode=FOLDER_MODE)
            return path
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary folder name", str(root))


@contextmanager
def replacing(path: Path, *, mode: int = FILE_MODE) -> Iterator[IO[bytes]]:
    """Write ``path`` through a temporary file beside it; renamed onto ``path`` only if the block succeeds."""
    make_folder(path.parent)
    fd, tmp = create_temp(path.parent, path.name, mode=mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            if mode == SECRET_MODE:
                os.fchmod(handle.fileno(), SECRET_MODE)   # exactly 0600 whatever the umask
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_all(handle: IO[bytes], data: bytes | memoryview) -> None:
    """The one place our bytes go to disk (the seam where the tests make the disk fill up)."""
    handle.write(data)


def write_bytes(path: Path, data: bytes) -> None:
    with replacing(path) as handle:
        write_all(handle, data)


def copy_to_temp(source: Path, folder: Path, name: str, *, block: int = 1 << 20) -> Path:
    """Copy ``source`` to a new hidden temporary file in ``folder``, fsynced; the caller renames or removes it."""
    make_folder(folder)
    fd, tmp = create_temp(folder, name, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            for chunk in iter(lambda: src.read(block), b""):
                write_all(out, chunk)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_json(path: Path, data: Any) -> None:
    write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def write_secret(path: Path, data: bytes | str) -> None:
    """A secret (password hash, session key): written atomically, mode 0600 whatever the umask."""
    with replacing(path, mode=SECRET_MODE) as handle:
        write_all(handle, data.encode("utf-8") if isinstance(data, str) else data)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _kind(mode: int) -> str | None:
    """What a non-regular, non-folder file is, in Vietnamese (None for a regular file)."""
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "một thiết bị (device)"
    if stat.S_ISFIFO(mode):
        return "một ống dẫn (FIFO)"
    if stat.S_ISSOCK(mode):
        return "một socket"
    return None if stat.S_ISREG(mode) else "không phải tệp thường"


def check_output_file(path: Path, *, what: str = "tệp ra") -> None:
    """A user-given output path must be a regular file (or not exist yet) in a folder we can write.

    Devices (/dev/full, /dev/null), FIFOs, sockets and folders are refused, and
    so is a symlink: the rename that finishes an atomic write would otherwise
    replace a device node or write where the link points. Raises ``FileProblem``.
    """
    from broadcast.errors import FileProblem
    from broadcast.oserrors import describe

    try:
        info: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise FileProblem(f"Không kiểm tra được {what} {path}: {describe(exc)}") from exc
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise FileProblem(f"{what.capitalize()} {path} là một liên kết tượng trưng (symlink); không ghi qua "
                              f"liên kết để khỏi ghi đè tệp ở nơi khác. Hãy chọn tên một tệp thường.")
        if stat.S_ISDIR(info.st_mode):
            raise FileProblem(f"{what.capitalize()} {path} là một thư mục, không phải tệp. Hãy ghi cả tên tệp, "
                              f"ví dụ {path / 'thong-bao.mp3'}.")
        kind = _kind(info.st_mode)
        if kind is not None:
            raise FileProblem(f"{what.capitalize()} {path} là {kind}, không phải tệp thường; không ghi vào đó. "
                              f"Hãy chọn một tệp .mp3 trong một thư mục.")
    parent = path.parent
    if not parent.exists():
        raise FileProblem(f"Thư mục {parent} (nơi ghi {what} {path.name}) không tồn tại. Hãy tạo thư mục đó "
                          f"trước hoặc chọn nơi ghi khác.")
    if not parent.is_dir():
        raise FileProblem(f"{parent} (nơi ghi {what} {path.name}) không phải là thư mục. Hãy kiểm tra đường dẫn.")
    probe_writable(parent, what=f"thư mục của {what}")


def probe_writable(folder: Path, *, what: str = "thư mục") -> None:
    """Create and remove a tiny file in ``folder`` (made if missing): a read-only or full disk fails now,
    before any slow work, with one line naming the folder."""
    from broadcast.errors import FileProblem
    from broadcast.oserrors import describe

    try:
        make_folder(folder)
        fd, tmp = create_temp(folder, "probe")
        os.close(fd)
        tmp.unlink()
    except OSError as exc:
        raise FileProblem(f"Không ghi được vào {what} {folder}: {describe(exc, with_path=False)}") from exc
