"""The station's voice, chosen by a person's name (``speech.voice``), and the engine voices behind it.

An officer picks "Hoài My (nữ, miền Bắc)", not "vi-VN-HoaiMyNeural on edge".
Each person names the engine that has the voice, the voice that hosts (and
asks in the hỏi – đáp) and the partner voice that answers. Choosing a person
puts that engine first among the voices tried (``broadcast.speech.make_engines``);
"" keeps ``speech.engines`` and the engine's own voice settings as they are.

This module imports nothing of the project, so the settings table can list
the names as the setting's choices.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    """One voice the station can be read in."""

    name: str        # as the officer sees it, in config and on the site
    about: str       # one sentence for the site: who reads what
    engine: str      # the engine that has this voice
    host: str        # the engine's voice for the host and the question
    partner: str     # its voice for the answer in the hỏi – đáp


PEOPLE: tuple[Person, ...] = (
    Person("Hoài My (nữ, miền Bắc)", "Hoài My dẫn chương trình và đọc câu hỏi; Nam Minh đọc câu trả lời.",
           "edge", "vi-VN-HoaiMyNeural", "vi-VN-NamMinhNeural"),
    Person("Nam Minh (nam, miền Bắc)", "Nam Minh dẫn chương trình và đọc câu hỏi; Hoài My đọc câu trả lời.",
           "edge", "vi-VN-NamMinhNeural", "vi-VN-HoaiMyNeural"),
)

NAMES: tuple[str, ...] = tuple(p.name for p in PEOPLE)
DEFAULT_LABEL = "Mặc định (theo thứ tự giọng trong tệp cấu hình)"


def person(name: str) -> Person | None:
    """The person called ``name``; None for "" (the configured engines and voices)."""
    return next((p for p in PEOPLE if p.name == name), None)


def ordered(engines: list[str], name: str) -> list[str]:
    """``engines`` with the chosen person's engine first (added when missing); unchanged for ""."""
    chosen = person(name)
    if chosen is None:
        return list(engines)
    return [chosen.engine, *(e for e in engines if e != chosen.engine)]
