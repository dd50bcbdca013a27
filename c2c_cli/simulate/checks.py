"""The checks every simulation applies (issue 7 §4), each finding a :class:`Violation` with a rule id.

ACK: the contract's envelope rules (``ack.*``). Time: ``sim.budget-exceeded`` (> 2 s, error) and
``sim.slow`` (> 1 s, warning) per invocation (contract.md §2.1). Events: the emulator's verdict and the
contract + Matter lint of each (``event.*``, ``matter.*``, model shapes), the signer (§4.1), and the
correlation with the request (``correlation.*``, §3.2-3.3). Logs: no token or secret (§6.1 #10).
"""

from __future__ import annotations

from typing import Any

from c2c_cli.contract.rules import violation
from c2c_cli.simulate.results import Attempt, CapturedEvent
from c2c_cli.simulate.rules import sim_violation
from c2c_cli.violation import Violation

__all__ = [
    "SLOW_MS",
    "ack_violations",
    "attempt_violations",
    "command_violations",
    "discovery_violations",
    "event_violations",
    "log_violations",
    "user_violations",
    "webhook_violations",
]

SLOW_MS = 1000


def attempt_violations(attempts: list[Attempt], budget_ms: int) -> list[Violation]:
    """Time, exceptions and retries of one delivery."""
    out: list[Violation] = []
    for a in attempts:
        where = f"attempts[{a.number - 1}]"
        if a.outcome == "timeout" or a.duration_ms > budget_ms:
            out.append(
                sim_violation(
                    "sim.budget-exceeded",
                    where,
                    f"invocation {a.number} took {a.duration_ms:.0f} ms; the service allows {budget_ms} ms",
                    "ACK quickly and send slow results as events afterwards (contract §2.1)",
                )
            )
        elif a.duration_ms > SLOW_MS:
            out.append(
                sim_violation(
                    "sim.slow",
                    where,
                    f"invocation {a.number} took {a.duration_ms:.0f} ms",
                    "stay well under 1 s",
                )
            )
        if a.outcome in ("raised", "crashed"):
            out.append(
                sim_violation(
                    "sim.handler-raised",
                    where,
                    f"invocation {a.number} {a.outcome}: {a.error}"[:300],
                    "catch errors and return a non-200 ACK with a responseMessage (contract §2.4)",
                )
            )
    if len(attempts) > 1:
        out.append(
            sim_violation("sim.retried", "attempts", f"the request was delivered {len(attempts)} times")
        )
    return out


def ack_violations(ack: Any, operation: str) -> list[Violation]:
    """The ACK's envelope rules; a non-object return value is ``sim.invalid-ack``."""
    from c2c_cli.contract import check_ack

    if not isinstance(ack, dict):
        return [
            sim_violation(
                "sim.invalid-ack",
                "ack",
                f"the handler returned {type(ack).__name__}, not an object",
                "return the ACK dict",
            )
        ]
    return [_at(v, "ack") for v in check_ack(ack, operation)]


def _at(v: Violation, prefix: str) -> Violation:
    path = prefix + v.path.removeprefix("$") if v.path.startswith("$") else f"{prefix}.{v.path}"
    return Violation(path, v.message, v.rule, v.severity, v.hint, v.value)


def event_violations(events: list[CapturedEvent], account_id: str) -> list[Violation]:
    """Each event's own violations, the emulator's verdict, and the signer."""
    out: list[Violation] = []
    for i, e in enumerate(events):
        where = f"events[{i}]"
        out += [_at(v, where) for v in e.violations]
        if e.error_code == "AccessDeniedException" or (e.account_id and e.account_id != account_id):
            out.append(
                sim_violation(
                    "sim.event-signer",
                    where,
                    f"{e.operation} was signed by account {e.account_id}, not the registering {account_id}",
                    "sign SendConnectorEvent with the connector-registering account (contract §4.1)",
                )
            )
        elif e.verdict == "rejected":
            out.append(
                sim_violation(
                    "sim.event-rejected",
                    where,
                    f"{e.operation} was rejected: {e.error_code}",
                    "fix the violations listed for this event",
                )
            )
    return out


def user_violations(events: list[CapturedEvent], user_id: str | None) -> list[Violation]:
    """``UserId`` of every event equals ActivateUser's ``userId`` (contract.md §4.7, §9 #9)."""
    if not user_id:
        return []
    return [
        violation(
            "correlation.user-id",
            f"events[{i}].UserId",
            f"UserId {e.body.get('UserId')!r} differs from ActivateUser's userId",
            "send the userId your ActivateUser returned",
        )
        for i, e in enumerate(events)
        if "UserId" in e.body and e.body.get("UserId") != user_id
    ]


def discovery_violations(
    events: list[CapturedEvent], discovery_id: str, device_ids: tuple[str, ...]
) -> list[Violation]:
    """Every DEVICE_DISCOVERY carries the request's id; the run ends with a 200 page; the filter holds."""
    pages = [(i, e) for i, e in enumerate(events) if e.operation == "DEVICE_DISCOVERY"]
    if not pages:
        return [
            sim_violation(
                "sim.missing-event",
                "events",
                "no DEVICE_DISCOVERY event arrived after a 200 ACK",
                "send the devices with SendConnectorEvent (contract §3.2)",
            )
        ]
    out = [
        violation(
            "correlation.discovery-id",
            f"events[{i}].DeviceDiscoveryId",
            f"DeviceDiscoveryId {e.body.get('DeviceDiscoveryId')!r} is not the request's {discovery_id!r}",
            "echo payload.deviceDiscoveryId",
        )
        for i, e in pages
        if e.body.get("DeviceDiscoveryId") != discovery_id
    ]
    if not any(e.body.get("StatusCode") == 200 for _, e in pages):
        out.append(
            sim_violation(
                "sim.discovery-not-final",
                "events",
                "no DEVICE_DISCOVERY event with StatusCode 200 ended the discovery",
                "send StatusCode 300 on every page but the last and 200 on the last (contract §3.2)",
            )
        )
    out += _filter_violations(pages, device_ids)
    return out


def _filter_violations(
    pages: list[tuple[int, CapturedEvent]], device_ids: tuple[str, ...]
) -> list[Violation]:
    if not device_ids:
        return []
    out = []
    for i, e in pages:
        for j, device in enumerate(e.body.get("Devices") or []):
            did = device.get("ConnectorDeviceId") if isinstance(device, dict) else None
            if did not in device_ids:
                out.append(
                    violation(
                        "correlation.device-filter",
                        f"events[{i}].Devices[{j}]",
                        f"device {did!r} was not in connectorDeviceIdList",
                        "report only the listed devices",
                    )
                )
    return out


def command_violations(events: list[CapturedEvent], trace_id: str, device_id: str) -> list[Violation]:
    """A DEVICE_COMMAND_RESPONSE with the request's traceId follows a 200 ACK (contract.md §3.3)."""
    responses = [(i, e) for i, e in enumerate(events) if e.operation == "DEVICE_COMMAND_RESPONSE"]
    if not responses:
        return [
            sim_violation(
                "sim.missing-event",
                "events",
                "no DEVICE_COMMAND_RESPONSE arrived after a 200 ACK",
                "report the result with the request's traceId (contract §3.3)",
            )
        ]
    if any(e.body.get("TraceId") == trace_id for _, e in responses):
        return []
    i, e = responses[0]
    got = e.body.get("TraceId")
    carried = "has no TraceId" if got is None else f"carries TraceId {got!r}"
    other = e.body.get("ConnectorDeviceId")
    device = "" if other == device_id else f" (and device {other!r})"
    return [
        violation(
            "correlation.trace-id",
            f"events[{i}].TraceId",
            f"the command response {carried}, not the request's {trace_id!r}{device}",
            "echo payload.traceId in DEVICE_COMMAND_RESPONSE",
        )
    ]


def log_violations(logs: str, secrets: list[str]) -> list[Violation]:
    """``sim.token-in-logs`` when any secret (or a long part of one) shows up in the connector's output."""
    found = [s for s in secrets if s and len(s) >= 8 and s in logs]
    if not found:
        return []
    return [
        sim_violation(
            "sim.token-in-logs",
            "logs",
            f"{len(found)} secret value(s) appear in the connector's log output",
            "never log tokens, API keys or secrets; redact them (contract §6.1 #10)",
        )
    ]


def webhook_violations(deliveries: list[Any], secrets: list[str]) -> list[Violation]:
    """Webhook-function invocations (``CallOutcome``): exceptions, and secrets in their output."""
    out: list[Violation] = []
    for i, call in enumerate(deliveries):
        if call.outcome != "ok":
            out.append(
                sim_violation(
                    "sim.handler-raised",
                    f"webhooks[{i}]",
                    f"the webhook function {call.outcome}: {call.error}"[:300],
                    "answer every delivery; report failures with a status code",
                )
            )
        out += [
            Violation(f"webhooks[{i}]", v.message, v.rule, v.severity, v.hint)
            for v in log_violations(call.logs, secrets)
        ]
    return out
