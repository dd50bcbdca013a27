"""``AWS.SendCommand``: run Matter commands on a vendor device and report the result (contract §3.3).

1. Read the device (its kind picks the table entry; its state feeds relative commands) — 404 if unknown.
2. Translate every Matter command first (:func:`connector.translate.plan_commands`), so a bad one changes
   nothing (400).
3. POST the vendor commands with the request's ``traceId`` as ``Idempotency-Key``: a retried invocation
   gets the same vendor command back and the device changes once.
4. Wait (within the budget) for the vendor to apply them, re-read the device and send
   ``DEVICE_COMMAND_RESPONSE`` with the ``traceId`` and the new attribute values, then ACK 200. A command
   the vendor reports as failed is a 409 ACK. If the vendor is slower than the budget, the ACK is 200 and
   the webhook sends the response when the vendor reports the change (the trace id waits in the store).
   Either way the response goes out once per ``traceId``: a retried invocation that finds it sent
   (``resp:<traceId>`` claimed in the store) only ACKs.
"""

from __future__ import annotations

import os
import time
from typing import Any

from connector import events, store
from connector.context import Invocation
from connector.envelope import DEVICE_ID, TRACE_ID, ConnectorError, ack
from connector.matter_map import KINDS, DeviceKind
from connector.translate import Plan, matter_state, parse_commands, plan_commands, with_changes

DEFAULT_RESULT_WAIT_MS = "800"
RESPONSE_RESERVE_S = 0.35  # re-read the device and send the event


def _idempotency_key(trace_id: str, index: int, total: int) -> str:
    return trace_id if total == 1 else f"{trace_id}.{index}"


def _wait_applied(invocation: Invocation, command_ids: list[str]) -> str:
    """``applied``, ``failed`` or ``pending`` (the budget ran out first)."""
    wait = float(os.environ.get("COMMAND_RESULT_WAIT_MS", DEFAULT_RESULT_WAIT_MS)) / 1000
    deadline = time.monotonic() + min(wait, invocation.budget.remaining() - RESPONSE_RESERVE_S)
    pending, pause = list(command_ids), 0.01
    while pending:
        status = invocation.vendor.command_status(pending[0])
        if status == "failed":
            return "failed"
        if status == "applied":
            pending.pop(0)
            continue
        if time.monotonic() + pause > deadline:
            return "pending"
        time.sleep(pause)
        pause = min(pause * 2, 0.1)
    return "applied"


def _respond(
    invocation: Invocation, kind: DeviceKind, device_id: str, trace_id: str, plan: Plan, state: dict[str, Any]
) -> None:
    reads = plan.reads
    if plan.commands:  # the state changed: read it back instead of guessing what the vendor did
        after = dict(invocation.vendor.device(device_id).get("state") or {})
        reads, state = with_changes(kind, plan.reads, state, after), after
    endpoint = matter_state(kind, state, reads=reads)
    request = invocation.request
    events.send_command_response(
        events.command_response(request.connector_id, invocation.user_id, device_id, trace_id, endpoint)
    )


def _device(invocation: Invocation, device_id: str) -> tuple[DeviceKind, dict[str, Any]]:
    device = invocation.vendor.device(device_id)
    kind = KINDS.get(str(device.get("kind")))
    if kind is None:
        raise ConnectorError(400, f"device kind {str(device.get('kind'))[:64]!r} is not supported")
    return kind, dict(device.get("state") or {})


def run(invocation: Invocation) -> dict[str, Any]:
    """Translate, execute, report."""
    request = invocation.request
    device_id = request.text("connectorDeviceId", DEVICE_ID)
    trace_id = request.text("traceId", TRACE_ID)
    commands = parse_commands(request.payload.get("endpoints"))
    kind, state = _device(invocation, device_id)
    plan = plan_commands(kind, state, commands)
    total = len(plan.commands)
    ids = [
        invocation.vendor.command(device_id, c.name, c.params, _idempotency_key(trace_id, i, total))
        for i, c in enumerate(plan.commands)
    ]
    outcome = _wait_applied(invocation, ids) if ids else "applied"
    if outcome == "failed":
        return ack(409, "the vendor could not apply the command to the device")
    if outcome == "pending":
        record = {"trace_id": trace_id, "device_id": device_id, "reads": _reads_json(plan)}
        store.remember_command(ids[-1], {**record, "connector_id": request.connector_id})
        return ack(200, "accepted; the result follows when the vendor reports it")
    _respond(invocation, kind, device_id, trace_id, plan, state)
    return ack(200)


def _reads_json(plan: Plan) -> dict[str, Any]:
    return {str(cluster): sorted(ids) if ids is not None else None for cluster, ids in plan.reads.items()}


def reads_from_json(raw: dict[str, Any]) -> dict[int, set[int] | None]:
    """The inverse of the pending record's ``reads``."""
    return {int(cluster): set(ids) if ids is not None else None for cluster, ids in raw.items()}
