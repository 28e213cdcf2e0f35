"""How review facts read to an officer: Vietnamese action names, short hashes, serious warnings first.

The database keeps English action codes and full sha256 digests (JSON and
``--verbose`` show them whole); people see "phê duyệt" and "3f9a1c07b2e4…".
Times are shown by ``Store.local_time`` ("02/12/2026 06:02").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from broadcast import severity, vnformat
from broadcast.config import Settings

ACTIONS = {
    "build": "dựng bản nháp",
    "edit": "sửa nội dung",
    "approve": "phê duyệt",
    "reject": "từ chối",
    "publish": "phát hành",
    "publish-refused": "không cho phát hành (âm thanh khác bản đã duyệt)",
    "supersede": "thay bằng bản dựng mới",
    "approval-void": "hủy phê duyệt (âm thanh đã đổi)",
    "revoice": "đọc lại bằng giọng trực tuyến khi có mạng trở lại",
}

_DIGEST = re.compile(r"\b[0-9a-f]{64}\b")


def action_name(code: str) -> str:
    return ACTIONS.get(code, code)


def readable(detail: str) -> str:
    """Every sha256 in an audit detail shortened for a phone screen."""
    return _DIGEST.sub(lambda m: vnformat.short_hash(m.group(0)), detail or "")


def filters(settings: Settings) -> dict[str, Callable[..., object]]:
    """Jinja filters for the review site (local times: the store's ``local_time``)."""
    return {"action_name": action_name, "readable": readable,
            "short_hash": vnformat.short_hash, "serious_first": severity.ordered, "is_serious": severity.is_serious}


def warning_lines(warnings: Iterable[str]) -> list[str]:
    return severity.ordered(warnings)
