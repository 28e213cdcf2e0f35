"""Intelligibility of each voice, measured by an offline recogniser (viet-asr, the ``[asr]`` extra).

Every sentence of a fixed set (bench/data/sentences.tsv: 40 real administrative sentences of at most
30 words, from government portals and newspapers) is normalised to its spoken form, voiced, encoded to
MP3 the way the programme is (64 kbps mono, the loudspeaker preset), decoded, and transcribed. WER is
pooled over the set: all word errors / all reference words, both lower-cased with punctuation dropped.
Pace is spoken syllables per second of audio (a Vietnamese word is one syllable).

    python bench/intelligibility.py                 # every engine at its configured settings
    python bench/intelligibility.py --search        # tune espeak-ng: one parameter at a time
    python bench/intelligibility.py --demo          # also the demo episode's spoken segments

Every variant's figures are appended to bench/results/intelligibility.jsonl with the date, so the
runs behind the shipped defaults stay on record. Online engines that cannot be reached are reported
as such. A recogniser stands in for a listener; it is not a listening test.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import json
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from common import ROOT  # also puts the project on sys.path

from broadcast.audio.clip import join, silence
from broadcast.audio.ffmpeg import FFMPEG, AudioSegment, decode_mp3, filter_pcm
from broadcast.config import SpeechSettings
from broadcast.errors import BroadcastError
from broadcast.normalize import normalize
from broadcast.speech import ENGINES, Engine
from broadcast.speech.asr import Recognizer, errors, words
from broadcast.speech.espeak import PRESENCE_EQ

SENTENCES = ROOT / "bench" / "data" / "sentences.tsv"
RESULTS = ROOT / "bench" / "results" / "intelligibility.jsonl"
MIN_PACE = 2.0          # syllables per second: slower than this is not an acceptable reading pace
BITRATE = "64k"         # the loudspeaker preset: the worst encoding a listener meets
_CLAUSE = re.compile(r"(?<=[,;:])\s+")

Post = Callable[[AudioSegment], AudioSegment]


def presence_eq(audio: AudioSegment) -> AudioSegment:
    """The engine's own presence EQ (``speech.espeak_eq``), for engines that do not have it."""
    out, _ = filter_pcm(audio, PRESENCE_EQ)
    assert out is not None
    return out


POSTS: dict[str, Post] = {"eq": presence_eq}
# Today's shipped defaults were chosen against these (the defaults before the first search).
BEFORE = {"rate": 140, "espeak_pitch": 40, "espeak_range": 70, "espeak_wordgap": 2, "espeak_clause_ms": 220,
          "espeak_voice": "vi", "espeak_eq": False}


@dataclass(frozen=True)
class Variant:
    """One engine with some settings changed, and optional treatments of its output."""

    engine: str
    changes: dict[str, object] = field(default_factory=dict)
    post: str = ""          # a key of POSTS, or ""
    chunk: bool = False     # voice each clause separately, joined by the clause pause

    @property
    def label(self) -> str:
        parts = [self.engine, *(f"{k.removeprefix('espeak_')}={v}" for k, v in self.changes.items())]
        if self.post:
            parts.append(f"post={self.post}")
        if self.chunk:
            parts.append("chunk")
        return " ".join(parts)


def load_sentences(limit: int | None = None, every: int = 1) -> list[str]:
    with SENTENCES.open(encoding="utf-8", newline="") as f:
        written = [row["sentence"] for row in csv.DictReader(f, delimiter="\t")]
    chosen = written[::every][:limit]
    return [normalize(s) for s in chosen]


def demo_segments() -> list[str]:
    """Spoken text of the demo episode's segments, paragraph by paragraph."""
    from broadcast.config import load_settings
    from broadcast.pipeline import compose_script, gather_material

    settings = load_settings(None)
    day = dt.date(2026, 11, 27)
    script = compose_script(gather_material(settings, day, history=None, log=None), settings, day).script
    return [p for seg in script.segments for p in (seg.spoken or seg.text).split("\n\n") if p.strip()]


def mp3_round_trip(audio: AudioSegment) -> AudioSegment:
    """Encode like the programme (libmp3lame, 44.1 kHz mono) and decode again."""
    clip = audio.set_frame_rate(44100).set_channels(1).set_sample_width(2)
    result = subprocess.run([FFMPEG, "-hide_banner", "-nostdin", "-f", "s16le", "-ar", "44100", "-ac", "1",
                             "-i", "pipe:0", "-c:a", "libmp3lame", "-b:a", BITRATE, "-f", "mp3", "pipe:1"],
                            input=clip.raw_data, capture_output=True, check=True)
    return decode_mp3(result.stdout)


def voice(engine: Engine, variant: Variant, text: str) -> AudioSegment:
    pieces = _CLAUSE.split(text) if variant.chunk else [text]
    clips: list[AudioSegment] = []
    for piece in pieces:
        clip = engine.synthesize(piece).set_sample_width(2).set_frame_rate(22050).set_channels(1)
        if clips:
            clips.append(silence(engine.settings.espeak_clause_ms, 22050, 1))
        clips.append(clip)
    audio = join(clips)
    return POSTS[variant.post](audio) if variant.post else audio


@dataclass
class Score:
    label: str
    words: int = 0
    errors: int = 0
    seconds: float = 0.0
    failed: str = ""
    samples: list[tuple[str, str]] = field(default_factory=list)

    @property
    def wer(self) -> float:
        return self.errors / self.words if self.words else float("nan")

    @property
    def pace(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0


def measure(variant: Variant, sentences: list[str], recognizer: Recognizer) -> Score:
    base = SpeechSettings(engines=[variant.engine], retries=1, timeout_s=5.0)
    settings = dataclasses.replace(base, **variant.changes)  # type: ignore[arg-type]
    engine = ENGINES[variant.engine](settings)
    score = Score(variant.label)
    why = engine.disabled_message()
    if why:
        score.failed = why
        return score
    for text in sentences:
        try:
            audio = mp3_round_trip(voice(engine, variant, text))
        except BroadcastError as exc:
            score.failed = str(exc)
            return score
        heard = recognizer.transcribe(audio)
        score.words += len(words(text))
        score.errors += errors(text, heard)
        score.seconds += len(audio) / 1000
        if len(score.samples) < 2:
            score.samples.append((text, heard))
    return score


def record(score: Score, variant: Variant, sentences: int, tag: str) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    row = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "tag": tag, "label": score.label,
           "engine": variant.engine, "changes": variant.changes, "post": variant.post, "chunk": variant.chunk,
           "sentences": sentences, "words": score.words, "errors": score.errors,
           "wer": round(score.wer, 4) if score.words else None, "pace_syll_s": round(score.pace, 3),
           "bitrate": BITRATE, "failed": score.failed}
    with RESULTS.open("a", encoding="utf-8") as f:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")


def show(score: Score) -> None:
    if score.failed:
        print(f"{score.label:<58} không chạy được: {score.failed}", flush=True)
        return
    slow = "" if score.pace >= MIN_PACE else "  (quá chậm)"
    print(f"{score.label:<58} WER {score.wer:6.1%}  {score.pace:4.2f} âm tiết/giây{slow}", flush=True)


def run(variants: list[Variant], sentences: list[str], recognizer: Recognizer, tag: str) -> list[Score]:
    scores = []
    for variant in variants:
        score = measure(variant, sentences, recognizer)
        show(score)
        record(score, variant, len(sentences), tag)
        scores.append(score)
    return scores


# The search, one parameter at a time from the current best (coordinate descent): the grid of all
# combinations would take hours of recognition on two cores.
AXES: list[tuple[str, list[object]]] = [
    ("espeak_voice", ["vi", "vi-vn-x-central", "vi-vn-x-south"]),
    ("rate", [110, 125, 140, 155, 170]),
    ("espeak_pitch", [30, 40, 50]),
    ("espeak_range", [50, 70, 85]),
    ("espeak_wordgap", [0, 2, 5]),
    ("espeak_clause_ms", [0, 220, 400]),
]
SEARCH_EVERY = 5     # the search listens to one sentence in five; the winner is then checked on all


def search(sentences: list[str], recognizer: Recognizer) -> Variant:
    best = Variant("espeak", dict(BEFORE))
    best_score = measure(best, sentences, recognizer)
    show(best_score)
    record(best_score, best, len(sentences), "search")

    def better(score: Score) -> bool:
        return score.pace >= MIN_PACE and score.wer < best_score.wer

    for key, values in AXES:
        for value in values:
            if best.changes.get(key, getattr(SpeechSettings(), key)) == value:
                continue
            candidate = dataclasses.replace(best, changes={**best.changes, key: value})
            score = run([candidate], sentences, recognizer, "search")[0]
            if better(score):
                best, best_score = candidate, score
    for treatment in ({"chunk": True}, {"changes": {**best.changes, "espeak_eq": True}}):
        candidate = dataclasses.replace(best, **treatment)  # type: ignore[arg-type]
        score = run([candidate], sentences, recognizer, "search")[0]
        if better(score):
            best, best_score = candidate, score
    print(f"\nTốt nhất trên tập dò: {best.label} (WER {best_score.wer:.1%})", flush=True)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--search", action="store_true", help="tune espeak-ng, then compare on the full set")
    parser.add_argument("--demo", action="store_true", help="also score the demo episode's segments")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N sentences")
    parser.add_argument("--engines", default=",".join(ENGINES), help="engines to score, comma-separated")
    parser.add_argument("--compare", default="", help="JSON settings of a second espeak variant to compare")
    args = parser.parse_args(argv)
    why = Recognizer.disabled_message()
    if why:
        print(f"Bỏ qua: {why}")
        return 0
    recognizer = Recognizer()
    sentences = load_sentences(args.limit)
    started = time.perf_counter()
    if args.search:
        subset = sentences[::SEARCH_EVERY]
        print(f"Dò tham số espeak-ng trên {len(subset)} câu (một câu trong {SEARCH_EVERY}):", flush=True)
        best = search(subset, recognizer)
        print(f"\nSo sánh trên cả {len(sentences)} câu:", flush=True)
        run([Variant("espeak", dict(BEFORE)), best],
            sentences, recognizer, "final")
    else:
        variants = [Variant(name) for name in args.engines.split(",") if name]
        if "espeak" in args.engines.split(","):
            variants.append(Variant("espeak", dict(BEFORE)))   # the defaults before tuning, for comparison
        if args.compare:
            variants.append(Variant("espeak", json.loads(args.compare)))
        print(f"{len(sentences)} câu, MP3 {BITRATE}:", flush=True)
        run(variants, sentences, recognizer, "report")
        if args.demo:
            segments = demo_segments()
            print(f"\nBản mẫu: {len(segments)} đoạn văn:", flush=True)
            run([Variant("espeak"), Variant("espeak", dict(BEFORE))], segments, recognizer, "demo")
    print(f"\n({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
