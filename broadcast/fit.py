"""Fit the programme to its slot before any voice is spent on it.

The loudspeakers have a fixed slot (``column.target_minutes``). Each segment's
spoken length is estimated from its spoken form: syllables at the voice's
rate, plus the pauses between sentences and segments and the two jingles.
While the estimate is over the target, the least important item goes: the
oldest news first (keeping one), then the last FAQ entries (keeping one). The
script is recomposed each time so the opening still announces what follows.
After synthesis the pipeline records the measured length beside the estimate.

The rate was measured, not guessed: espeak-ng's Vietnamese voice at rate 150
spoke 127 real sentences (2,434 syllables, no digits) from
../shared/data/sentences.tsv and faq.jsonl in 735.2 s, i.e. 3.31 syllables per
second, with no fixed cost per sentence (least-squares intercept −0.03 s).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from broadcast import vnformat
from broadcast.models import FitRecord, Gathered, Script

SYLLABLES_PER_SECOND_AT_150 = 3.31
_SENTENCE_END = re.compile(r"(?<=[.!?;:…])\s+|\n+")
_WORD = re.compile(r"[^\W\d_]+|\d+")


@dataclass(frozen=True)
class Timing:
    """What besides speech takes time on air."""

    rate: int = 150                 # espeak words (syllables) per minute setting
    sentence_pause_ms: int = 350
    segment_pause_ms: int = 900
    jingle: bool = True


@lru_cache(maxsize=1)
def jingle_seconds() -> float:
    """Length of one generated jingle (the same at every sample rate)."""
    from broadcast.audio.clip import jingle

    return len(jingle(8000, 1)) / 1000


def syllables(spoken: str) -> float:
    """Syllables in spoken text; a leftover digit group counts 1.5 per digit ("hai trăm")."""
    count = 0.0
    for token in _WORD.findall(spoken):
        count += 1.5 * len(token) if token.isdigit() else 1
    return count


def speech_seconds(spoken: str, timing: Timing) -> float:
    """Estimated length of one segment's spoken text, sentence pauses included."""
    sentences = [s for s in _SENTENCE_END.split(spoken) if re.search(r"\w", s)]
    rate = SYLLABLES_PER_SECOND_AT_150 * timing.rate / 150
    return syllables(spoken) / rate + max(len(sentences) - 1, 0) * timing.sentence_pause_ms / 1000


def estimate(script: Script, timing: Timing) -> float:
    """Estimated length of the whole programme, jingles and pauses included, in seconds."""
    parts = [speech_seconds(s.spoken or s.text, timing) for s in script.segments]
    pauses = max(len(parts) - 1, 0) + (2 if timing.jingle else 0)
    jingles = 2 * jingle_seconds() if timing.jingle else 0.0
    return sum(parts) + pauses * timing.segment_pause_ms / 1000 + jingles


@dataclass(frozen=True)
class Fit:
    """The script that fits, what it cost, and the numbers behind it."""

    gathered: Gathered
    script: Script
    target_s: float
    estimated_s: float
    dropped: tuple[str, ...] = ()

    def warnings(self) -> list[str]:
        out = []
        if self.dropped:
            out.append(f"Để vừa thời lượng {vnformat.duration(self.target_s)}, đã bỏ bớt: {'; '.join(self.dropped)}.")
        if self.estimated_s > self.target_s:
            out.append(f"Chương trình ước tính dài {vnformat.duration(self.estimated_s)}, vẫn vượt thời lượng "
                       f"{vnformat.duration(self.target_s)}. Hãy rút gọn nội dung khi duyệt.")
        return out

    def record(self, measured_s: float) -> FitRecord:
        """The manifest's ``fit`` block: target, estimate, measured, what was dropped."""
        return FitRecord(target_s=round(self.target_s, 1), estimated_s=round(self.estimated_s, 1),
                         measured_s=round(measured_s, 1), error_s=round(measured_s - self.estimated_s, 1),
                         dropped=self.dropped)




def _drop_one(gathered: Gathered) -> tuple[Gathered, str] | None:
    """The gathered material less its least important item, or None when only the core is left."""
    if len(gathered.news) > 1:
        item = gathered.news[-1]
        return dataclasses.replace(gathered, news=gathered.news[:-1]), f"tin \"{item.title[:60]}\""
    if len(gathered.faq) > 1:
        entry = gathered.faq[-1]
        return dataclasses.replace(gathered, faq=gathered.faq[:-1]), f"hỏi – đáp \"{entry.id}\""
    return None


def fit(gathered: Gathered, make_script: Callable[[Gathered], Script], *, target_s: float,
        timing: Timing) -> Fit:
    """Drop the least important items until the estimated programme fits ``target_s``."""
    script = make_script(gathered)
    seconds = estimate(script, timing)
    dropped: list[str] = []
    while seconds > target_s:
        smaller = _drop_one(gathered)
        if smaller is None:
            break
        gathered, what = smaller
        dropped.append(what)
        script = make_script(gathered)
        seconds = estimate(script, timing)
    return Fit(gathered=gathered, script=script, target_s=target_s, estimated_s=seconds, dropped=tuple(dropped))
