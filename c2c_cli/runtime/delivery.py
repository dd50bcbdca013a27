"""One invocation as the service makes it: budget, retries and backoff (contract.md §2.1, §9 #4).

Both players of the service use this loop: ``c2c simulate``/``c2c test`` (``Simulator.deliver``) and the
emulator's invoker. An exception, a crash or a timeout fails the invocation and the identical request is
delivered again, up to :data:`SERVICE_RETRIES` more times; an answer, whatever its ``responseCode``, ends
the loop (a non-200 ACK is a reported failure, not a retried one). The caller's ``call(budget_ms)`` runs
one attempt (a :class:`~c2c_cli.runtime.targets.Target` enforces the budget); ``stop`` ends the retries
early (the emulator is shutting down); ``redact`` masks secrets in each attempt's error.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from c2c_cli.runtime.context import SERVICE_BUDGET_MS
from c2c_cli.runtime.loader import CallOutcome

__all__ = [
    "RETRY_BACKOFF_S",
    "SERVICE_RETRIES",
    "Attempt",
    "Invocation",
    "RetryPolicy",
    "invoke_with_retries",
]

#: contract.md §2.1: a failed invocation is retried up to 5 times (6 invocations at most, §9 #4).
SERVICE_RETRIES = 5
#: contract.md §2.1 names no delay between retries: the toolkit redelivers at once.
RETRY_BACKOFF_S = 0.0


@dataclass(frozen=True)
class RetryPolicy:
    """How the service invokes: the per-invocation budget, the retries and the pause between them.

    Attributes:
        budget_ms: per-invocation limit (contract.md §2.1: 2000).
        retries: deliveries after a failed one (contract.md §2.1: up to 5).
        backoff_s: pause before each retry.
    """

    budget_ms: int = SERVICE_BUDGET_MS
    retries: int = SERVICE_RETRIES
    backoff_s: float = RETRY_BACKOFF_S

    @property
    def invocations(self) -> int:
        """The most attempts one delivery makes."""
        return 1 + max(0, self.retries)


@dataclass(frozen=True)
class Attempt:
    """One invocation of the handler.

    Attributes:
        number: 1 for the first delivery, 2.. for the service's retries.
        outcome: ``ok`` (returned a value), ``raised``, ``timeout`` (killed at the budget) or
            ``crashed`` (the worker died).
        duration_ms: wall time of the invocation.
        cold: the first invocation of this interpreter (module imports included).
        error: the exception type and message (secrets redacted), for ``raised``/``crashed``/``timeout``.
    """

    number: int
    outcome: str
    duration_ms: float
    cold: bool = False
    error: str = ""

    def to_json(self) -> dict[str, Any]:
        """The JSON form (``c2c simulate --json``, the emulator's invocation records)."""
        return {
            "number": self.number,
            "outcome": self.outcome,
            "duration_ms": round(self.duration_ms, 1),
            "cold": self.cold,
            "error": self.error,
        }


@dataclass(frozen=True)
class Invocation:
    """One request delivered until it returned, the retries ran out, or ``stop`` said so.

    Attributes:
        attempts: every attempt, in order (at least one).
        outcome: the attempt that returned (``ok``), None when none did.
        logs: every attempt's captured output, joined, NOT redacted (the simulator scans it for secrets).
        latency_ms: wall time of all attempts, backoff included.
    """

    attempts: tuple[Attempt, ...]
    outcome: CallOutcome | None
    logs: str
    latency_ms: float

    @property
    def returned(self) -> bool:
        """Whether an attempt returned a value (of any ``responseCode``)."""
        return self.outcome is not None

    @property
    def response(self) -> Any:
        """The returned value, None when no attempt returned."""
        return self.outcome.response if self.outcome is not None else None


def _unchanged(text: str) -> str:
    return text


def _never() -> bool:
    return False


def invoke_with_retries(
    call: Callable[[int], CallOutcome],
    policy: RetryPolicy | None = None,
    *,
    redact: Callable[[str], str] = _unchanged,
    stop: Callable[[], bool] = _never,
    sleep: Callable[[float], None] = time.sleep,
) -> Invocation:
    """Run ``call(budget_ms)`` until it returns, at most ``policy.invocations`` times.

    Args:
        call: one attempt with the given budget (the target kills it at the budget plus a grace).
        policy: budget, retries and backoff; the contract's by default.
        redact: masks secrets in an attempt's error before it is kept.
        stop: checked after each failed attempt; True starts no more retries.
        sleep: waits the backoff (tests inject a fake).

    Raises:
        HandlerLoadError: the handler cannot be imported (not retried: every attempt would fail alike).
    """
    policy = policy or RetryPolicy()
    attempts: list[Attempt] = []
    logs: list[str] = []
    started = time.perf_counter()
    for number in range(1, policy.invocations + 1):
        if number > 1 and policy.backoff_s > 0:
            sleep(policy.backoff_s)
        outcome = call(policy.budget_ms)
        attempts.append(
            Attempt(number, outcome.outcome, outcome.duration_ms, outcome.cold, redact(outcome.error))
        )
        logs.append(outcome.logs)
        if outcome.outcome == "ok":
            return Invocation(tuple(attempts), outcome, "".join(logs), _since(started))
        if stop():
            break
    return Invocation(tuple(attempts), None, "".join(logs), _since(started))


def _since(started: float) -> float:
    return (time.perf_counter() - started) * 1000
