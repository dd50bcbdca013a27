"""Discovery across invocations (contract.md §3.2 pagination, issue 16): pages, continuations, devices.

A connector that cannot list an account inside one 2 s invocation ACKs ``AWS.DiscoverDevices`` and
continues in ``Event`` invocations of itself (Lambda ``Invoke``, run by the emulator); the pages
(``DEVICE_DISCOVERY`` with ``StatusCode`` 300, the last 200) arrive meanwhile. These checks cover what
only the whole run shows: the final page never came (the service's discovery ``TIMED_OUT``), a page or a
device sent twice (an at-least-once continuation that is not idempotent), a continuation that failed
after Lambda's retries. :func:`summary` is what ``c2c simulate discover`` shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from c2c_cli.simulate.rules import sim_violation
from c2c_cli.violation import Violation


class CapturedEvent(Protocol):
    """What these checks read of a captured event (``results.CapturedEvent``; results imports us)."""

    @property
    def operation(self) -> str:
        """``DEVICE_DISCOVERY``..."""
        ...

    @property
    def body(self) -> dict[str, Any]:
        """The event as received."""
        ...


__all__ = ["continuations_of", "pagination_violations", "summary"]


def continuations_of(records: list[dict[str, Any]], discovery_id: str) -> list[dict[str, Any]]:
    """The emulator's ``Event`` invocation records that carry this discovery's id."""
    out = []
    for r in records:
        request = r.get("request")
        payload = request.get("payload") if isinstance(request, dict) else None
        if isinstance(payload, dict) and payload.get("deviceDiscoveryId") == discovery_id:
            out.append(r)
    return out


def _pages(events: Sequence[CapturedEvent], discovery_id: str) -> list[tuple[int, CapturedEvent]]:
    return [
        (i, e)
        for i, e in enumerate(events)
        if e.operation == "DEVICE_DISCOVERY" and e.body.get("DeviceDiscoveryId") == discovery_id
    ]


def _device_ids(event: CapturedEvent) -> list[str]:
    devices = event.body.get("Devices")
    found = (
        [d.get("ConnectorDeviceId") for d in devices if isinstance(d, dict)]
        if isinstance(devices, list)
        else []
    )
    return [d for d in found if isinstance(d, str)]


def _closed(pages: list[tuple[int, CapturedEvent]]) -> bool:
    for _, e in pages:
        status = e.body.get("StatusCode")
        if isinstance(status, int) and not isinstance(status, bool) and (status == 200 or status >= 400):
            return True
    return False


def pagination_violations(
    events: Sequence[CapturedEvent], discovery_id: str, continuations: list[dict[str, Any]], wait_s: float
) -> list[Violation]:
    """``sim.discovery-timed-out``, ``sim.page-repeated`` and ``sim.continuation-failed`` of one discovery."""
    pages = _pages(events, discovery_id)
    out: list[Violation] = []
    if (pages or continuations) and not _closed(pages):
        out.append(
            sim_violation(
                "sim.discovery-timed-out",
                "events",
                f"no final DEVICE_DISCOVERY page (StatusCode 200) within {wait_s:g} s after {len(pages)} "
                f"page(s) and {1 + len(continuations)} invocation(s): the service marks the discovery "
                "TIMED_OUT",
                "send StatusCode 200 on the last page; continue with an Event invocation of the function "
                "while the vendor has more pages (contract §3.2)",
            )
        )
    seen: dict[str, int] = {}
    for number, (i, e) in enumerate(pages, start=1):
        ids = _device_ids(e)
        again = [d for d in ids if d in seen]
        if again:
            first = seen[again[0]]
            what = "the same devices as" if len(again) == len(ids) else f"{len(again)} device(s) of"
            out.append(
                sim_violation(
                    "sim.page-repeated",
                    f"events[{i}].Devices",
                    f"page {number} re-sends {what} page {first} (e.g. {again[0]!r})",
                    "keep the pages sent in the state store and make a retried continuation skip them "
                    "(Event invocations are delivered at least once)",
                )
            )
        for d in ids:
            seen.setdefault(d, number)
    for n, record in enumerate(continuations):
        if record.get("verdict") != "ok":
            outcomes = ", ".join(str(a.get("outcome")) for a in record.get("attempts") or [])
            out.append(
                sim_violation(
                    "sim.continuation-failed",
                    f"continuations[{n}]",
                    f"an Event invocation of the discovery failed after Lambda's retries ({outcomes})",
                    "a continuation must finish within the budget; see its logs in --json",
                )
            )
    return out


def summary(
    events: Sequence[CapturedEvent], discovery_id: str, continuations: list[dict[str, Any]]
) -> dict[str, Any]:
    """``pages``, ``invocations`` (the service's plus the continuations), ``devices`` (distinct), ``final``."""
    pages = _pages(events, discovery_id)
    ids = [d for _, e in pages for d in _device_ids(e)]
    return {
        "pages": len(pages),
        "invocations": 1 + len(continuations),
        "devices": len(set(ids)),
        "devices_sent": len(ids),
        "final": _closed(pages),
        "duplicate_deliveries": sum(1 for r in continuations if r.get("duplicate")),
    }
