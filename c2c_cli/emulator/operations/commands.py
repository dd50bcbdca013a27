"""Commands and device state (contract.md §1 steps 12-15, §3.3, §4.4, §4.7).

``SendManagedThingCommand`` translates the customer's capabilities into Matter ids (``capabilities``),
answers 202 with a new ``TraceId`` and invokes ``AWS.SendCommand`` in the background. The thing's state
changes only when the connector says so: a ``DEVICE_COMMAND_RESPONSE`` with that ``TraceId`` (status
200) or a ``DEVICE_EVENT`` for the device. An unmatched ``TraceId`` or a ``UserId`` other than the one
``AWS.ActivateUser`` returned is accepted with a recorded warning (§4.7). Each command is a record
(``PENDING`` → ``SUCCEEDED`` | ``FAILED`` with the reason) shown at ``/_emulator/commands``.
"""

from __future__ import annotations

from typing import Any

from c2c_cli.emulator.driver.lifecycle import Lifecycle
from c2c_cli.emulator.http.errors import ApiError
from c2c_cli.emulator.http.store import ASSOCIATION, COMMAND, DESTINATION, THING
from c2c_cli.emulator.operations.capabilities import apply_endpoint, matter_endpoints
from c2c_cli.emulator.operations.context import Context, Handler, new_id
from c2c_cli.violation import WARNING, Violation

__all__ = ["HANDLERS", "on_command_response", "on_device_event"]


def send_managed_thing_command(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """``SendManagedThingCommand``: 202 with a ``TraceId``; the connector is invoked afterwards."""
    thing = ctx.owned(THING, params["ManagedThingId"], "ManagedThing")
    if not thing["_registered"]:
        raise ApiError("ValidationException", "register the managed thing with an account association first")
    if params.get("AccountAssociationId") not in (None, thing["_association"]):
        raise ApiError(
            "ValidationException", "the managed thing is registered with another account association"
        )
    endpoints = matter_endpoints(params["Endpoints"], thing["_report"])
    trace_id = new_id()
    record = {
        "TraceId": trace_id,
        "ManagedThingId": thing["Id"],
        "AccountAssociationId": thing["_association"],
        "ConnectorDeviceId": thing["ConnectorDeviceId"],
        "Status": "PENDING",
        "SentAt": ctx.now,
        "Endpoints": endpoints,
    }
    ctx.store.put(ctx.account.account_id, COMMAND, trace_id, record, ctx.now)
    ctx.later(lambda lc: lc.submit(lambda: _run(lc, ctx.account.account_id, trace_id)))
    return {"TraceId": trace_id}


def _run(lc: Lifecycle, owner: str, trace_id: str) -> None:
    found = lc.store.get(COMMAND, trace_id)
    if found is None:
        return
    record = found[1]
    problem = lc.invoke_problem(
        record["AccountAssociationId"],
        "AWS.SendCommand",
        connectorDeviceId=record["ConnectorDeviceId"],
        traceId=trace_id,
        endpoints=record["Endpoints"],
    )
    if problem:
        _settle(lc, owner, trace_id, "FAILED", problem)


def _settle(lc: Lifecycle, owner: str, trace_id: str, status: str, problem: str = "") -> None:
    with lc.store.transaction():
        found = lc.store.get(COMMAND, trace_id)
        if found and found[1]["Status"] == "PENDING":
            found[1].update(Status=status, **({"Problem": problem} if problem else {}))
            lc.store.put(owner, COMMAND, trace_id, found[1], lc.service.clock())


def _things_of_device(lc: Lifecycle, connector_id: str, device_id: str) -> list[tuple[str, dict[str, Any]]]:
    """Registered things of a connector's device, with their association's ``userId``."""
    out = []
    for owner, thing in lc.store.all_of(THING):
        if thing["ConnectorDeviceId"] != device_id or not thing["_registered"]:
            continue
        association = lc.store.get(ASSOCIATION, thing["_association"])
        destination = (
            lc.store.get(DESTINATION, association[1]["ConnectorDestinationId"]) if association else None
        )
        if destination and destination[1].get("CloudConnectorId") == connector_id:
            out.append(
                (owner, {**thing, "_user_id": association[1].get("_user_id") if association else None})
            )
    return out


def _update(lc: Lifecycle, params: dict[str, Any], now: float, only: str | None = None) -> list[Violation]:
    warnings: list[Violation] = []
    things = _things_of_device(lc, params["ConnectorId"], str(params.get("ConnectorDeviceId")))
    for owner, thing in things:
        if only is not None and thing["Id"] != only:
            continue
        if params.get("UserId") and thing["_user_id"] and params["UserId"] != thing["_user_id"]:
            warnings.append(
                _warning("$.UserId", "UserId differs from the userId of AWS.ActivateUser", "C2C-EMU-USER")
            )
            continue
        thing.pop("_user_id", None)
        if apply_endpoint(thing["_state"], params.get("MatterEndpoint") or {}):
            thing["UpdatedAt"] = now
        lc.store.put(owner, THING, thing["Id"], thing, now)
    return warnings


def on_command_response(lc: Lifecycle, params: dict[str, Any], now: float) -> list[Violation]:
    """``DEVICE_COMMAND_RESPONSE``: settle the command; status 200 updates the thing's state (§3.3)."""
    found = lc.store.get(COMMAND, str(params.get("TraceId") or ""))
    if found is None:
        return [_warning("$.TraceId", "TraceId matches no SendManagedThingCommand", "C2C-EMU-TRACE")]
    owner, record = found
    code = int(params.get("StatusCode") or 200)
    status = "SUCCEEDED" if code == 200 else "FAILED"
    record.update(Status=status, StatusCode=code)
    lc.store.put(owner, COMMAND, record["TraceId"], record, now)
    if code != 200:
        return []
    return _update(lc, params, now, only=record["ManagedThingId"])


def on_device_event(lc: Lifecycle, params: dict[str, Any], now: float) -> list[Violation]:
    """``DEVICE_EVENT``: the device changed by itself; update every registered thing of it."""
    return _update(lc, params, now)


def _warning(path: str, message: str, rule: str) -> Violation:
    return Violation(
        path, message, rule, WARNING, "Real behaviour is unknown; the event was accepted (§4.7)."
    )


HANDLERS: dict[str, Handler] = {"SendManagedThingCommand": send_managed_thing_command}
