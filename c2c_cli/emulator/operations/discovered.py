"""Where a discovery's devices live: rows per device while it runs, chunks of summaries once done.

A large account is hundreds of ``DEVICE_DISCOVERY`` pages (contract.md §3.2, issue 16): keeping the devices
inside the discovery's own record made every page rewrite, and every ``ListDiscoveredDevices`` page
re-read, all the devices so far. Instead, per device of a run, two rows written with its page: the device
as sent (kind ``discovered-device:<run>``, id = its ``ConnectorDeviceId``; what ``CreateManagedThing``
reads) and its summary (``discovered-summary:<run>``: the ``ListDiscoveredDevices`` item and a digest of
the device, computed once). A later page's copy of a device replaces both in place, keeping the order of
first sight. Finishing reads only the small summaries; it stores the run's items in rows of :data:`CHUNK`
(``discovered-items``, id ``<run>/<chunk number>``), so a list page reads only the chunks it covers.
What an association has seen (for ``Modification``) is one record of its own (``discovery-seen``), not
part of the association, which every invocation and event reads.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from c2c_cli.emulator.http.store import Store

__all__ = [
    "CHUNK",
    "add_devices",
    "authentication_material",
    "device_of",
    "forget_devices",
    "forget_seen",
    "items_page",
    "read_seen",
    "summaries_of",
    "write_items",
    "write_seen",
]

CHUNK = 100
"""``ListDiscoveredDevices`` items per stored row."""

_ITEMS = "discovered-items"
_SEEN = "discovery-seen"


def authentication_material(association_id: str, device_id: str) -> str:
    """``CLOUD:<tag>:<connectorDeviceId>``; the tag is the association id (contract.md §9 #24)."""
    return f"CLOUD:{association_id}:{device_id}"


def _device_kind(discovery_id: str) -> str:
    return f"discovered-device:{discovery_id}"


def _summary_kind(discovery_id: str) -> str:
    return f"discovered-summary:{discovery_id}"


def _chunk_id(discovery_id: str, n: int) -> str:
    return f"{discovery_id}/{n:06d}"


def _item(association_id: str, device: dict[str, Any]) -> dict[str, Any]:
    """The ``ListDiscoveredDevices`` item of a device, but ``Modification`` and ``DiscoveredAt``."""
    raw = device.get("DeviceMetadata")
    metadata: dict[str, Any] = raw if isinstance(raw, dict) else {}
    endpoints = device.get("CapabilityReport", {}).get("endpoints", [])
    item: dict[str, Any] = {
        "ConnectorDeviceId": device["ConnectorDeviceId"],
        "DeviceTypes": sorted({t for e in endpoints for t in e.get("deviceTypes", []) if t}),
        "AuthenticationMaterial": authentication_material(association_id, device["ConnectorDeviceId"]),
    }
    if device.get("ConnectorDeviceName"):
        item["ConnectorDeviceName"] = device["ConnectorDeviceName"]
    for key, names in (("Brand", ("brand", "Brand", "manufacturer")), ("Model", ("model", "Model"))):
        value = next((metadata[n] for n in names if isinstance(metadata.get(n), str) and metadata[n]), None)
        if value:
            item[key] = value
    return item


def add_devices(
    store: Store, owner: str, discovery: dict[str, Any], devices: list[dict[str, Any]], now: float
) -> None:
    """Record one page's devices and their summaries (a device seen before is replaced in place)."""
    did, association_id = discovery["Id"], discovery["AccountAssociationId"]
    for device in devices:
        cdid = device["ConnectorDeviceId"]
        digest = hashlib.sha256(json.dumps(device, sort_keys=True).encode()).hexdigest()
        store.put(owner, _device_kind(did), cdid, device, now)
        store.put(
            owner, _summary_kind(did), cdid, {"digest": digest, "item": _item(association_id, device)}, now
        )


def summaries_of(store: Store, owner: str, discovery_id: str) -> list[dict[str, Any]]:
    """``{"digest", "item"}`` of every device the run reported so far, in the order first seen."""
    return store.list_owned(owner, _summary_kind(discovery_id))


def device_of(store: Store, discovery_id: str, device_id: str) -> dict[str, Any] | None:
    """The device ``device_id`` as the run last reported it, or None."""
    found = store.get(_device_kind(discovery_id), device_id)
    return found[1] if found else None


def write_items(store: Store, owner: str, discovery_id: str, items: list[dict[str, Any]], now: float) -> None:
    """Store a finished run's ``ListDiscoveredDevices`` items in chunks."""
    for n in range(0, len(items), CHUNK):
        store.put(owner, _ITEMS, _chunk_id(discovery_id, n // CHUNK), {"items": items[n : n + CHUNK]}, now)


def items_page(store: Store, discovery_id: str, start: int, stop: int) -> list[dict[str, Any]]:
    """Items ``start`` to ``stop`` (exclusive) of a finished run; only the chunks they fall in are read."""
    out: list[dict[str, Any]] = []
    if stop <= start:
        return out
    for n in range(start // CHUNK, (stop - 1) // CHUNK + 1):
        found = store.get(_ITEMS, _chunk_id(discovery_id, n))
        if found is None:
            break
        first = n * CHUNK
        out += found[1]["items"][max(0, start - first) : stop - first]
    return out


def forget_devices(store: Store, owner: str, discovery_id: str, total: int) -> None:
    """Delete a run's device and summary rows and its ``total`` items' chunks."""
    for summary in summaries_of(store, owner, discovery_id):
        cdid = summary["item"]["ConnectorDeviceId"]
        store.delete(_device_kind(discovery_id), cdid)
        store.delete(_summary_kind(discovery_id), cdid)
    for n in range((total + CHUNK - 1) // CHUNK):
        store.delete(_ITEMS, _chunk_id(discovery_id, n))


def read_seen(store: Store, association: dict[str, Any]) -> dict[str, str]:
    """``connectorDeviceId -> digest`` of every device the association's successful runs reported."""
    found = store.get(_SEEN, association["AccountAssociationId"])
    legacy: dict[str, str] = association.get("_seen", {})  # databases of before issue 16
    return dict(found[1]["seen"]) if found else dict(legacy)


def write_seen(store: Store, owner: str, association_id: str, seen: dict[str, str], now: float) -> None:
    """Replace what an association has seen."""
    store.put(owner, _SEEN, association_id, {"seen": seen}, now)


def forget_seen(store: Store, association_id: str) -> None:
    """Drop what a deleted association had seen."""
    store.delete(_SEEN, association_id)
