"""Where a discovery's devices live: one row per device while it runs, chunks of summaries once done.

A large account is hundreds of ``DEVICE_DISCOVERY`` pages (contract.md §3.2, issue 16): keeping the devices
inside the discovery's own record made every page rewrite, and every ``ListDiscoveredDevices`` page
re-read, all the devices so far. Instead each device is a row of kind ``discovered-device:<discovery id>``
(id = its ``ConnectorDeviceId``; a later page's copy replaces it in place, keeping the order of first
sight), and a finished run's ``ListDiscoveredDevices`` items are stored in rows of :data:`CHUNK` items
(``discovered-items``, id ``<discovery id>/<chunk number>``), so a page reads only the chunks it covers.
"""

from __future__ import annotations

from typing import Any

from c2c_cli.emulator.http.store import Store

__all__ = ["CHUNK", "add_devices", "device_of", "devices_of", "forget_devices", "items_page", "write_items"]

CHUNK = 100
"""``ListDiscoveredDevices`` items per stored row."""

_ITEMS = "discovered-items"


def _kind(discovery_id: str) -> str:
    return f"discovered-device:{discovery_id}"


def _chunk_id(discovery_id: str, n: int) -> str:
    return f"{discovery_id}/{n:06d}"


def add_devices(
    store: Store, owner: str, discovery_id: str, devices: list[dict[str, Any]], now: float
) -> None:
    """Record one page's devices (a device seen before is replaced, in its first position)."""
    for device in devices:
        store.put(owner, _kind(discovery_id), device["ConnectorDeviceId"], device, now)


def devices_of(store: Store, owner: str, discovery_id: str) -> list[dict[str, Any]]:
    """Every device the run reported so far, in the order first seen."""
    return store.list_owned(owner, _kind(discovery_id))


def device_of(store: Store, discovery_id: str, device_id: str) -> dict[str, Any] | None:
    """The device ``device_id`` as the run last reported it, or None."""
    found = store.get(_kind(discovery_id), device_id)
    return found[1] if found else None


def write_items(store: Store, owner: str, discovery_id: str, items: list[dict[str, Any]], now: float) -> None:
    """Store a finished run's ``ListDiscoveredDevices`` items in chunks."""
    for n in range(0, len(items), CHUNK):
        store.put(owner, _ITEMS, _chunk_id(discovery_id, n // CHUNK), {"items": items[n : n + CHUNK]}, now)


def items_page(store: Store, discovery_id: str, start: int, stop: int) -> list[dict[str, Any]]:
    """Items ``start`` to ``stop`` (exclusive) of a finished run; only the chunks they fall in are read."""
    out: list[dict[str, Any]] = []
    for n in range(start // CHUNK, (stop - 1) // CHUNK + 1) if stop > start else range(0):
        found = store.get(_ITEMS, _chunk_id(discovery_id, n))
        if found is None:
            break
        first = n * CHUNK
        out += found[1]["items"][max(0, start - first) : stop - first]
    return out


def forget_devices(store: Store, owner: str, discovery_id: str, total: int) -> None:
    """Delete a run's device rows and its ``total`` items' chunks."""
    for device in devices_of(store, owner, discovery_id):
        store.delete(_kind(discovery_id), device["ConnectorDeviceId"])
    for n in range((total + CHUNK - 1) // CHUNK):
        store.delete(_ITEMS, _chunk_id(discovery_id, n))
