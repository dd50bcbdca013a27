"""A pool of targets: concurrent invocations of one function, like Lambda's execution environments.

The service invokes a function concurrently (issue 16): each concurrent invocation runs in an
execution environment of its own, a separate process with its own cold start and its own memory, and a
warm one is reused when it is free. :class:`TargetPool` does that with up to ``size`` targets, started
on demand: :meth:`TargetPool.acquire` hands out the lowest-numbered idle target (the warmest; so
invocations that do not overlap all run in the first one, whose in-memory state they share, as before),
starts a new one while fewer than ``size`` exist, and otherwise waits for one to be released.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["TargetPool"]


class TargetPool:
    """Up to ``size`` targets made by ``factory``; ``first`` (given, not owned: not closed here) is number 0.

    Args:
        factory: makes one more target (a worker process); None: the pool never grows past ``first``.
        size: the most targets (concurrent invocations).
        first: an existing target to use first (the simulator's own).
    """

    def __init__(self, factory: Callable[[], Any] | None, size: int, first: Any = None) -> None:
        self._factory = factory
        self._size = max(1, size if factory is not None else 1)
        self._targets: list[Any] = [first] if first is not None else []
        self._owned = [False] if first is not None else []
        self._busy: set[int] = set()
        self._cond = threading.Condition()
        self._closed = False

    @property
    def size(self) -> int:
        """The most targets this pool runs at once."""
        return self._size

    @property
    def targets(self) -> list[Any]:
        """The targets started so far (in order)."""
        with self._cond:
            return list(self._targets)

    @contextlib.contextmanager
    def acquire(self) -> Iterator[Any]:
        """A target for one invocation (the lowest-numbered idle one; a new one while below ``size``)."""
        index = self._take()
        try:
            yield self._targets[index]
        finally:
            self._release(index)

    def close(self) -> None:
        """Close the owned targets (an acquired one when it is released)."""
        with self._cond:
            self._closed = True
            idle = [t for i, t in enumerate(self._targets) if self._owned[i] and i not in self._busy]
            self._cond.notify_all()
        for target in idle:
            target.close()

    def _take(self) -> int:
        with self._cond:
            while True:
                free = [i for i in range(len(self._targets)) if i not in self._busy]
                if free:
                    index = free[0]
                    break
                if len(self._targets) < self._size and self._factory is not None:
                    self._targets.append(self._factory())
                    self._owned.append(True)
                    index = len(self._targets) - 1
                    break
                self._cond.wait()
            self._busy.add(index)
            return index

    def _release(self, index: int) -> None:
        with self._cond:
            self._busy.discard(index)
            late = self._closed and self._owned[index]
            self._cond.notify()
        if late:
            self._targets[index].close()
