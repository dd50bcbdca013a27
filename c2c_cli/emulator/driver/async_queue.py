"""Asynchronous (``InvocationType="Event"``) invocations: a queue, dispatcher threads and the retry policy.

Lambda answers an ``Event`` invocation 202 at once and runs it later, **at least once**: an invocation
that raises, crashes or times out is retried twice (Lambda's default ``MaximumRetryAttempts``), after a
delay (about 1 and 2 minutes on AWS; :attr:`EmulatorSettings.async_retry_delays`, short here), and
now and then an event is delivered twice even when it succeeded (``async_duplicate_rate``, a test knob
so a connector's idempotency is tested for real, issue 16). Its return value is discarded.

The queue knows nothing of functions: :class:`AsyncQueue` calls ``run(job)`` for one attempt and
``done(job)`` once the job succeeded or its retries ran out (the invoker writes the event-log record).
"""

from __future__ import annotations

import heapq
import itertools
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from c2c_cli.runtime.delivery import Attempt

__all__ = ["AsyncJob", "AsyncQueue", "parse_delays"]

_LOG = logging.getLogger("c2c.emulator")


def parse_delays(text: str) -> tuple[float, ...]:
    """``--async-retry-delays 1,2`` as seconds (an empty string: no retries).

    Raises:
        UsageError: a part is not a number.
    """
    from c2c_cli.errors import UsageError

    try:
        return tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise UsageError(f"--async-retry-delays wants seconds like 1,2 (got {text!r})") from None


@dataclass
class AsyncJob:
    """One delivery of an ``Event`` invocation (a duplicate is a job of its own).

    Attributes:
        function: the function's name.
        caller: the account that invoked it.
        event: the decoded payload (what the handler gets).
        queued_at: epoch seconds when Invoke answered 202.
        duplicate: the second delivery of an at-least-once duplicate.
        attempts: every attempt so far.
        logs: each attempt's captured output (not yet redacted).
        response: the return value of the attempt that succeeded.
    """

    function: str
    caller: Any
    event: Any
    queued_at: float
    duplicate: bool = False
    attempts: list[Attempt] = field(default_factory=list)
    logs: list[str] = field(default_factory=list)
    response: Any = None
    started: float = 0.0

    @property
    def succeeded(self) -> bool:
        """The last attempt returned."""
        return bool(self.attempts) and self.attempts[-1].outcome == "ok"


class AsyncQueue:
    """Runs queued jobs on ``threads`` dispatcher threads, retrying failed attempts after ``delays``.

    Args:
        run: one attempt of a job (appends to ``job.attempts``).
        done: called once per job, after its final attempt.
        delays: seconds before each retry (its length is the number of retries, at most 2).
        threads: dispatcher threads (jobs of one function still wait for a free worker).
        duplicate_rate: probability of delivering a submitted job twice.
        seed: seed of the duplicate RNG.
    """

    def __init__(
        self,
        run: Callable[[AsyncJob], None],
        done: Callable[[AsyncJob], None],
        delays: tuple[float, ...],
        threads: int,
        duplicate_rate: float = 0.0,
        seed: int | None = None,
    ) -> None:
        self._run, self._done = run, done
        self._delays = delays
        self._threads_wanted = max(1, threads)
        self._duplicate_rate = duplicate_rate
        self._rng = random.Random(seed)
        self._heap: list[tuple[float, int, AsyncJob]] = []
        self._order = itertools.count()
        self._cond = threading.Condition()
        self._threads: list[threading.Thread] = []
        self._busy = 0
        self._closed = False

    def submit(self, job: AsyncJob) -> None:
        """Queue a job now (and, at ``duplicate_rate``, a second delivery of it)."""
        with self._cond:
            if self._closed:
                return
            twice = self._duplicate_rate > 0 and self._rng.random() < self._duplicate_rate
            self._push(0.0, job)
            if twice:
                self._push(0.0, AsyncJob(job.function, job.caller, job.event, job.queued_at, duplicate=True))
            self._start_threads()

    def pending(self) -> int:
        """Jobs queued or running (0 once everything submitted has finished)."""
        with self._cond:
            return len(self._heap) + self._busy

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no job is queued or running; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._heap or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def close(self) -> None:
        """Run no more jobs (queued ones are dropped; running ones finish their attempt)."""
        with self._cond:
            self._closed = True
            dropped = len(self._heap)
            self._heap.clear()
            self._cond.notify_all()
        if dropped:
            _LOG.info("%d queued Event invocation(s) dropped at shutdown", dropped)
        for thread in self._threads:
            thread.join(timeout=5)

    # -- internals -------------------------------------------------------------------------------

    def _push(self, delay: float, job: AsyncJob) -> None:
        heapq.heappush(self._heap, (time.monotonic() + delay, next(self._order), job))
        self._cond.notify()

    def _start_threads(self) -> None:
        while len(self._threads) < self._threads_wanted:
            thread = threading.Thread(target=self._loop, name="c2c-async-invoke", daemon=True)
            self._threads.append(thread)
            thread.start()

    def _next(self) -> AsyncJob | None:
        with self._cond:
            while not self._closed:
                if self._heap:
                    due = self._heap[0][0] - time.monotonic()
                    if due <= 0:
                        self._busy += 1
                        return heapq.heappop(self._heap)[2]
                    self._cond.wait(due)
                else:
                    self._cond.wait()
        return None

    def _loop(self) -> None:
        while (job := self._next()) is not None:
            try:
                self._one(job)
            except Exception:  # a bug here must not kill the dispatcher
                _LOG.exception("asynchronous invocation of %s failed in the emulator", job.function)
            finally:
                with self._cond:
                    self._busy -= 1
                    self._cond.notify_all()

    def _one(self, job: AsyncJob) -> None:
        if not job.attempts:
            job.started = time.perf_counter()
        self._run(job)
        retry = len(job.attempts) - 1  # retries made so far
        if job.succeeded or retry >= len(self._delays):
            self._done(job)
            return
        with self._cond:
            if self._closed:
                dropped = True
            else:
                dropped = False
                self._push(self._delays[retry], job)
        if dropped:
            self._done(job)
