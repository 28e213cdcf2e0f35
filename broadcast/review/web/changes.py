"""What changed in each segment since the last approved revision (or the first one), word by word.

Shown on the episode page so an approver reads only what is new: removed
words struck through (<del>), added words underlined (<ins>). Escaped text
only: the words come from feeds and editors.
"""

from __future__ import annotations

import difflib
import re

from markupsafe import Markup, escape

from broadcast.review.store import EpisodeRecord, Store

_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> Markup:
    """``new`` with the words that differ from ``old`` marked; whitespace kept as it is in ``new``."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(str(escape("".join(b[j1:j2]))))
            continue
        removed, added = "".join(a[i1:i2]).strip(), "".join(b[j1:j2])
        if removed:
            out.append(f"<del>{escape(removed)}</del>" + (" " if added.strip() else ""))
        if added.strip():
            lead, trail = added[:len(added) - len(added.lstrip())], added[len(added.rstrip()):]
            out.append(f"{lead}<ins>{escape(added.strip())}</ins>{trail}")
        else:
            out.append(added)
    return Markup("".join(out))


def baseline(store: Store, record: EpisodeRecord) -> tuple[str, dict[str, str]]:
    """(what the comparison is against, segment id → its text then)."""
    approved = [d.revision for d in store.decisions(record.id) if d.decision == "approved"]
    revision = approved[-1] if approved else 1
    label = f"bản đã phê duyệt (phiên bản {revision})" if approved else "bản dựng đầu tiên"
    if revision >= record.revision:
        return label, {}
    return label, {s.id: s.text for s in store.segments(record.id, revision)}
