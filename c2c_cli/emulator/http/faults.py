"""Fault injection so clients' retry logic can be exercised (contract.md §9 #28).

Per request of a selected operation: sleep ``latency_ms``, then with probability ``throttle_rate``
answer 429 ThrottlingException, else with probability ``error_rate`` answer 500
InternalServerException. A seeded RNG makes runs repeatable; both codes are modeled for every
operation the emulator implements, and botocore's standard retry mode retries both.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from c2c_cli.emulator.http.errors import ApiError

__all__ = ["FaultInjector"]


@dataclass
class FaultInjector:
    """Decides, per request, whether to inject a fault.

    Attributes:
        latency_ms: delay added to each selected request.
        throttle_rate: probability of ThrottlingException.
        error_rate: probability of InternalServerException.
        operations: the selected operations (empty: all).
        seed: RNG seed.
        sleep: injected sleep (seconds).
    """

    latency_ms: int = 0
    throttle_rate: float = 0.0
    error_rate: float = 0.0
    operations: tuple[str, ...] = ()
    seed: int | None = None
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    _rng: random.Random = field(init=False, repr=False)
    _lock: threading.Lock = field(init=False, repr=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def applies(self, operation: str) -> bool:
        """Whether faults are configured for this operation."""
        active = self.latency_ms > 0 or self.throttle_rate > 0 or self.error_rate > 0
        return active and (not self.operations or operation in self.operations)

    def inject(self, operation: str) -> str | None:
        """Apply the faults for one request.

        Returns:
            ``"latency"`` when only a delay was added, None when nothing applied.

        Raises:
            ApiError: the injected ThrottlingException or InternalServerException.
        """
        if not self.applies(operation):
            return None
        if self.latency_ms:
            self.sleep(self.latency_ms / 1000)
        with self._lock:
            roll_throttle, roll_error = self._rng.random(), self._rng.random()
        if roll_throttle < self.throttle_rate:
            raise ApiError("ThrottlingException", f"Rate exceeded (emulator fault injection, {operation})")
        if roll_error < self.error_rate:
            raise ApiError(
                "InternalServerException", f"Injected internal error (emulator fault injection, {operation})"
            )
        return "latency" if self.latency_ms else None
