"""One item on every output at once, and the one rule of the air: an urgent notice goes first.

``OnAir.air`` checks the file against its approved sha256 immediately before
playing (a changed file is refused and logged, nothing plays), then starts every
output on its own thread: the sound card needs no network, so an Icecast server
that cannot be reached costs the stream only — it is logged, retried
``retries`` times ``retry_wait_s`` apart, and the loudspeakers keep playing.

Pre-emption: ``OnAir.air(..., urgent=True)`` asks what is playing to stop (the
sound card fades out over two seconds, the stream ends), waits for it, then
plays the notice on every output. The interrupted item is logged
``interrupted`` and is not resumed; items queued behind it (the rest of a slot)
play after the notice.
"""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import dataclass

from broadcast.errors import OnAirError, OutputError
from broadcast.files import sha256
from broadcast.onair.items import Item
from broadcast.onair.log import FAILED, INTERRUPTED, PLAYED, REFUSED, AsPlayedLog
from broadcast.onair.outputs import Output

LOG = logging.getLogger("broadcast.onair")


@dataclass(frozen=True)
class OutputResult:
    output: str
    result: str
    attempts: int
    seconds: float
    detail: str = ""


@dataclass(frozen=True)
class Report:
    item: Item
    results: tuple[OutputResult, ...]

    @property
    def played(self) -> bool:
        return any(r.result == PLAYED for r in self.results)

    @property
    def interrupted(self) -> bool:
        return any(r.result == INTERRUPTED for r in self.results)


@dataclass(frozen=True)
class Retry:
    retries: int = 3
    wait_s: float = 5.0


class OnAir:
    """The air of one process: one item at a time, urgent notices first."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._busy = False
        self._urgent_waiting = 0
        self._stop: threading.Event | None = None

    def air(self, item: Item, outputs: list[Output], log: AsPlayedLog, *, slot: str = "",
            retry: Retry | None = None, urgent: bool = False) -> Report:
        with self._cond:
            if urgent:
                self._urgent_waiting += 1
                if self._stop is not None:
                    self._stop.set()
            try:
                while self._busy or (not urgent and self._urgent_waiting):
                    self._cond.wait()
            finally:
                if urgent:
                    self._urgent_waiting -= 1
            self._busy = True
            stop = self._stop = threading.Event()
        try:
            return _air(item, outputs, log, slot, retry or Retry(), stop)
        finally:
            with self._cond:
                self._busy = False
                self._stop = None
                self._cond.notify_all()

    def busy(self) -> bool:
        with self._cond:
            return self._busy


ON_AIR = OnAir()   # this process's air: the scheduler's slot and notice jobs share it


def verify(item: Item, log: AsPlayedLog, slot: str = "") -> None:
    """The file must still be what was approved; otherwise refuse, log it, and say so."""
    try:
        digest = sha256(item.path)
    except OSError as exc:
        log.refused(item, REFUSED, f"không đọc được tệp {item.path}: {exc}", slot=slot)
        raise OnAirError(f"Không đọc được tệp {item.path} của {item.label}: {exc}. Không phát sóng.") from exc
    if digest != item.sha256:
        log.refused(item, REFUSED, f"sha256 {digest} ≠ đã duyệt {item.sha256}", slot=slot)
        raise OnAirError(f"Tệp {item.path} của {item.label} đã bị thay đổi sau khi được duyệt (mã kiểm tra không "
                         f"khớp). Không phát sóng. Hãy nghe lại và duyệt lại.")


def _air(item: Item, outputs: list[Output], log: AsPlayedLog, slot: str, retry: Retry,
         stop: threading.Event) -> Report:
    verify(item, log, slot)
    LOG.info("Phát sóng: bắt đầu %s trên %s", item.label, ", ".join(o.label for o in outputs) or "không đầu ra nào")
    results: list[OutputResult | None] = [None] * len(outputs)
    play_id = uuid.uuid4().hex   # one airing: every output's rows share it

    def run(index: int, output: Output) -> None:
        results[index] = _play_one(item, output, log, _Where(play_id, slot), retry, stop)

    threads = [threading.Thread(target=run, args=(k, o), name=f"onair-{o.name}") for k, o in enumerate(outputs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done = tuple(r for r in results if r is not None)
    for r in done:
        level = logging.INFO if r.result == PLAYED else logging.WARNING
        LOG.log(level, "Phát sóng: %s trên %s — %s (%d lần thử)%s", item.label, r.output, r.result, r.attempts,
                f": {r.detail}" if r.detail else "")
    return Report(item, done)


@dataclass(frozen=True)
class _Where:
    play_id: str
    slot: str


def _play_one(item: Item, output: Output, log: AsPlayedLog, where: _Where, retry: Retry,
              stop: threading.Event) -> OutputResult:
    play_id, slot = where.play_id, where.slot
    if not output.available():
        airing = log.start(item, output.name, play_id=play_id, slot=slot)
        log.end(airing, item, output.name, FAILED, play_id=play_id, slot=slot, detail=output.disabled_message())
        return OutputResult(output.name, FAILED, 1, 0.0, output.disabled_message())
    detail = ""
    attempt = 0
    for attempt in range(1, retry.retries + 2):
        airing = log.start(item, output.name, play_id=play_id, slot=slot, attempt=attempt)
        try:
            played = output.play(item.path, stop=stop)
        except OutputError as exc:
            detail = str(exc)
        except Exception as exc:  # a bug in one output must not silence the others
            LOG.exception("Phát sóng: lỗi không mong đợi ở %s", output.label)
            detail = f"lỗi không mong đợi {type(exc).__name__}: {exc}"
        else:
            result = INTERRUPTED if played.interrupted else PLAYED
            log.end(airing, item, output.name, result, play_id=play_id, slot=slot, attempt=attempt,
                    duration_s=played.seconds, detail=played.detail)
            return OutputResult(output.name, result, attempt, played.seconds, played.detail)
        log.end(airing, item, output.name, FAILED, play_id=play_id, slot=slot, attempt=attempt, detail=detail)
        LOG.warning("Phát sóng: %s lỗi lần %d: %s", output.label, attempt, detail)
        if attempt <= retry.retries and stop.wait(retry.wait_s):
            break
    return OutputResult(output.name, FAILED, attempt, 0.0, detail)
