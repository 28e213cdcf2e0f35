"""Speak stage: spoken segments → checked audio clips, with engine fallback.

A segment is voiced whole by one engine, the first in configured order that
succeeds; the engine used is recorded. An engine that reports itself
unavailable (network down) is skipped for the rest of the build, so an outage
costs one failed attempt, not one per segment; only a segment it has already
voiced whole (every sentence in the cache) is still read in its voice, so the
recurring parts keep the online voice through an outage.

Within a segment each paragraph is read by the engine's voice for its role
(``Segment.roles``: the hỏi – đáp question in one voice, the answer in another,
where the engine has two).

Speed: sentences are cached (``AudioCache``), and so are finished clips
(keyed by every voice, sentence and setting in them), so a rebuild processes
only the segments that changed. Before the segments are
voiced in order, ``prefetch`` asks the first online engine for every sentence
not yet cached with a few requests in flight at once (``concurrency``) and a
polite minimum interval between requests (``Throttle``). Voicing then runs in
script order from the cache, so the output does not depend on which request
finished first. An offline engine is asked only a few sentences ahead of the
voicing (``Window``), on two threads: espeak-ng reads under its own lock, but
its equaliser (an ffmpeg process per sentence) then runs beside the next one.
"""

from __future__ import annotations

import dataclasses
import json
import re
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from broadcast.audio import dynamics, loudness
from broadcast.audio.clip import check_clip, conform, edges, join, level, silence
from broadcast.audio.ffmpeg import AudioSegment
from broadcast.errors import AudioError, BroadcastError, SpeechError
from broadcast.models import Segment, TakeNote
from broadcast.speech.cache import AudioCache
from broadcast.speech.engine import Engine, EngineUnavailable
from broadcast.speech.pacing import Throttle, Window
from broadcast.speech.takes import RECORDED, Take, TakeBank, as_manifest

Progress = Callable[[int, int, Segment, str], None]

_SENTENCE_END = re.compile(r"(?<=[.!?;:…])\s+|\n+")
_PARAGRAPH = re.compile(r"\n\s*\n")
CLIP_VERSION = 1   # bump when the clip processing changes, so old finished clips are not reused
OFFLINE_AHEAD = 8     # sentences an offline engine may read ahead of the voicing (memory stays small)
OFFLINE_THREADS = 2   # one per core: the engine on one, its equaliser's ffmpeg on the other


def sentences(spoken: str) -> list[str]:
    """Split spoken text where a voice would pause anyway."""
    return [s.strip() for s in _SENTENCE_END.split(spoken) if s.strip() and re.search(r"\w", s)]


def parts_by_role(segment: Segment) -> list[tuple[str, str]]:
    """(role, spoken paragraph) pairs; one "main" part when roles do not fit the text."""
    spoken = segment.spoken or segment.text
    paragraphs = [p for p in _PARAGRAPH.split(spoken.strip()) if p.strip()]
    if segment.roles and len(segment.roles) == len(paragraphs):
        return list(zip(segment.roles, paragraphs, strict=True))
    return [("main", spoken)]


@dataclass
class Voicing:
    """Result of voicing one segment."""

    audio: AudioSegment
    engine: str
    warnings: list[str] = field(default_factory=list)
    key: str | None = None      # the finished clip's cache key: same key, same sound
    finished: bool = True       # False: raw engine audio, still to be level-matched (``Speaker.complete``)
    gain_db: float | None = None  # the level-matching gain, when this run computed it
    recorded: list[TakeNote] = field(default_factory=list)  # the officer's takes in it: who, when


@dataclass
class Speaker:
    """Voices segments with the engines in order, remembering which are down."""

    engines: list[Engine]
    sample_rate: int
    channels: int
    sentence_pause_ms: int
    cache: AudioCache = field(default_factory=lambda: AudioCache(None))
    takes: TakeBank = field(default_factory=lambda: TakeBank(None))   # recorded takes win over any engine
    down: dict[str, str] = field(default_factory=dict)
    loudness_target: float | None = None    # LUFS each clip is brought to; None: peak-level only
    true_peak: float = -2.1                  # dBTP ceiling for a clip
    fade_ms: int = 0
    paragraph_pause_ms: int = 600           # between a question and its answer
    concurrency: int = 1
    min_interval_s: float = 0.0
    _memo: dict[str, AudioSegment] = field(default_factory=dict, repr=False)
    _throttles: dict[str, Throttle] = field(default_factory=dict, repr=False)
    _unreported: list[str] = field(default_factory=list, repr=False)   # outages met while prefetching
    _inflight: dict[str, Future[None]] = field(default_factory=dict, repr=False)  # sentences being fetched
    _pool: ThreadPoolExecutor | None = field(default=None, repr=False)
    _window: Window | None = field(default=None, repr=False)   # an offline prefetch's, and its job order
    _order: dict[str, int] = field(default_factory=dict, repr=False)

    def _throttle(self, engine: Engine) -> Throttle:
        if engine.name not in self._throttles:
            self._throttles[engine.name] = Throttle(self.min_interval_s)
        return self._throttles[engine.name]

    def sentence(self, engine: Engine, text: str) -> AudioSegment:
        """One sentence from the cache, or from the engine (then cached).

        A sentence the prefetch is still fetching is waited for, not asked for twice.
        """
        key = self.cache.key(engine.identity(), text)
        pending = self._inflight.get(key)
        if pending is not None:
            if self._window is not None:
                self._window.ask(self._order[key])
            pending.result()   # fetch() never raises: a failure is retried below and reported by voice
        return self._sentence(engine, text, key)

    def _sentence(self, engine: Engine, text: str, key: str) -> AudioSegment:
        audio = self._memo.pop(key, None)
        if audio is None:
            audio = self.cache.get(key)
        if audio is None:
            if engine.online:
                self._throttle(engine).wait()
            audio = engine.synthesize(text)
            self.cache.put(key, audio)
        return audio

    def plan(self, segment: Segment, engine: Engine) -> list[tuple[Engine, str]]:
        """Every (voice, sentence) this engine would be asked for to read the segment."""
        return [(engine.for_role(role), s) for role, paragraph in parts_by_role(segment)
                for s in sentences(paragraph)]

    def prefetch(self, segments: list[Segment]) -> None:
        """Start fetching uncached sentences of the first available online engine, several at a time.

        Only a warm-up, running in the background in script order while the
        caller voices and finishes the first segments (``sentence`` waits for
        one still in flight); ``end_prefetch`` waits for the rest. A failed
        sentence is left for ``voice`` to retry and report; an unreachable
        service marks the engine down at once.
        """
        engine = next((e for e in self.engines if e.name not in self.down), None)
        if engine is None:
            return
        jobs: dict[str, tuple[Engine, str]] = {}
        for segment in segments:
            if self.cache.has(self.clip_key(segment, engine), ".wav"):
                continue
            for voice, text in self.plan(segment, engine):
                key = self.cache.key(voice.identity(), text)
                if key not in jobs and not self.cache.has(key):
                    jobs[key] = (voice, text)
        if not jobs:
            return
        if not engine.online:
            self._read_ahead(list(jobs.items()))
            return
        stop = threading.Event()
        lock = threading.Lock()

        def fetch(key: str, voice: Engine, text: str) -> None:
            if stop.is_set():
                return
            try:
                audio = self._sentence(voice, text, key)
            except EngineUnavailable as exc:
                with lock:
                    if not stop.is_set():
                        stop.set()
                        self.down[engine.name] = str(exc)
                        self._unreported.append(f"{engine.name}: {exc}")
                return
            except BroadcastError:
                return
            if self.cache.folder is None:
                self._memo[key] = audio

        # The first request goes alone: if the service is down, that one request (and its retries) is
        # all the outage costs, as without prefetching; only then do the others go several at a time.
        items = list(jobs.items())
        first_key, (first_voice, first_text) = items[0]
        fetch(first_key, first_voice, first_text)
        if stop.is_set() or len(items) == 1:
            return
        self._pool = ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="tts")
        for key, (voice, text) in items[1:]:
            self._inflight[key] = self._pool.submit(fetch, key, voice, text)

    def _read_ahead(self, items: list[tuple[str, tuple[Engine, str]]]) -> None:
        """An offline engine's sentences, a few ahead of the voicing, on ``OFFLINE_THREADS`` threads."""
        window = self._window = Window(OFFLINE_AHEAD)
        self._order = {key: index for index, (key, _) in enumerate(items)}

        def fetch(index: int, key: str, voice: Engine, text: str) -> None:
            if not window.wait(index):
                return
            try:
                audio = self._sentence(voice, text, key)
            except BroadcastError:
                return   # ``voice`` asks again and reports it
            if self.cache.folder is None:
                self._memo[key] = audio

        self._pool = ThreadPoolExecutor(max_workers=OFFLINE_THREADS, thread_name_prefix="offline")
        for index, (key, (voice, text)) in enumerate(items):
            self._inflight[key] = self._pool.submit(fetch, index, key, voice, text)

    def end_prefetch(self) -> None:
        """Wait for the background fetches (or let them stop, after an error) and release the threads."""
        if self._window is not None:
            self._window.close()   # what an offline engine has not read yet is not needed any more
            self._window = None
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        self._inflight.clear()

    def _voice_parts(self, engine: Engine, parts: list[tuple[str, str]], used: list[Take]) -> AudioSegment:
        """The parts, sentence by sentence: a recorded take where the phrase bank has one, else ``engine``."""
        pieces: list[AudioSegment] = []
        pause = silence(self.sentence_pause_ms, self.sample_rate, self.channels)
        turn = silence(self.paragraph_pause_ms, self.sample_rate, self.channels)
        previous_role = None
        for role, paragraph in parts:
            voice = engine.for_role(role)
            for sentence in sentences(paragraph):
                if pieces:
                    pieces.append(turn if role != previous_role else pause)
                take = self.takes.find(sentence)
                if take is not None:
                    used.append(take)
                    clip = self.takes.audio(take)
                else:
                    clip = self.sentence(voice, sentence)
                pieces.append(conform(clip, self.sample_rate, self.channels))
                previous_role = role
        if not pieces:
            raise SpeechError("Đoạn này không có chữ nào để đọc.")
        return join(pieces)

    def clip_key(self, segment: Segment, engine: Engine) -> str:
        """Key of the finished clip: every voice, sentence and setting that shapes it."""
        plan = [(role, engine.for_role(role).identity(),
                 [(s, self._take_mark(s)) for s in sentences(paragraph)])
                for role, paragraph in parts_by_role(segment)]
        shape = (f"clip:v{CLIP_VERSION}:{dynamics.DYNAMICS_VERSION}:{self.sample_rate}:"
                 f"{self.channels}:{self.sentence_pause_ms}:{self.paragraph_pause_ms}:{self.loudness_target}:"
                 f"{self.true_peak}:{self.fade_ms}")
        return self.cache.key(shape, json.dumps(plan, ensure_ascii=False))

    def from_cache_only(self, segment: Segment, engine: Engine) -> bool:
        """Whether ``engine`` can voice the whole segment without being asked: its finished clip, or every
        sentence, is in the cache (or recorded). So a recurring part keeps the online voice through an outage."""
        if self.cache.has(self.clip_key(segment, engine), ".wav"):
            return True
        return all(self.takes.find(text) is not None or self.cache.has(self.cache.key(voice.identity(), text))
                   for voice, text in self.plan(segment, engine))

    def _take_mark(self, text: str) -> str:
        """What identifies the take that would read ``text`` ("" for none): a new take, a new clip."""
        take = self.takes.find(text)
        return "" if take is None else f"{RECORDED}:{take.key}:r{take.revision}"

    def recorded(self, segment: Segment) -> Voicing | None:
        """The segment as the officer recorded it whole, if there is such a take."""
        take = self.takes.find(segment.spoken or segment.text)
        if take is None:
            return None
        key = self.cache.key(f"clip:v{CLIP_VERSION}:{self.loudness_target}:{self.true_peak}:{self.fade_ms}:"
                             f"{self.sample_rate}:{self.channels}", self._take_mark(take.text))
        audio = conform(self.takes.audio(take), self.sample_rate, self.channels)
        return Voicing(audio=audio, engine=RECORDED, key=key, finished=False, recorded=[as_manifest(take)])

    def finish(self, audio: AudioSegment, *, gain_hint: float | None = None) -> tuple[AudioSegment, float | None]:
        """Level-match the clip (every engine equally loud) and soften its edges; return the gain used."""
        gain = None
        if self.loudness_target is None:
            audio = level(audio)
        else:
            audio, gain = loudness.match_gain(audio, self.loudness_target, self.true_peak, gain=gain_hint)
        return edges(audio, self.fade_ms), gain

    def complete(self, voicing: Voicing, *, gain_hint: float | None = None) -> Voicing:
        """Level-match a voicing left unfinished (safe on a worker thread; numpy lets go of the GIL).

        ``gain_hint`` is the gain of the clip this one replaces (an edit): the gain search starts there.
        """
        if voicing.finished:
            return voicing
        audio, gain = self.finish(voicing.audio, gain_hint=gain_hint)
        if voicing.key is not None:
            self.cache.put(voicing.key, audio)
        return dataclasses.replace(voicing, audio=audio, finished=True, gain_db=gain)

    def voice(self, segment: Segment, *, finish: bool = True) -> Voicing:
        """Voice a segment with the first engine that works; raise SpeechError if none does.

        With ``finish=False`` the level-matching is left to ``complete``, so the
        caller can run it on another core while the next segment is voiced.
        """
        problems, self._unreported = self._unreported, []
        spoken = segment.spoken or segment.text
        whole = self.recorded(segment)
        if whole is not None:
            return self.complete(whole) if finish else whole
        for engine in self.engines:
            if engine.name in self.down and not (engine.online and self.from_cache_only(segment, engine)):
                continue
            key = self.clip_key(segment, engine)
            cached = self.cache.get(key)
            if cached is not None:
                takes = [t for _, p in parts_by_role(segment) for s in sentences(p) if (t := self.takes.find(s))]
                return Voicing(audio=cached, engine=engine.name, key=key, recorded=[as_manifest(t) for t in takes],
                               warnings=[f"Đoạn {segment.id}: giọng {p}" for p in problems])
            used: list[Take] = []
            try:
                audio = self._voice_parts(engine, parts_by_role(segment), used)
                check_clip(audio, spoken, what=f"Đoạn {segment.id} ({engine.name})")
            except EngineUnavailable as exc:
                self.down[engine.name] = str(exc)
                problems.append(f"{engine.name}: {exc}")
                continue
            except (SpeechError, AudioError) as exc:
                problems.append(f"{engine.name}: {exc}")
                continue
            warnings = [f"Đoạn {segment.id}: giọng {p}" for p in problems]
            raw = Voicing(audio=audio, engine=engine.name, warnings=warnings, key=key, finished=False,
                          recorded=[as_manifest(t) for t in used])
            return self.complete(raw) if finish else raw
        raise SpeechError(f"Không giọng đọc nào đọc được đoạn {segment.id}: " + " | ".join(problems))
