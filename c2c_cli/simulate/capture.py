"""Waiting for the events an operation requires, and turning emulator records into captured events.

The emulator logs every ``SendConnectorEvent`` (accepted or rejected) with its signer and violations;
events may precede the ACK (contract.md §2.1), so the simulator notes the log position before the first
attempt and reads everything after it. Waiting is bounded (``--wait``) and stops as soon as the
operation's closing event arrived: discovery's final page (``StatusCode`` 200 or >= 400, §3.2, §9 #19),
or a command response (§3.3).

Waiting is event-driven (issue 15): the emulator's store announces every event-log record
(:class:`Arrivals`), and the wait blocks until one is announced, re-reading the log then, instead of
sleeping a fixed poll interval (which added up to 20 ms to every operation whose closing event came after
the ACK). A missed announcement cannot lose an event: the count is taken before each read, and the log is
re-read at least every :data:`QUIET_S` anyway. There is no grace period after the closing event: a later
event (a duplicate page, say) stays in the log after the captured ones and is read, and checked, by the
next operation or :meth:`~c2c_cli.simulate.simulator.Simulator.collect`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from c2c_cli.simulate.results import CapturedEvent
from c2c_cli.violation import Violation

__all__ = ["Arrivals", "Expectation", "arrivals_of", "captured", "closes", "wait_for_events"]

#: the poll interval without announcements (an emulator that does not announce its records).
POLL_S = 0.02
#: with announcements, the log is still re-read after this long without one (a safety net only).
QUIET_S = 0.25
# The emulator matches TraceIds against its own SendManagedThingCommand calls; the simulator sends the
# commands itself and correlates trace ids with ``correlation.trace-id`` instead.
_EMULATOR_ONLY = ("C2C-EMU-TRACE",)
Expectation = Callable[[list[CapturedEvent]], bool]


class Arrivals(Protocol):
    """Announces new event-log records: ``count()`` before a read, ``wait(count, timeout)`` after it."""

    def count(self) -> int:
        """Records announced so far."""
        ...

    def wait(self, seen: int, timeout: float) -> bool:
        """Block until the count differs from ``seen`` (True) or ``timeout`` seconds pass (False)."""
        ...


@dataclass(frozen=True)
class _StoreArrivals:
    store: Any
    kind: str

    def count(self) -> int:
        return int(self.store.log_appends(self.kind))

    def wait(self, seen: int, timeout: float) -> bool:
        return bool(self.store.wait_for_append(self.kind, seen, timeout))


def arrivals_of(emulator: Any) -> Arrivals | None:
    """The in-process emulator's event-log announcements; None when it has none (then the wait polls)."""
    store = getattr(getattr(emulator, "service", None), "store", None)
    if not hasattr(store, "wait_for_append"):
        return None
    from c2c_cli.emulator.http.store import EVENT_LOG

    return _StoreArrivals(store, EVENT_LOG)


def _violation(data: dict[str, Any]) -> Violation:
    return Violation(
        str(data.get("path", "$")),
        str(data.get("message", "")),
        str(data.get("rule", "")),
        "error" if data.get("severity") == "error" else "warning",
        str(data.get("hint", "")),
    )


def captured(record: dict[str, Any]) -> CapturedEvent:
    """A :class:`CapturedEvent` from one emulator event-log record."""
    raw = record.get("body")
    body: dict[str, Any] = raw if isinstance(raw, dict) else {}
    return CapturedEvent(
        seq=int(record["seq"]),
        operation=str(record.get("operation") or body.get("Operation") or ""),
        verdict=str(record.get("verdict") or ""),
        account_id=record.get("account_id"),
        body=dict(body or {}),
        violations=tuple(
            _violation(v) for v in record.get("violations") or [] if v.get("rule") not in _EMULATOR_ONLY
        ),
        error_code=record.get("error_code"),
    )


def closes(operation: str, correlation_id: str) -> Expectation:
    """The condition that ends the wait after a 200 ACK of ``operation``."""

    def discovery_done(events: list[CapturedEvent]) -> bool:
        for e in events:
            status = e.body.get("StatusCode")
            if (
                e.operation == "DEVICE_DISCOVERY"
                and isinstance(status, int)
                and (status == 200 or status >= 400)
            ):
                return True
        return False

    def response_arrived(events: list[CapturedEvent]) -> bool:
        responses = [e for e in events if e.operation == "DEVICE_COMMAND_RESPONSE"]
        return any(e.body.get("TraceId") == correlation_id for e in responses) or bool(responses)

    if operation == "AWS.DiscoverDevices":
        return discovery_done
    if operation == "AWS.SendCommand":
        return response_arrived
    return lambda _events: True


def wait_for_events(
    read: Callable[[int], list[dict[str, Any]]],
    after: int,
    done: Expectation,
    wait_s: float,
    *,
    arrivals: Arrivals | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    busy: Callable[[], bool] | None = None,
    max_wait_s: float = 0.0,
) -> list[CapturedEvent]:
    """Read ``read(after)`` until ``done(events)`` or ``wait_s`` elapsed; return every event seen.

    Between reads it waits for ``arrivals`` to announce a record (at most :data:`QUIET_S`), or, without
    announcements, sleeps :data:`POLL_S`. The log is always read once more at the deadline. With
    ``busy`` (the connector's own invocations are still queued or running) the deadline moves to
    ``wait_s`` after the last event or busy moment, but never past ``max_wait_s`` from the start.
    """
    start = clock()
    deadline = start + wait_s
    cap = start + max(wait_s, max_wait_s)
    events: list[CapturedEvent] = []
    while True:
        seen = arrivals.count() if arrivals is not None else 0  # before the read: no lost announcement
        fresh = read(after)
        events += [captured(r) for r in fresh]
        if fresh:
            after = max(after, *(int(r["seq"]) for r in fresh))
        if busy is not None and (fresh or busy()):
            deadline = min(cap, max(deadline, clock() + wait_s))
        left = deadline - clock()
        if done(events) or left <= 0:
            return events
        if arrivals is None:
            sleep(min(POLL_S, left))
        else:
            arrivals.wait(seen, min(QUIET_S, left))
