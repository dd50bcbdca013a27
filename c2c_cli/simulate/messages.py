"""The exact requests the service sends (contract.md §2.2, §3), with Matter names resolved by the catalog.

Commands go out in the documented list form (``[{"0x01": {}}]``) unless ``shape="map"`` (§5.4 policy 2);
field keys are spelled ``0x%04x`` (§9 #11); ReadState sends ``{"<attrId>": null}`` (§9 #12).
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from c2c_cli.contract.builders import request
from c2c_cli.errors import UsageError
from c2c_cli.matter import Cluster, Command, format_id, load_catalog, parse_id
from c2c_cli.matter.ids import READ_STATE, UPDATE_STATE

__all__ = [
    "build_endpoints",
    "command_endpoints",
    "command_request",
    "discovery_request",
    "new_discovery_id",
    "new_trace_id",
    "read_state_endpoints",
    "resolve_cluster",
    "sample_fields",
    "update_state_endpoints",
]

_TRUE = ("true", "1", "yes", "on")
_FALSE = ("false", "0", "no", "off")


def new_discovery_id() -> str:
    """A fresh ``DeviceDiscoveryId`` (``[A-Za-z0-9]+``)."""
    return secrets.token_hex(16)


def new_trace_id() -> str:
    """A fresh ``TraceId`` (``[a-zA-Z0-9:=_-]+``)."""
    return "c2c-sim-" + secrets.token_hex(12)


def discovery_request(
    auth: dict[str, Any], connector_id: str, discovery_id: str, device_ids: tuple[str, ...] = ()
) -> dict[str, Any]:
    """``AWS.DiscoverDevices`` with ``connectorDeviceIdList: []`` unless filtered (§9 #26)."""
    return request(
        "AWS.DiscoverDevices",
        auth,
        connector_id,
        deviceDiscoveryId=discovery_id,
        connectorDeviceIdList=list(device_ids),
    )


def command_request(
    auth: dict[str, Any], connector_id: str, device_id: str, trace_id: str, endpoints: list[dict[str, Any]]
) -> dict[str, Any]:
    """``AWS.SendCommand`` (contract.md §3.3)."""
    return request(
        "AWS.SendCommand",
        auth,
        connector_id,
        connectorDeviceId=device_id,
        traceId=trace_id,
        endpoints=endpoints,
    )


def resolve_cluster(name_or_id: str) -> Cluster:
    """A catalog cluster by name (``OnOff``) or id (``0x0006``, ``6``).

    Raises:
        UsageError: unknown cluster.
    """
    cluster = load_catalog().cluster(name_or_id)
    if cluster is None:
        raise UsageError(
            f"unknown Matter cluster {name_or_id!r}", hint="Use a name such as OnOff or an id such as 0x0006."
        )
    return cluster


def _resolve_command(cluster: Cluster, name_or_id: str) -> Command:
    command = cluster.command(name_or_id)
    if command is None:
        known = ", ".join(c.name for c in cluster.commands.values()) or "none"
        raise UsageError(f"{cluster.name} has no command {name_or_id!r} (known: {known})")
    return command


def _convert(value: str, type_name: str, what: str) -> Any:
    """A ``--arg`` string as the JSON value of a Matter type; raises UsageError when it does not fit."""
    text = value.strip()
    try:
        if type_name == "bool":
            if text.lower() not in _TRUE + _FALSE:
                raise ValueError(text)
            return text.lower() in _TRUE
        if type_name in ("int", "uint", "enum", "bitmap"):
            number = int(text, 0)
            if type_name != "int" and number < 0:
                raise ValueError(text)
            return number
        if type_name == "float":
            return float(text)
    except ValueError:
        raise UsageError(f"{what}: {value!r} is not a valid {type_name}") from None
    return value


def _parse_args(command: Command, args: list[str]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    by_name = {f.name.lower(): f for f in command.fields}
    for item in args:
        key, sep, raw = item.partition("=")
        if not sep:
            raise UsageError(f"--arg {item!r}: expected NAME=VALUE", hint="e.g. --arg level=128")
        number = parse_id(key)
        spec = by_name.get(key.lower()) or next((f for f in command.fields if f.tag == number), None)
        if spec is None:
            known = ", ".join(f.name for f in command.fields) or "none"
            raise UsageError(f"{command.name} has no field {key!r} (fields: {known})")
        fields[format_id(spec.tag, "field")] = _convert(raw, spec.type, f"--arg {key}")
    # Mandatory fields not given get the catalog's neutral value: the service always sends them all.
    for spec in command.fields:
        if not spec.optional:
            fields.setdefault(format_id(spec.tag, "field"), _neutral(spec.type, spec.enum_values))
    return fields


def _endpoints(
    endpoint: str, cluster: int, command: int, fields: dict[str, Any], shape: str
) -> list[dict[str, Any]]:
    command_key = format_id(command, "command")
    commands: Any = {command_key: fields} if shape == "map" else [{command_key: fields}]
    return [{"id": endpoint, "clusters": [{"id": format_id(cluster, "cluster"), "commands": commands}]}]


def command_endpoints(
    endpoint: str, cluster: str, command: str, args: list[str], *, shape: str = "list"
) -> list[dict[str, Any]]:
    """``endpoints`` for one Matter command given by names or ids, ``--arg`` values type-checked.

    Raises:
        UsageError: unknown cluster, command or field, or a value of the wrong type.
    """
    found = resolve_cluster(cluster)
    spec = _resolve_command(found, command)
    return _endpoints(endpoint, found.id, spec.id, _parse_args(spec, args), shape)


def _attribute_id(cluster: Cluster, name_or_id: str) -> tuple[int, str]:
    attribute = cluster.attribute(name_or_id)
    if attribute is None:
        number = parse_id(name_or_id)
        if number is None:
            raise UsageError(f"{cluster.name} has no attribute {name_or_id!r}")
        return number, "string"
    return attribute.id, attribute.type


def update_state_endpoints(
    endpoint: str, cluster: str, assignments: list[str], *, shape: str = "list"
) -> list[dict[str, Any]]:
    """UpdateState (``0xff01``, contract.md §5.3): attribute id → new value."""
    found = resolve_cluster(cluster)
    fields: dict[str, Any] = {}
    for item in assignments:
        key, sep, raw = item.partition("=")
        if not sep:
            raise UsageError(
                f"--update-state {item!r}: expected ATTR=VALUE", hint="e.g. --update-state OnOff=true"
            )
        attr_id, type_name = _attribute_id(found, key)
        fields[format_id(attr_id, "attribute")] = _convert(raw, type_name, f"--update-state {key}")
    return _endpoints(endpoint, found.id, UPDATE_STATE, fields, shape)


def read_state_endpoints(
    endpoint: str, cluster: str, attributes: list[str], *, shape: str = "list"
) -> list[dict[str, Any]]:
    """ReadState (``0xff02``): ``{"<attrId>": null}`` per attribute (contract.md §9 #12)."""
    found = resolve_cluster(cluster)
    fields = {format_id(_attribute_id(found, a)[0], "attribute"): None for a in attributes}
    return _endpoints(endpoint, found.id, READ_STATE, fields, shape)


def sample_fields(
    cluster_id: int, command_id: int, current: dict[int, Any] | None = None
) -> dict[str, Any] | None:
    """Valid field values for a command (None when the catalog does not know the command).

    A field takes the device's current value of a same-named attribute, else a neutral value of its
    catalog type (the first enum value, 0, false).

    Args:
        cluster_id: the cluster.
        command_id: the command.
        current: the device's attribute values from its capability report (attribute id → value).
    """
    cluster = load_catalog().cluster(cluster_id)
    command = cluster.command(command_id) if cluster else None
    if cluster is None or command is None:
        return None
    values: dict[str, Any] = {}
    for f in command.fields:
        if f.optional:
            continue
        attribute = cluster.attribute(f.name[:1].upper() + f.name[1:])
        if attribute is not None and current and isinstance(current.get(attribute.id), (int, float)):
            values[format_id(f.tag, "field")] = current[attribute.id]
        else:
            values[format_id(f.tag, "field")] = _neutral(f.type, f.enum_values)
    return values


def _neutral(type_name: str, enum_values: dict[int, str] | None) -> Any:
    if type_name == "bool":
        return False
    if type_name == "enum" and enum_values:
        return min(enum_values)
    if type_name in ("int", "uint", "enum", "bitmap"):
        return 0
    if type_name == "float":
        return 0.0
    if type_name == "list":
        return []
    if type_name == "struct":
        return {}
    return ""


def build_endpoints(
    endpoint: str,
    cluster: str | None,
    command: str | None,
    args: list[str],
    raw: Path | None,
    updates: list[str],
    reads: list[str],
    shape: str = "list",
) -> list[dict[str, Any]]:
    """``endpoints`` from exactly one of ``--command``, ``--raw``, ``--update-state`` or ``--read-state``.

    Raises:
        UsageError: none or several given, ``--cluster`` missing, or an unreadable ``--raw`` file.
    """
    chosen = [name for name, given in (("--command", command), ("--raw", raw), ("--update-state", updates),
                                       ("--read-state", reads)) if given]  # fmt: skip
    if len(chosen) != 1:
        raise UsageError(
            "give exactly one of --command, --raw, --update-state, --read-state"
            + (f" (got {', '.join(chosen)})" if chosen else ""),
            hint="e.g. --cluster OnOff --command On",
        )
    if raw is not None:
        return _raw_endpoints(raw)
    if not cluster:
        raise UsageError(f"{chosen[0]} needs --cluster", hint="e.g. --cluster OnOff")
    if command is not None:
        return command_endpoints(endpoint, cluster, command, args, shape=shape)
    if updates:
        return update_state_endpoints(endpoint, cluster, updates, shape=shape)
    return read_state_endpoints(endpoint, cluster, reads, shape=shape)


def _raw_endpoints(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read --raw {path}: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("endpoints"), list):
        data = data["endpoints"]
    if not isinstance(data, list):
        raise UsageError(f"--raw {path}: expected the endpoints list (or an object with 'endpoints')")
    return data
