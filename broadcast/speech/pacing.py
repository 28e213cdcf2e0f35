"""How engines are asked: no faster than a service allows (``Throttle``), no further ahead of the
voicing than memory allows (``Window``)."""

from __future__ import annotations

import threading
import time


class Throttle:
    """At least ``interval`` seconds between the starts of two requests to one service."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        if self.interval <= 0:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            time.sleep(start - now)


class Window:
    """How far an offline prefetch runs ahead: job ``n`` waits until the voicing has asked for a job
    less than ``size`` before it. The voicing asks before it waits, so it never waits on a job that
    waits on it, whatever it skips (a sentence read from a recorded take)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._asked = 0
        self._closed = False
        self._turn = threading.Condition()

    def wait(self, index: int) -> bool:
        """False once the voicing is over: the job is not needed."""
        with self._turn:
            self._turn.wait_for(lambda: self._closed or index < self._asked + self.size)
            return not self._closed

    def ask(self, index: int) -> None:
        with self._turn:
            if index >= self._asked:
                self._asked = index + 1
                self._turn.notify_all()

    def close(self) -> None:
        with self._turn:
            self._closed = True
            self._turn.notify_all()
