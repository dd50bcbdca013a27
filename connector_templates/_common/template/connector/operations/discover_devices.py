"""``AWS.DiscoverDevices``: page through the vendor's devices and report them (contract §3.2).

Pages of ``VENDOR_PAGE_SIZE`` devices (the sandbox allows up to 200) are fetched while the invocation
budget allows, filtered by ``connectorDeviceIdList`` and translated with :mod:`connector.matter_map`.
Devices are then sent in ``DEVICE_DISCOVERY`` events of at most 100 devices: ``StatusCode`` 300 on every
event but the last and 200 on the last, which completes the discovery. Events go out before the ACK
(allowed by §2.1); if the vendor is too slow for the 2 s budget the ACK says so (504) and no final event
is sent, so the service's run times out instead of completing with a partial device list.
"""

from __future__ import annotations

import os
from typing import Any

from connector import auth, events
from connector.context import Invocation
from connector.envelope import DEVICE_ID, DISCOVERY_ID, ConnectorError, ack
from connector.translate import device_entry

PAGE_SIZE = int(os.environ.get("VENDOR_PAGE_SIZE", "100"))
EVENT_TIME_S = 0.1  # reserve per event still to send


def _wanted(invocation: Invocation) -> set[str]:
    ids = invocation.request.payload.get("connectorDeviceIdList") or []
    if not isinstance(ids, list) or not all(isinstance(i, str) and DEVICE_ID.fullmatch(i) for i in ids):
        raise ConnectorError(400, "payload.connectorDeviceIdList must be a list of device ids")
    return set(ids)


def _collect(invocation: Invocation, wanted: set[str]) -> tuple[list[dict[str, Any]], int]:
    devices: list[dict[str, Any]] = []
    skipped, cursor = 0, None
    while True:
        page, cursor = invocation.vendor.devices(cursor, PAGE_SIZE)
        for device in page:
            if (wanted and device.get("id") not in wanted) or not auth.visible(invocation, device):
                continue
            entry = device_entry(device)
            if entry is None:
                skipped += 1
            else:
                devices.append(entry)
        if not cursor:
            return devices, skipped
        if not invocation.budget.allows(EVENT_TIME_S * (1 + len(devices) // events.MAX_DEVICES_PER_EVENT)):
            raise ConnectorError(504, "the vendor's device list did not fit in the 2 s budget; retry discovery")


def run(invocation: Invocation) -> dict[str, Any]:
    """Collect, translate and report the devices, then ACK."""
    request = invocation.request
    discovery_id = request.text("deviceDiscoveryId", DISCOVERY_ID)
    wanted = _wanted(invocation)
    user_id = invocation.user_id
    devices, skipped = _collect(invocation, wanted)
    batches = list(events.chunks(devices))
    for index, batch in enumerate(batches):
        status = 200 if index == len(batches) - 1 else 300
        events.send(events.discovery(request.connector_id, user_id, discovery_id, batch, status))
    note = f"; skipped {skipped} unsupported" if skipped else ""
    return ack(200, f"discovered {len(devices)} devices in {len(batches)} events{note}")
