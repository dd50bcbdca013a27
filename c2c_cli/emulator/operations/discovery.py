"""Device discovery (contract.md §1 steps 8-11, §3.2, §4.7, §9 #19).

``StartDeviceDiscovery`` (``CLOUD``, an ``ASSOCIATION_SUCCEEDED`` association) answers at once with a new
id and invokes ``AWS.DiscoverDevices`` in the background. The run stays ``RUNNING`` until the connector's
``DEVICE_DISCOVERY`` event with ``StatusCode`` 200 (3xx pages accumulate; >= 400 fails the run), becomes
``FAILED`` when the invocation fails (after its retries) or ACKs non-200, and ``TIMED_OUT`` once
``discovery_timeout_seconds`` pass without the final event. Each association remembers a digest of every
device it has seen, so ``ListDiscoveredDevices`` flags ``DISCOVERED``, ``UPDATED`` or ``NO_CHANGE``.
"""

from __future__ import annotations

from typing import Any

from c2c_cli.emulator.driver.lifecycle import Lifecycle
from c2c_cli.emulator.http.errors import ApiError, not_found
from c2c_cli.emulator.http.store import ASSOCIATION, CONNECTOR, DESTINATION, DISCOVERY
from c2c_cli.emulator.operations.context import Context, Handler, new_id
from c2c_cli.emulator.operations.discovered import (
    add_devices,
    authentication_material,
    forget_devices,
    forget_seen,
    items_page,
    read_seen,
    summaries_of,
    write_items,
    write_seen,
)
from c2c_cli.emulator.operations.paging import window_of
from c2c_cli.emulator.operations.things import things_by_device
from c2c_cli.violation import WARNING, Violation

__all__ = [
    "HANDLERS",
    "authentication_material",
    "forget_association",
    "on_discovery",
    "open_discovery",
]

_PUBLIC = ("Id", "Arn", "DiscoveryType", "Status", "StartedAt", "FinishedAt", "AccountAssociationId", "Tags")


def _expire(ctx_store: Any, owner: str, data: dict[str, Any], now: float, limit: float) -> dict[str, Any]:
    """A ``RUNNING`` discovery past its limit becomes ``TIMED_OUT`` (checked whenever it is read)."""
    if data["Status"] == "RUNNING" and now - data["StartedAt"] > limit:
        data.update(Status="TIMED_OUT", FinishedAt=data["StartedAt"] + limit)
        ctx_store.put(owner, DISCOVERY, data["Id"], data, now)
    return data


def start_device_discovery(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """``StartDeviceDiscovery``: only ``CLOUD`` discovery of a linked association is emulated."""
    if params["DiscoveryType"] != "CLOUD":
        raise ApiError(
            "ValidationException", f"DiscoveryType {params['DiscoveryType']} is not emulated (use CLOUD)"
        )
    if not params.get("AccountAssociationId"):
        raise ApiError("ValidationException", "AccountAssociationId is required for CLOUD discovery")
    association = ctx.owned(ASSOCIATION, params["AccountAssociationId"], "AccountAssociation")
    if association["AssociationState"] != "ASSOCIATION_SUCCEEDED":
        raise ApiError(
            "ConflictException",
            f"account association {association['AccountAssociationId']} is {association['AssociationState']}",
        )
    did = new_id()
    data = {
        "Id": did,
        "Arn": f"arn:aws:iotmanagedintegrations:{ctx.region}:{ctx.account.account_id}:device-discovery/{did}",
        "DiscoveryType": "CLOUD",
        "Status": "RUNNING",
        "StartedAt": ctx.now,
        "AccountAssociationId": association["AccountAssociationId"],
        **({"Tags": params["Tags"]} if params.get("Tags") else {}),
        "_filter": list(params.get("ConnectorDeviceIdList") or []),
        "_connector_id": _connector_id(ctx, association),
    }
    ctx.store.put(ctx.account.account_id, DISCOVERY, did, data, ctx.now)
    ctx.later(lambda lc: lc.submit(lambda: _run(lc, ctx.account.account_id, did)))
    return {"Id": did, "StartedAt": ctx.now}


def _connector_id(ctx: Context, association: dict[str, Any]) -> str:
    found = ctx.store.get(DESTINATION, association.get("ConnectorDestinationId", ""))
    return str(found[1].get("CloudConnectorId", "")) if found else ""


def _run(lc: Lifecycle, owner: str, did: str) -> None:
    """Invoke ``AWS.DiscoverDevices``; a failed invocation fails the run (the event may already be in)."""
    found = lc.store.get(DISCOVERY, did)
    if found is None:
        return
    data = found[1]
    problem = lc.invoke_problem(
        data["AccountAssociationId"],
        "AWS.DiscoverDevices",
        deviceDiscoveryId=did,
        connectorDeviceIdList=data["_filter"],  # contract.md §9 #26: [] means all devices
    )
    if problem:
        with lc.store.transaction():
            found = lc.store.get(DISCOVERY, did)
            if found and found[1]["Status"] == "RUNNING":
                found[1].update(Status="FAILED", FinishedAt=lc.service.clock(), _problem=problem)
                lc.store.put(owner, DISCOVERY, did, found[1], lc.service.clock())


def _owned_discovery(ctx: Context, did: str) -> dict[str, Any]:
    data = ctx.owned(DISCOVERY, did, "DeviceDiscovery")
    return _expire(ctx.store, ctx.account.account_id, data, ctx.now, _limit(ctx))


def _limit(ctx: Context) -> float:
    return ctx.lifecycle.settings.discovery_timeout_seconds if ctx.lifecycle else 300.0


def get_device_discovery(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """``GetDeviceDiscovery``."""
    data = _owned_discovery(ctx, params["Identifier"])
    return {k: data[k] for k in _PUBLIC if data.get(k) not in (None, "")}


def list_discovered_devices(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """``ListDiscoveredDevices``: the devices of a finished run, with ``ManagedThingId`` once created.

    A ``NextToken`` is bound to this discovery (paging.py): another run's token is refused.
    """
    data = _owned_discovery(ctx, params["Identifier"])
    window = window_of(ctx, "ListDiscoveredDevices", params)
    total = int(data.get("_total", 0))  # set when the run finished: a RUNNING run lists nothing yet
    page = items_page(ctx.store, data["Id"], window.start, min(window.stop, total))
    ids = [item["ConnectorDeviceId"] for item in page]
    things = things_by_device(ctx.store, ctx.account.account_id, data["AccountAssociationId"], ids)
    for item in page:  # parsed from the store just now: ours to annotate
        if item["ConnectorDeviceId"] in things:
            item["ManagedThingId"] = things[item["ConnectorDeviceId"]]
    return window.answer(page, total, "Items")


def _finish(lc: Lifecycle, owner: str, data: dict[str, Any], status: str, now: float) -> None:
    """Store the run's items with their ``Modification``; a success updates what the association saw."""
    found = lc.store.get(ASSOCIATION, data["AccountAssociationId"])
    seen = read_seen(lc.store, found[1]) if found else {}
    items = []
    for summary in summaries_of(lc.store, owner, data["Id"]):
        item, digest = summary["item"], summary["digest"]
        before = seen.get(item["ConnectorDeviceId"])
        modification = "DISCOVERED" if before is None else ("NO_CHANGE" if before == digest else "UPDATED")
        seen[item["ConnectorDeviceId"]] = digest
        items.append({**item, "Modification": modification, "DiscoveredAt": now})
    if found and status == "SUCCEEDED":
        write_seen(lc.store, found[0], data["AccountAssociationId"], seen, now)
    write_items(lc.store, owner, data["Id"], items, now)
    data.update(Status=status, FinishedAt=now, _total=len(items))
    lc.store.put(owner, DISCOVERY, data["Id"], data, now)


def on_discovery(lc: Lifecycle, params: dict[str, Any], now: float) -> list[Violation]:
    """Accumulate a ``DEVICE_DISCOVERY`` page; the final one (200) completes the run (contract.md §3.2).

    Raises:
        ApiError: ``ValidationException`` for an unknown or finished ``DeviceDiscoveryId`` (§4.7).
    """
    did = str(params.get("DeviceDiscoveryId") or "")
    found = lc.store.get(DISCOVERY, did)
    if found is None or found[1].get("_connector_id", params["ConnectorId"]) != params["ConnectorId"]:
        raise ApiError("ValidationException", f"DeviceDiscoveryId {did} is not a discovery of this connector")
    owner, data = found
    data = _expire(lc.store, owner, data, now, lc.settings.discovery_timeout_seconds)
    if data["Status"] != "RUNNING":
        raise ApiError("ValidationException", f"device discovery {did} is already {data['Status']}")
    add_devices(lc.store, owner, data, params.get("Devices") or [], now)
    code = int(params.get("StatusCode") or 200)
    if not 300 <= code < 400:  # contract.md §9 #19: 3xx = more pages follow
        _finish(lc, owner, data, "SUCCEEDED" if code < 300 else "FAILED", now)
    return _user_warnings(lc, data, params)


def _user_warnings(lc: Lifecycle, data: dict[str, Any], params: dict[str, Any]) -> list[Violation]:
    found = lc.store.get(ASSOCIATION, data["AccountAssociationId"])
    expected = found[1].get("_user_id") if found else None
    if expected and params.get("UserId") and params["UserId"] != expected:
        return [
            Violation(
                "$.UserId",
                "UserId differs from the userId AWS.ActivateUser returned for this association",
                "C2C-EMU-USER",
                WARNING,
                "Send the userId of the ActivateUser ACK (contract.md §4.7, §9 #9).",
            )
        ]
    return []


def open_discovery(
    store: Any,
    region: str,
    connector_id: str,
    now: float,
    device_ids: tuple[str, ...] = (),
    discovery_id: str | None = None,
) -> str:
    """A ``RUNNING`` discovery of a connector without an invocation (for hand-sent events and tests).

    It belongs to the connector's account and to no association; its events are checked like any other.
    ``discovery_id`` reopens (or opens) a run under a given id, as the simulator's replayed requests need.

    Raises:
        ApiError: ``ResourceNotFoundException`` for an unknown connector.
    """
    found = store.get(CONNECTOR, connector_id)
    if found is None:
        raise not_found("CloudConnector", connector_id)
    did = discovery_id or new_id()
    previous = store.get(DISCOVERY, did)
    if previous is not None:  # reopened: the devices of its earlier run are gone
        forget_devices(store, previous[0], did, int(previous[1].get("_total", 0)))
    data = {
        "Id": did,
        "Arn": f"arn:aws:iotmanagedintegrations:{region}:{found[0]}:device-discovery/{did}",
        "DiscoveryType": "CLOUD",
        "Status": "RUNNING",
        "StartedAt": now,
        "AccountAssociationId": "",
        "_filter": list(device_ids),
        "_connector_id": connector_id,
    }
    store.put(found[0], DISCOVERY, did, data, now)
    return did


def forget_association(lc: Lifecycle, association_id: str) -> None:
    """Drop the discoveries of a deleted association."""
    for owner, data in lc.store.all_of(DISCOVERY):
        if data.get("AccountAssociationId") == association_id:
            forget_devices(lc.store, owner, data["Id"], int(data.get("_total", 0)))
            lc.store.delete(DISCOVERY, data["Id"])
    forget_seen(lc.store, association_id)


HANDLERS: dict[str, Handler] = {
    "StartDeviceDiscovery": start_device_discovery,
    "GetDeviceDiscovery": get_device_discovery,
    "ListDiscoveredDevices": list_discovered_devices,
}
