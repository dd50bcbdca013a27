"""What a simulation returns: frozen values with a stable JSON form (``--json``).

:class:`Attempt` is the runtime's (:mod:`c2c_cli.runtime.delivery`), shared with the emulator.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from c2c_cli.runtime.delivery import Attempt
from c2c_cli.violation import Violation, has_errors, sort_violations

__all__ = [
    "Attempt",
    "CapturedEvent",
    "SimulationResult",
    "Timings",
    "percentile",
]


@dataclass(frozen=True)
class CapturedEvent:
    """One ``SendConnectorEvent`` the emulator received during the operation.

    Attributes:
        seq: the emulator's event-log sequence number.
        operation: ``DEVICE_DISCOVERY``, ``DEVICE_COMMAND_RESPONSE``, ...
        verdict: ``accepted`` or ``rejected`` (HTTP 202 or an error).
        account_id: the account that signed it.
        body: the event as received (``ConnectorId`` is the path parameter, not here).
        violations: contract + Matter violations of this event.
        error_code: the API error it got, when rejected.
    """

    seq: int
    operation: str
    verdict: str
    account_id: str | None
    body: dict[str, Any] = field(repr=False)
    violations: tuple[Violation, ...] = ()
    error_code: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "seq": self.seq,
            "operation": self.operation,
            "verdict": self.verdict,
            "account_id": self.account_id,
            "error_code": self.error_code,
            "body": self.body,
            "violations": [v.to_json() for v in self.violations],
        }


@dataclass(frozen=True)
class Timings:
    """Invocation times of the attempts that returned (ms): the cold one, the warm ones, percentiles."""

    cold_ms: float | None = None
    warm_ms: tuple[float, ...] = ()
    p50_ms: float | None = None
    p95_ms: float | None = None

    @classmethod
    def of(cls, attempts: list[Attempt]) -> Timings:
        """Timings from every attempt of every repeat."""
        cold = next((a.duration_ms for a in attempts if a.cold), None)
        warm = tuple(a.duration_ms for a in attempts if not a.cold)
        every = [a.duration_ms for a in attempts]
        return cls(cold, warm, percentile(every, 50), percentile(every, 95))

    def to_json(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "cold_ms": _round(self.cold_ms),
            "warm_ms": [round(w, 1) for w in self.warm_ms],
            "p50_ms": _round(self.p50_ms),
            "p95_ms": _round(self.p95_ms),
        }


@dataclass(frozen=True)
class SimulationResult:
    """One simulated operation (possibly repeated), as the service saw it.

    Attributes:
        operation: the ``operationName``.
        request: the request sent, token redacted.
        ack: the last ACK returned (None when no attempt returned).
        events: the events captured after the (last) request.
        violations: every finding: ACK, events, correlation, time, logs.
        timings: cold/warm times and p50/p95 over ``--repeat``.
        attempts: every invocation, retries included.
        user_id: the user id known after the operation (ActivateUser's ``userId``).
        logs: the connector's log output of the last run, secrets redacted.
        continuations: the emulator's records of the connector's own ``Event`` invocations that
            continued the operation (a discovery past one invocation, contract.md §3.2).
    """

    operation: str
    request: dict[str, Any]
    ack: Any
    events: tuple[CapturedEvent, ...] = ()
    violations: tuple[Violation, ...] = ()
    timings: Timings = field(default_factory=Timings)
    attempts: tuple[Attempt, ...] = ()
    user_id: str | None = None
    logs: str = field(default="", repr=False)
    continuations: tuple[dict[str, Any], ...] = field(default=(), repr=False)

    @property
    def ok(self) -> bool:
        """No error-severity violation."""
        return not has_errors(self.violations)

    @property
    def response_code(self) -> Any:
        """``header.responseCode`` of the ACK, if any."""
        if isinstance(self.ack, dict) and isinstance(self.ack.get("header"), dict):
            return self.ack["header"].get("responseCode")
        return None

    def rules(self) -> set[str]:
        """The rule ids of every error violation."""
        return {v.rule for v in self.violations if v.severity == "error"}

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form (``c2c simulate --json``)."""
        return {
            "operation": self.operation,
            "ok": self.ok,
            "request": self.request,
            "ack": self.ack,
            "user_id": self.user_id,
            "events": [e.to_json() for e in self.events],
            "violations": [v.to_json() for v in sort_violations(self.violations)],
            "timings": self.timings.to_json(),
            "attempts": [a.to_json() for a in self.attempts],
            "continuations": [_continuation(c) for c in self.continuations],
            **({"discovery": self.discovery()} if self.operation == "AWS.DiscoverDevices" else {}),
        }

    def discovery(self) -> dict[str, Any]:
        """``pages``, ``invocations``, ``devices`` (distinct), ``devices_sent``, ``final`` of a discovery."""
        from c2c_cli.simulate.pagination import summary

        payload = self.request.get("payload") if isinstance(self.request, dict) else None
        did = str(payload.get("deviceDiscoveryId") or "") if isinstance(payload, dict) else ""
        return summary(list(self.events), did, list(self.continuations))


def _continuation(record: dict[str, Any]) -> dict[str, Any]:
    """An Event invocation's record as ``--json`` shows it (the request is in the emulator's log)."""
    keys = ("seq", "verdict", "duplicate", "retries", "attempts", "latency_ms", "error_message", "logs")
    return {k: record.get(k) for k in keys}


def percentile(values: list[float], pct: float) -> float | None:
    """The nearest-rank percentile (None for no values)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
