"""Managed things of discovered C2C devices (contract.md §1 step 11, §7.2 rows 8, 9, 11).

``CreateManagedThing`` (Role ``DEVICE``, ``DISCOVERED_DEVICE``) takes the ``AuthenticationMaterial``
``ListDiscoveredDevices`` returned (``CLOUD:<association id>:<connectorDeviceId>``; a template value
``CLOUD:XXXX:<id>`` falls back to the caller's latest discovery of that device, §9 #24). The thing keeps
the device's Matter capability report and its state (seeded from the values reported at discovery,
changed only by the connector's events). ``RegisterAccountAssociation`` binds it to the association
(commands need that); ``DeregisterAccountAssociation`` unbinds it. A row per (association, device)
names its thing, so ``CreateManagedThing`` and each ``ListDiscoveredDevices`` page find a device's thing
without reading every thing of the account (issue 16: accounts of many thousand devices).
"""

from __future__ import annotations

from typing import Any

from c2c_cli.emulator.driver.lifecycle import Lifecycle
from c2c_cli.emulator.http.errors import ApiError, not_found
from c2c_cli.emulator.http.store import ASSOCIATION, DISCOVERY, THING, Store
from c2c_cli.emulator.operations.capabilities import apply_endpoint, customer_report, customer_state
from c2c_cli.emulator.operations.context import Context, Handler, new_id
from c2c_cli.emulator.operations.discovered import device_of
from c2c_cli.emulator.operations.paging import paginate

__all__ = ["HANDLERS", "remove_things_of", "thing_for_device", "things_by_device"]

_SUMMARY = (
    "Id", "Arn", "Name", "Role", "ProvisioningStatus", "ConnectorDeviceId", "ConnectorDestinationId",
    "Brand", "Model", "SerialNumber", "Owner", "Classification", "CreatedAt", "UpdatedAt", "ActivatedAt",
)  # fmt: skip
_DETAIL = (*_SUMMARY, "MetaData", "Tags")


def _device_of(ctx: Context, material: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(discovery, device)`` named by an ``AuthenticationMaterial``."""
    kind, _, rest = material.partition(":")
    tag, _, device_id = rest.partition(":")
    if kind != "CLOUD" or not device_id:
        raise ApiError(
            "ValidationException", "AuthenticationMaterial must be CLOUD:<tag>:<connectorDeviceId>"
        )
    runs = []
    for d in ctx.store.list_owned(ctx.account.account_id, DISCOVERY):
        device = device_of(ctx.store, d["Id"], device_id)
        if device is not None:
            runs.append((d, device))
    exact = [run for run in runs if run[0]["AccountAssociationId"] == tag]
    if not (exact or runs):
        raise ApiError("ValidationException", f"no discovery of this account found device {device_id}")
    return (exact or runs)[-1]


_INDEX = "device-thing"
"""Rows ``<association id>/<connectorDeviceId>`` -> ``{"thing": id}``: a device's thing without a scan."""
_INDEXED = "device-thing-indexed"
"""One row per account once its things are all in :data:`_INDEX`."""


def _index_id(association_id: str, device_id: str) -> str:
    return f"{association_id}/{device_id}"


def _link(store: Store, owner: str, thing: dict[str, Any], now: float) -> None:
    store.put(
        owner,
        _INDEX,
        _index_id(thing["_association"], thing["ConnectorDeviceId"]),
        {"thing": thing["Id"]},
        now,
    )


def _unlink(store: Store, thing: dict[str, Any]) -> None:
    rid = _index_id(thing["_association"], thing["ConnectorDeviceId"])
    found = store.get(_INDEX, rid)
    if found is not None and found[1]["thing"] == thing["Id"]:
        store.delete(_INDEX, rid)


def _ensure_index(store: Store, account_id: str) -> None:
    """Index an account's things once (a database written before the index had things without rows)."""
    if store.get(_INDEXED, account_id) is None:
        for thing in store.list_owned(account_id, THING):
            _link(store, account_id, thing, 0.0)
        store.put(account_id, _INDEXED, account_id, {}, 0.0)


def thing_for_device(
    store: Store, account_id: str, association_id: str, device_id: str
) -> dict[str, Any] | None:
    """The caller's managed thing of a discovered device of an association, if one was created."""
    _ensure_index(store, account_id)
    found = store.get(_INDEX, _index_id(association_id, device_id))
    thing = store.get(THING, found[1]["thing"]) if found and found[0] == account_id else None
    if thing is None or (thing[1]["_association"], thing[1]["ConnectorDeviceId"]) != (
        association_id,
        device_id,
    ):
        return None
    return thing[1]


def things_by_device(
    store: Store, account_id: str, association_id: str, device_ids: list[str]
) -> dict[str, str]:
    """``connectorDeviceId -> managed thing id`` for those of ``device_ids`` that have a thing (a page's)."""
    out = {}
    for device_id in device_ids:
        thing = thing_for_device(store, account_id, association_id, device_id)
        if thing is not None:
            out[device_id] = str(thing["Id"])
    return out


def _initial_state(device: dict[str, Any]) -> dict[str, Any]:
    state: dict[str, Any] = {}
    for endpoint in device.get("CapabilityReport", {}).get("endpoints", []):
        clusters = [
            {
                "id": c["id"],
                "attributes": {a["id"]: a["value"] for a in c.get("attributes", []) if "value" in a},
            }
            for c in endpoint.get("clusters", [])
        ]
        apply_endpoint(state, {"id": endpoint["id"], "clusters": clusters})
    return state


def create_managed_thing(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """``CreateManagedThing`` for a discovered cloud device."""
    if params["Role"] != "DEVICE" or params["AuthenticationMaterialType"] != "DISCOVERED_DEVICE":
        raise ApiError("ValidationException", "only Role DEVICE with DISCOVERED_DEVICE material is emulated")
    discovery, device = _device_of(ctx, params["AuthenticationMaterial"])
    association_id = discovery["AccountAssociationId"]
    if thing_for_device(ctx.store, ctx.account.account_id, association_id, device["ConnectorDeviceId"]):
        raise ApiError(
            "ConflictException", f"a managed thing for device {device['ConnectorDeviceId']} exists"
        )
    tid = new_id()
    data: dict[str, Any] = {
        "Id": tid,
        "Arn": f"arn:aws:iotmanagedintegrations:{ctx.region}:{ctx.account.account_id}:managed-thing/{tid}",
        "Role": "DEVICE",
        "ProvisioningStatus": "DISCOVERED",
        "ConnectorDeviceId": device["ConnectorDeviceId"],
        "CreatedAt": ctx.now,
        "UpdatedAt": ctx.now,
        "_association": association_id,
        "_registered": False,
        "_report": device.get("CapabilityReport", {}),
        "_state": _initial_state(device),
    }
    for key in ("Name", "Brand", "Model", "SerialNumber", "Owner", "Classification", "MetaData", "Tags"):
        if key in params:
            data[key] = params[key]
    ctx.store.put(ctx.account.account_id, THING, tid, data, ctx.now)
    _link(ctx.store, ctx.account.account_id, data, ctx.now)
    return {"Id": tid, "Arn": data["Arn"], "CreatedAt": ctx.now}


def _thing(ctx: Context, tid: str) -> dict[str, Any]:
    return ctx.owned(THING, tid, "ManagedThing")


def get_managed_thing(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """``GetManagedThing``."""
    data = _thing(ctx, params["Identifier"])
    return {k: data[k] for k in _DETAIL if k in data}


_FILTERS = {
    "ConnectorDeviceIdFilter": "ConnectorDeviceId",
    "ConnectorDestinationIdFilter": "ConnectorDestinationId",
    "ProvisioningStatusFilter": "ProvisioningStatus",
    "RoleFilter": "Role",
    "OwnerFilter": "Owner",
    "SerialNumberFilter": "SerialNumber",
}


def list_managed_things(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """``ListManagedThings`` with the filters that apply to cloud devices."""
    items = ctx.store.list_owned(ctx.account.account_id, THING)
    for param, key in _FILTERS.items():
        if param in params:
            items = [t for t in items if t.get(key) == params[param]]
    return paginate(
        ctx, "ListManagedThings", [{k: t[k] for k in _SUMMARY if k in t} for t in items], params, "Items"
    )


def get_managed_thing_capabilities(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """``GetManagedThingCapabilities``: the customer-side report (contract.md §5.1)."""
    data = _thing(ctx, params["Identifier"])
    return {"ManagedThingId": data["Id"], "CapabilityReport": customer_report(data["_report"])}


def get_managed_thing_state(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """``GetManagedThingState``: what the connector last reported."""
    data = _thing(ctx, params["ManagedThingId"])
    return {"Endpoints": customer_state(data["_state"], data["_report"])}


def delete_managed_thing(ctx: Context, params: dict[str, Any]) -> None:
    """``DeleteManagedThing``."""
    data = _thing(ctx, params["Identifier"])
    _unlink(ctx.store, data)
    ctx.store.delete(THING, data["Id"])


def register_account_association(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """``RegisterAccountAssociation``: the thing's device must come from that association's discovery."""
    data = _thing(ctx, params["ManagedThingId"])
    association = ctx.owned(ASSOCIATION, params["AccountAssociationId"], "AccountAssociation")
    discovery = ctx.owned(DISCOVERY, params["DeviceDiscoveryId"], "DeviceDiscovery")
    if discovery["AccountAssociationId"] != association["AccountAssociationId"]:
        raise ApiError("ValidationException", "the device discovery belongs to another account association")
    if device_of(ctx.store, discovery["Id"], data["ConnectorDeviceId"]) is None:
        raise ApiError("ValidationException", "the device discovery did not find this managed thing's device")
    if data["_registered"] and data["_association"] != association["AccountAssociationId"]:
        raise ApiError(
            "ConflictException", "the managed thing is registered with another account association"
        )
    _unlink(ctx.store, data)
    data.update(
        _association=association["AccountAssociationId"],
        _registered=True,
        ProvisioningStatus="ACTIVATED",
        ConnectorDestinationId=association["ConnectorDestinationId"],
        ActivatedAt=ctx.now,
        UpdatedAt=ctx.now,
    )
    ctx.store.put(ctx.account.account_id, THING, data["Id"], data, ctx.now)
    _link(ctx.store, ctx.account.account_id, data, ctx.now)
    return {k: params[k] for k in ("ManagedThingId", "AccountAssociationId", "DeviceDiscoveryId")}


def deregister_account_association(ctx: Context, params: dict[str, Any]) -> None:
    """``DeregisterAccountAssociation``."""
    data = _thing(ctx, params["ManagedThingId"])
    if not data["_registered"] or data["_association"] != params["AccountAssociationId"]:
        raise not_found("AccountAssociation", params["AccountAssociationId"])
    data.update(_registered=False, ProvisioningStatus="DISCOVERED", UpdatedAt=ctx.now)
    data.pop("ConnectorDestinationId", None)
    ctx.store.put(ctx.account.account_id, THING, data["Id"], data, ctx.now)


def remove_things_of(lc: Lifecycle, association_id: str) -> None:
    """Delete the managed things of an unlinked association (contract.md §1 step 19)."""
    for _, thing in lc.store.all_of(THING):
        if thing["_association"] == association_id:
            _unlink(lc.store, thing)
            lc.store.delete(THING, thing["Id"])


HANDLERS: dict[str, Handler] = {
    "CreateManagedThing": create_managed_thing,
    "GetManagedThing": get_managed_thing,
    "ListManagedThings": list_managed_things,
    "GetManagedThingCapabilities": get_managed_thing_capabilities,
    "GetManagedThingState": get_managed_thing_state,
    "DeleteManagedThing": delete_managed_thing,
    "RegisterAccountAssociation": register_account_association,
    "DeregisterAccountAssociation": deregister_account_association,
}
