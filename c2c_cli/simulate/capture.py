"""Waiting for the events an operation requires, and turning emulator records into captured events.

The emulator logs every ``SendConnectorEvent`` (accepted or rejected) with its signer and violations;
events may precede the ACK (contract.md §2.1), so the simulator notes the log position before the first
attempt and reads everything after it. Waiting is bounded (``--wait``) and stops as soon as the
operation's closing event arrived: discovery's final page (``StatusCode`` 200 or >= 400, §3.2, §9 #19),
or a command response (§3.3).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from c2c_cli.simulate.results import CapturedEvent
from c2c_cli.violation import Violation

__all__ = ["Expectation", "captured", "closes", "wait_for_events"]

POLL_S = 0.02
# The emulator matches TraceIds against its own SendManagedThingCommand calls; the simulator sends the
# commands itself and correlates trace ids with ``correlation.trace-id`` instead.
_EMULATOR_ONLY = ("C2C-EMU-TRACE",)
Expectation = Callable[[list[CapturedEvent]], bool]


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
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> list[CapturedEvent]:
    """Poll ``read(after)`` until ``done(events)`` or ``wait_s`` elapsed; return every event seen."""
    deadline = clock() + wait_s
    events: list[CapturedEvent] = []
    while True:
        fresh = read(after)
        events += [captured(r) for r in fresh]
        if fresh:
            after = max(after, *(int(r["seq"]) for r in fresh))
        if done(events) or clock() >= deadline:
            return events
        sleep(POLL_S)
