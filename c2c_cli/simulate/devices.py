"""Discovered devices: summaries for display, and ``--save`` / ``--devices`` files for later commands."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from c2c_cli.errors import UsageError

__all__ = [
    "DeviceSummary",
    "advertised_commands",
    "load_devices",
    "resolve_device",
    "save_devices",
    "summarize",
]


@dataclass(frozen=True)
class DeviceSummary:
    """One discovered device as a row: id, name, device types and clusters (catalog names)."""

    device_id: str
    name: str
    device_types: tuple[str, ...]
    clusters: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "id": self.device_id,
            "name": self.name,
            "device_types": list(self.device_types),
            "clusters": list(self.clusters),
        }


def _endpoints(device: dict[str, Any]) -> list[dict[str, Any]]:
    report = device.get("CapabilityReport")
    endpoints = report.get("endpoints") if isinstance(report, dict) else None
    return [e for e in endpoints or [] if isinstance(e, dict)]


def _cluster_name(cluster: dict[str, Any]) -> str:
    from c2c_cli.matter import load_catalog

    found = load_catalog().cluster(str(cluster.get("id", "")))
    return f"{found.name} ({cluster.get('id')})" if found else str(cluster.get("id"))


def first_with_cluster(devices: list[dict[str, Any]], cluster_id: str) -> tuple[str, str] | None:
    """(connectorDeviceId, endpoint id) of the first device with an endpoint carrying ``cluster_id``."""
    for device in devices:
        for endpoint in _endpoints(device):
            if any(isinstance(c, dict) and c.get("id") == cluster_id for c in endpoint.get("clusters") or []):
                return str(device.get("ConnectorDeviceId", "")), str(endpoint.get("id", ""))
    return None


def onoff_endpoints(devices: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(connectorDeviceId, endpoint id) of every device with an OnOff (0x0006) endpoint, in order."""
    found = [first_with_cluster([d], "0x0006") for d in devices]
    return [f for f in found if f is not None]


def summarize(devices: list[dict[str, Any]]) -> list[DeviceSummary]:
    """One summary per ``Device`` of the discovery events."""
    out = []
    for device in devices:
        endpoints = _endpoints(device)
        types = tuple(str(t) for e in endpoints for t in e.get("deviceTypes") or [])
        clusters = tuple(
            _cluster_name(c) for e in endpoints for c in e.get("clusters") or [] if isinstance(c, dict)
        )
        name = str(device.get("ConnectorDeviceName") or "")
        out.append(DeviceSummary(str(device.get("ConnectorDeviceId", "")), name, types, clusters))
    return out


def advertised_commands(device: dict[str, Any]) -> list[tuple[str, int, int, dict[int, Any]]]:
    """Every (endpoint id, cluster id, command id, current attribute values) the capability report advertises."""
    from c2c_cli.matter import parse_id

    out = []
    for endpoint in _endpoints(device):
        for cluster in endpoint.get("clusters") or []:
            cid = parse_id(cluster.get("id")) if isinstance(cluster, dict) else None
            if cid is None:
                continue
            current = {
                aid: a.get("value")
                for a in cluster.get("attributes") or []
                if isinstance(a, dict) and (aid := parse_id(a.get("id"))) is not None
            }
            for command in cluster.get("commands") or []:
                number = parse_id(command)
                if number is not None:
                    out.append((str(endpoint.get("id")), cid, number, current))
    return out


def resolve_device(devices: list[dict[str, Any]], wanted: str) -> str:
    """The ``ConnectorDeviceId`` of a saved device given by id or by name (case-insensitive).

    Raises:
        UsageError: no device, or several devices, match.
    """
    if any(d.get("ConnectorDeviceId") == wanted for d in devices):
        return wanted
    named = [d for d in devices if str(d.get("ConnectorDeviceName", "")).lower() == wanted.lower()]
    if len(named) != 1:
        problem = "no device" if not named else f"{len(named)} devices"
        raise UsageError(
            f"{problem} named {wanted!r} in the saved devices", hint="Pass the device id instead."
        )
    return str(named[0]["ConnectorDeviceId"])


def save_devices(path: Path, devices: list[dict[str, Any]]) -> None:
    """Write the discovered ``Device`` objects as JSON."""
    try:
        path.write_text(json.dumps({"devices": devices}, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def load_devices(path: Path) -> list[dict[str, Any]]:
    """Read a ``--save`` file back."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read devices from {path}: {exc}") from None
    devices = data.get("devices") if isinstance(data, dict) else None
    if not isinstance(devices, list):
        raise UsageError(
            f"{path} holds no devices list", hint="Create it with 'c2c simulate discover --save FILE'."
        )
    return [d for d in devices if isinstance(d, dict)]
