"""How serious a build warning is.

Warnings travel as plain Vietnamese strings (manifest, database, reminder). A
*serious* one starts with ``SERIOUS``: a section lost to input errors, or a
programme far from its slot (under 70 % or over 105 %). The CLI and the review
page show serious warnings first, and ``broadcast build`` exits with
``EXIT_SERIOUS`` so a script can tell.
"""

from __future__ import annotations

from collections.abc import Iterable

SERIOUS = "NGHIÊM TRỌNG: "
EXIT_SERIOUS = 3
SHORTEST = 0.70   # of the slot: a programme this much shorter leaves dead air to fill
LONGEST = 1.05    # of the slot: longer and the next programme is cut


def serious(text: str) -> str:
    return text if is_serious(text) else SERIOUS + text


def is_serious(text: str) -> bool:
    return text.startswith(SERIOUS)


def ordered(warnings: Iterable[str]) -> list[str]:
    """Serious warnings first, each group in its original order."""
    items = list(warnings)
    return [w for w in items if is_serious(w)] + [w for w in items if not is_serious(w)]


def count_serious(warnings: Iterable[str]) -> int:
    return sum(1 for w in warnings if is_serious(w))
