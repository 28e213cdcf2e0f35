"""What ``broadcast init`` asks, and how an officer's answers become settings.

Officers name weekdays the Vietnamese way: thứ 2 is Monday … thứ 7 is Saturday,
CN is Sunday. Cron counts 1 = Monday … 0 = Sunday, so "2,4,6" becomes "1,3,5".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from broadcast.errors import ConfigError


@dataclass(frozen=True)
class Answers:
    """One commune's answers to the questions of ``broadcast init``."""

    commune: str = "xã Đức Hạnh"
    station: str = ""
    dialect: str = "north"
    times: tuple[str, ...] = ("05:30", "16:45")
    days: tuple[int, ...] = (1, 3, 5)       # cron weekdays
    minutes: float = 10.0

    @property
    def station_name(self) -> str:
        return self.station or f"Đài truyền thanh {self.commune}"

    def publish_cron(self) -> list[str]:
        days = ",".join(str(d) for d in self.days)
        out = []
        for text in self.times:
            hour, minute = text.split(":")
            out.append(f"{int(minute)} {int(hour)} * * {days}")
        return out

    def build_cron(self) -> str:
        """Build the draft two days before the first airing day, at 14:00 (time to review)."""
        first = min(d if d else 7 for d in self.days)
        return f"0 14 * * {(first - 2) % 7}"

    def remind_cron(self) -> list[str]:
        build_day = int(self.build_cron().split()[-1])
        return [f"0 16 * * {build_day}", f"0 8 * * {(build_day + 1) % 7}"]


def parse_dialect(text: str) -> str:
    plain = text.strip().casefold()
    if plain in ("north", "bac", "bắc", "miền bắc", "mien bac", "b", ""):
        return "north"
    if plain in ("south", "nam", "miền nam", "mien nam", "n"):
        return "south"
    raise ConfigError(f"Vùng đọc số {text!r} không hợp lệ. Hãy trả lời \"bắc\" (nghìn, lẻ) hoặc \"nam\" (ngàn, linh).")


def parse_times(text: str) -> tuple[str, ...]:
    found = []
    for part in re.split(r"[,;\s]+", text.strip()):
        if not part:
            continue
        match = re.fullmatch(r"(\d{1,2})(?:[:hg](\d{2})?)?", part.lower())
        if not match or int(match.group(1)) > 23 or int(match.group(2) or 0) > 59:
            raise ConfigError(f"Giờ phát {part!r} không hợp lệ. Hãy viết dạng giờ:phút, ví dụ \"05:30, 16:45\".")
        found.append(f"{int(match.group(1)):02d}:{int(match.group(2) or 0):02d}")
    if not found:
        raise ConfigError("Cần ít nhất một giờ phát, ví dụ \"05:30, 16:45\".")
    return tuple(found)


def parse_days(text: str) -> tuple[int, ...]:
    """'2,4,6' (thứ Hai, Tư, Sáu) or 'CN' → cron weekdays (1 = Monday … 0 = Sunday)."""
    days: list[int] = []
    for part in re.split(r"[,;\s]+", text.strip()):
        plain = part.casefold().removeprefix("thứ").removeprefix("t").strip()
        if not plain:
            continue
        if plain in ("cn", "chủ nhật", "chu nhat", "8"):
            day = 0
        elif plain.isdigit() and 2 <= int(plain) <= 7:
            day = int(plain) - 1
        else:
            raise ConfigError(f"Ngày phát {part!r} không hợp lệ. Hãy viết các thứ trong tuần, ví dụ \"2,4,6\" "
                              f"(thứ Hai, thứ Tư, thứ Sáu) hoặc \"CN\" cho Chủ nhật.")
        if day not in days:
            days.append(day)
    if not days:
        raise ConfigError("Cần ít nhất một ngày phát, ví dụ \"2,4,6\".")
    return tuple(sorted(days, key=lambda d: d or 7))


def parse_minutes(text: str) -> float:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        value = 0
    if not 1 <= value <= 120:
        raise ConfigError(f"Thời lượng {text!r} không hợp lệ. Hãy ghi số phút từ 1 đến 120, ví dụ 10.")
    return value
