"""Apply :mod:`connector.matter_map`: capability reports, Matter state, and commands to vendor commands.

Ids are written as the docs do (contract §5.2): ``0x%04x`` for clusters, attributes and fields, ``0x%02x``
for commands; incoming ids are compared by value, so ``"0x6"``, ``"0x0006"`` and ``"6"`` are one cluster.
``AWS.SendCommand`` carries ``commands`` either as a list of one-key objects or as a map (§5.4); both parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from connector.envelope import ConnectorError
from connector.matter_map import ENDPOINT_ID, KINDS, SPEC_VERSION, Cluster, DeviceKind, VendorCommand

UPDATE_STATE = 0xFF01
READ_STATE = 0xFF02
_NAME_UNSAFE = re.compile(r"[^\w .-]")


def cluster_id(number: int) -> str:
    """``0x0006``."""
    return f"0x{number:04x}"


def command_id(number: int) -> str:
    """``0x01``; AWS commands keep their full width (``0xff01``)."""
    return f"0x{number:02x}"


def parse_id(value: Any) -> int:
    """A hex (``0x..``) or decimal id as a number.

    Raises:
        ValueError: not an id.
    """
    text = str(value).strip()
    return int(text, 16) if text[:2].lower() == "0x" else int(text, 10)


def _attribute_values(cluster: Cluster, state: dict[str, Any], ids: set[int] | None) -> dict[str, Any]:
    out = {}
    for attribute in cluster.attributes:
        if ids is not None and attribute.id not in ids:
            continue
        if attribute.key is None:
            out[cluster_id(attribute.id)] = attribute.value
        elif attribute.key in state:
            out[cluster_id(attribute.id)] = attribute.read(state[attribute.key])
    return out


def capability_report(kind: DeviceKind, state: dict[str, Any]) -> dict[str, Any]:
    """The ``MatterCapabilityReport`` of one device (contract §4.5), current values included."""
    clusters = []
    for cluster in kind.clusters:
        values = _attribute_values(cluster, state, None)
        clusters.append(
            {
                "id": cluster_id(cluster.id),
                "revision": cluster.revision,
                "publicId": f"matter.{cluster.name}@{SPEC_VERSION}",
                "name": cluster.name,
                "specVersion": SPEC_VERSION,
                "featureMap": cluster.feature_map,
                "attributes": [
                    {"id": cluster_id(a.id), "name": a.name, "value": values[cluster_id(a.id)]}
                    for a in cluster.attributes
                    if cluster_id(a.id) in values
                ],
                "commands": [command_id(c.id) for c in cluster.commands],
            }
        )
    endpoint = {"id": ENDPOINT_ID, "deviceTypes": list(kind.device_types), "clusters": clusters}
    return {"version": "1.0.0", "endpoints": [endpoint]}


def device_entry(device: dict[str, Any]) -> dict[str, Any] | None:
    """A ``Device`` of a ``DEVICE_DISCOVERY`` event, or ``None`` for a kind the table lacks."""
    kind = KINDS.get(str(device.get("kind")))
    if kind is None:
        return None
    name = _NAME_UNSAFE.sub(" ", str(device.get("name") or "")).strip()[:256]
    entry: dict[str, Any] = {
        "ConnectorDeviceId": str(device["id"]),
        "CapabilityReport": capability_report(kind, dict(device.get("state") or {})),
        "DeviceMetadata": {
            key: device[key] for key in ("kind", "manufacturer", "model", "firmware", "online") if key in device
        },
    }
    if name:
        entry["ConnectorDeviceName"] = name
    return entry


def matter_state(
    kind: DeviceKind,
    state: dict[str, Any],
    *,
    keys: set[str] | None = None,
    reads: dict[int, set[int] | None] | None = None,
) -> dict[str, Any]:
    """A ``MatterEndpoint`` with attribute values: those fed by vendor ``keys``, or the ``reads`` asked for.

    Constants are left out of state reports unless a read asks for them. At most 5 clusters (§4.6).
    """
    clusters = []
    for cluster in kind.clusters:
        if reads is not None:
            if cluster.id not in reads:
                continue
            values = _attribute_values(cluster, state, reads[cluster.id])
        else:
            wanted = {a.id for a in cluster.attributes if a.key is not None and (keys is None or a.key in keys)}
            values = _attribute_values(cluster, state, wanted) if wanted else {}
        if values:
            clusters.append({"id": cluster_id(cluster.id), "attributes": values})
    return {"id": ENDPOINT_ID, "clusters": clusters[:5]}


@dataclass(frozen=True)
class CommandRequest:
    """One Matter command of an ``AWS.SendCommand`` request."""

    endpoint: str
    cluster: int
    command: int
    fields: dict[int, Any]


def _command_items(commands: Any) -> list[tuple[Any, Any]]:
    if isinstance(commands, dict):
        return list(commands.items())
    if isinstance(commands, list) and all(isinstance(c, dict) and len(c) == 1 for c in commands):
        return [next(iter(c.items())) for c in commands]
    raise ValueError("commands must be a map or a list of one-key objects")


def parse_commands(endpoints: Any) -> list[CommandRequest]:
    """Every command of ``payload.endpoints`` (contract §3.3).

    Raises:
        ConnectorError: 400 when the shape is not one of the documented ones.
    """
    try:
        out = []
        for endpoint in endpoints:
            for cluster in endpoint["clusters"]:
                for command, fields in _command_items(cluster.get("commands")):
                    if not isinstance(fields, dict):
                        raise ValueError("command fields must be an object")
                    parsed = {parse_id(k): v for k, v in fields.items()}
                    out.append(CommandRequest(str(endpoint["id"]), parse_id(cluster["id"]), parse_id(command), parsed))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ConnectorError(400, f"payload.endpoints is malformed: {exc}") from None
    if not out:
        raise ConnectorError(400, "payload.endpoints holds no command")
    return out


@dataclass
class Plan:
    """What a SendCommand does at the vendor, and which attributes to report afterwards."""

    commands: list[VendorCommand] = field(default_factory=list)
    reads: dict[int, set[int] | None] = field(default_factory=dict)


def _plan_one(kind: DeviceKind, state: dict[str, Any], request: CommandRequest, plan: Plan) -> None:
    cluster = next((c for c in kind.clusters if c.id == request.cluster), None)
    if cluster is None or request.endpoint != ENDPOINT_ID:
        raise ConnectorError(400, f"endpoint {request.endpoint} has no cluster {cluster_id(request.cluster)}")
    attributes = {a.id: a for a in cluster.attributes}
    if request.command == READ_STATE:
        wanted = set(request.fields) & set(attributes)
        current = plan.reads.get(cluster.id, set())
        # No known attribute ids (e.g. {} or ["*"]-style reads): report the whole cluster.
        plan.reads[cluster.id] = None if not wanted or current is None else current | wanted
        return
    if request.command == UPDATE_STATE:
        for attr_id, value in request.fields.items():
            attribute = attributes.get(attr_id)
            if attribute is None or attribute.write is None:
                raise ConnectorError(400, f"attribute {cluster_id(attr_id)} of {cluster.name} is not writable")
            plan.commands.extend(attribute.write(value, state))
    else:
        command = next((c for c in cluster.commands if c.id == request.command), None)
        if command is None:
            raise ConnectorError(400, f"{cluster.name} has no command {command_id(request.command)} here")
        plan.commands.extend(command.translate(request.fields, state))
    _add_reads(plan.reads, cluster.id, {a.id for a in cluster.attributes if a.key is not None})


def _add_reads(reads: dict[int, set[int] | None], cluster: int, ids: set[int]) -> None:
    current = reads.get(cluster, set())
    if current is not None:
        reads[cluster] = current | ids


def with_changes(
    kind: DeviceKind, reads: dict[int, set[int] | None], before: dict[str, Any], after: dict[str, Any]
) -> dict[int, set[int] | None]:
    """``reads`` plus every attribute fed by a vendor key whose value changed (e.g. OnOff after
    MoveToLevelWithOnOff), so a command response shows all it changed."""
    changed = {key for key in after if after.get(key) != before.get(key)}
    out = dict(reads)
    for cluster in kind.clusters:
        ids = {a.id for a in cluster.attributes if a.key in changed}
        if ids:
            _add_reads(out, cluster.id, ids)
    return out


def plan_commands(kind: DeviceKind, state: dict[str, Any], requests: list[CommandRequest]) -> Plan:
    """Translate every Matter command before any vendor call, so a bad one changes nothing.

    Raises:
        ConnectorError: 400 for an unknown endpoint, cluster, command, attribute or bad field value.
    """
    plan = Plan()
    for request in requests:
        try:
            _plan_one(kind, state, request, plan)
        except (ValueError, TypeError, KeyError) as exc:
            raise ConnectorError(400, f"bad fields for command {command_id(request.command)}: {exc}") from None
    return plan
