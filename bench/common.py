"""Shared pieces of the benchmarks: a synthetic script, settings, a timer."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from broadcast.config import Settings, override  # noqa: E402
from broadcast.models import Script, Segment  # noqa: E402

DAY = dt.date(2026, 11, 27)

# Sentence shapes of a CCHC column; numbered so every sentence is distinct (no accidental cache hits).
_SHAPES = (
    "Trong tháng {n}, bộ phận một cửa của xã đã tiếp nhận thêm nhiều hồ sơ thủ tục hành chính.",
    "Bà con có thể nộp hồ sơ trực tuyến trên cổng dịch vụ công quốc gia, số {n}.",
    "Cán bộ tư pháp hộ tịch hướng dẫn người dân đăng ký khai sinh cho trẻ em, lượt {n}.",
    "Ủy ban nhân dân xã đề nghị các thôn thông báo rộng rãi nội dung này, mục {n}.",
    "Việc thanh toán không dùng tiền mặt giúp người dân tiết kiệm thời gian đi lại, ý {n}.",
    "Mọi thắc mắc xin liên hệ bộ phận tiếp nhận và trả kết quả trong giờ hành chính, phần {n}.",
)


def script(segments: int, sentences_per_segment: int, *, start: int = 1) -> Script:
    """A script of ``segments`` × ``sentences_per_segment`` distinct sentences."""
    parts = []
    n = start
    for k in range(segments):
        lines = []
        for _ in range(sentences_per_segment):
            lines.append(_SHAPES[n % len(_SHAPES)].format(n=n))
            n += 1
        text = " ".join(lines)
        parts.append(Segment(f"doan-{k + 1}", f"Đoạn {k + 1}", text, spoken=text))
    return Script(date=DAY, column="Cải cách hành chính", segments=tuple(parts))


def settings(folder: Path, **values: object) -> Settings:
    """Defaults with output under ``folder``; ``section__key=value`` overrides."""
    s = override(Settings(), "output.folder", folder / "out")
    s = override(s, "speech.cache", folder / "cache")
    for dotted, value in values.items():
        s = override(s, dotted.replace("__", "."), value)
    return dataclasses.replace(s)


class Timer:
    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start
