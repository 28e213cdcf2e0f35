"""A secret kept in the state folder, so a restart keeps sessions and open forms valid.

``state_secret(path)`` reads the secret, or creates it once: random, written
to a temporary file created 0600 and linked into place, so two processes
starting together agree on one secret and no reader ever sees half a file.
Small and on its own so the session cookie and any other signer (accounts,
logout revocation) share it.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from broadcast.errors import ConfigError

SECRET_FILE = "session-secret"
_VALID = re.compile(r"^[0-9a-f]{64}$")


def state_secret(path: Path) -> str:
    """The secret in ``path`` (created 0600 when missing)."""
    try:
        existing = path.read_bytes().decode("ascii", errors="replace").strip()   # damaged: replaced below
    except FileNotFoundError:
        existing = ""
    except OSError as exc:
        raise ConfigError(f"Không đọc được tệp khóa phiên {path}: {exc}. Hãy kiểm tra quyền của thư mục trạng thái "
                          f"(hoặc xóa tệp đó: các phiên đăng nhập sẽ phải đăng nhập lại).") from exc
    if _VALID.match(existing):
        return existing
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        if existing:          # a damaged file is replaced
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:   # another process made it first: use theirs
                pass
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_text(encoding="ascii").strip()
