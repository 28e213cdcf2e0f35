"""What the approver reads: people's names for the voices, and warnings in plain Vietnamese.

The build's warnings are written for whoever fixes things ("Edge TTS: không kết
nối được (ClientConnectorDNSError)", once per re-voiced segment). The approver
needs one plain sentence per kind of problem; the technical lines stay
available, folded, for the person who fixes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

VOICE_NAMES = {
    "edge": "Giọng Microsoft",
    "gtts": "Giọng Google",
    "espeak": "Giọng dự phòng (máy tính đọc)",
    "recorded": "Giọng cán bộ tự thu",
    "fake": "Giọng thử nghiệm",
}


def voice_name(engine: str) -> str:
    """'espeak' → 'Giọng dự phòng (máy tính đọc)'; an unknown engine keeps its name."""
    return VOICE_NAMES.get(engine.split(":", 1)[0], f"Giọng {engine}")


@dataclass(frozen=True)
class PlainWarning:
    text: str                       # one plain sentence for the approver
    details: tuple[str, ...] = ()   # the technical lines it stands for


# (pattern on the technical line, the plain sentence that replaces every line it matches)
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"không kết nối được|chuyển sang giọng dự phòng|ClientConnector|gTTSError|Failed to connect", re.I),
     "Không có Internet nên một số đoạn được đọc bằng giọng dự phòng của máy tính. Khi có mạng, có thể đọc lại "
     "bằng giọng Google hoặc Microsoft."),
    (re.compile(r"HTTP (429|5\d\d)", re.I),
     "Máy chủ giọng đọc trực tuyến đang bận nên một số đoạn được đọc bằng giọng dự phòng."),
)


def plain_warnings(warnings: Iterable[str]) -> list[PlainWarning]:
    """One entry per kind of problem, in the order first seen; identical lines shown once."""
    out: dict[str, list[str]] = {}
    for line in warnings:
        line = line.strip()
        if not line:
            continue
        key = next((plain for pattern, plain in _RULES if pattern.search(line)), line)
        details = out.setdefault(key, [])
        if key != line and line not in details:
            details.append(line)
    return [PlainWarning(text, tuple(details)) for text, details in out.items()]
