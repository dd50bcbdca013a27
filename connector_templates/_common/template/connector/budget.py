"""The invocation's time budget.

The service gives every invocation at most 2 s (contract §2.1), whatever the function's own timeout is,
so the budget is the smaller of the two, minus a reserve to build and return the ACK. Every vendor call
and every wait is sized from :meth:`Budget.remaining`.
"""

from __future__ import annotations

import copy
import os
import time
from typing import Any

SERVICE_BUDGET_MS = int(os.environ.get("INVOCATION_BUDGET_MS", "2000"))
ACK_RESERVE_S = 0.15


class Budget:
    """Seconds left before the ACK must be on its way.

    Args:
        context: the Lambda context (``get_remaining_time_in_millis``), or ``None``.
        budget_ms: the service's limit.
        clock: monotonic clock (tests inject a fake one).
    """

    def __init__(self, context: Any = None, budget_ms: int = SERVICE_BUDGET_MS, clock: Any = time.monotonic):
        remaining_ms = budget_ms
        getter = getattr(context, "get_remaining_time_in_millis", None)
        if callable(getter):
            remaining_ms = min(budget_ms, int(getter()))
        self._clock = clock
        self._end = clock() + remaining_ms / 1000 - ACK_RESERVE_S

    def remaining(self) -> float:
        """Seconds left (may be negative)."""
        return self._end - self._clock()

    def allows(self, seconds: float) -> bool:
        """Whether ``seconds`` of work still fit."""
        return self.remaining() > seconds

    def within(self, seconds: float) -> Budget:
        """This budget, ending no later than ``seconds`` from now."""
        shorter = copy.copy(self)
        shorter._end = min(self._end, self._clock() + seconds)
        return shorter

    def reserve(self, seconds: float) -> Budget:
        """This budget minus ``seconds`` kept for later work (a discovery's hand-over to its continuation)."""
        smaller = copy.copy(self)
        smaller._end -= seconds
        return smaller
