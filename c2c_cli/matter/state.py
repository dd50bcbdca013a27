"""Lint of a ``MatterEndpoint`` in DEVICE_EVENT / DEVICE_COMMAND_RESPONSE events (contract.md §4.6, §5.4 policy 1).

The caller has already validated the model shapes (list sizes, id patterns, ``commands`` being a map); this
checks the Matter meaning and the document-typed members (``attributes``, command and event fields).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from c2c_cli.matter.catalog import Cluster
from c2c_cli.matter.common import (
    Context,
    lint_attribute_entry,
    lint_cluster_id,
    lint_command_entry,
    lint_event_entry,
    shape_severity,
)
from c2c_cli.matter.rules import at, make
from c2c_cli.violation import Violation

__all__ = ["lint_matter_endpoint"]

_Entry = Callable[[Cluster | None, Any, Any, str, Context], list[Violation]]
_MAP_HINT = 'send an object map {"0x0000": value}'


def lint_matter_endpoint(
    endpoint: Any, path: str, *, lenient: bool = False, command_response: bool = False
) -> list[Violation]:
    """Violations of one MatterEndpoint; never raises on any JSON.

    Args:
        endpoint: the ``MatterEndpoint`` value (any JSON).
        path: its JSON path, e.g. ``$.MatterEndpoint``.
        lenient: shapes no source shows become warnings instead of errors (``--lenient``).
        command_response: the event is a DEVICE_COMMAND_RESPONSE, whose command echo may carry result
            fields: only known fields are type-checked; missing and unknown fields are not reported (§3.3).
    """
    if not isinstance(endpoint, dict):
        return []  # the model check reports the type
    ctx = Context(lenient, command_echo=command_response, keys_model_checked=True)
    out = [
        _missing(path, member, "MatterEndpoint") for member in ("id", "clusters") if member not in endpoint
    ]
    clusters = endpoint.get("clusters")
    if isinstance(clusters, list):
        base = at(path, "clusters")
        for i, cluster in enumerate(clusters):
            out += _lint_cluster(cluster, at(base, i), ctx)
    return out


def _lint_cluster(raw: Any, path: str, ctx: Context) -> list[Violation]:
    if not isinstance(raw, dict):
        return []
    cluster: Cluster | None = None
    out: list[Violation] = []
    if "id" in raw:
        cluster, out = lint_cluster_id(raw["id"], at(path, "id"), model_checked=True)
    else:
        out.append(_missing(path, "id", "MatterCluster"))
    if not any(member in raw for member in ("attributes", "commands", "events")):
        message = "cluster has none of attributes, commands, events"
        out.append(
            make("matter.empty-cluster", path, message, "send the changed attributes, or drop the cluster")
        )
    if "attributes" in raw:
        out += _lint_attributes(cluster, raw["attributes"], at(path, "attributes"), ctx)
    if "commands" in raw:
        out += _lint_map(cluster, raw["commands"], at(path, "commands"), lint_command_entry, ctx)
    if "events" in raw:
        out += _lint_map(cluster, raw["events"], at(path, "events"), lint_event_entry, ctx)
    return out


def _lint_attributes(cluster: Cluster | None, attributes: Any, path: str, ctx: Context) -> list[Violation]:
    if isinstance(attributes, dict):
        return _entries(cluster, attributes, path)
    if not isinstance(attributes, list):
        message = f"attributes must be an object map of attribute id -> value, got {_kind(attributes)}"
        return [make("matter.attributes-shape", path, message, _MAP_HINT, severity=shape_severity(ctx))]
    out: list[Violation] = []
    for i, item in enumerate(attributes):
        item_path = at(path, i)
        if not (isinstance(item, dict) and len(item) == 1):
            message = f"attributes list item must be a one-key object, got {_kind(item)}"
            out.append(
                make("matter.attributes-shape", item_path, message, _MAP_HINT, severity=shape_severity(ctx))
            )
        if isinstance(item, dict):
            out += _entries(cluster, item, item_path)
    if not any(v.rule == "matter.attributes-shape" for v in out):
        message = "attributes is a list of one-key objects (developer-guide form, not the model's map)"
        out.insert(0, make("matter.attributes-list-shape", path, message, _MAP_HINT))
    return out


def _entries(cluster: Cluster | None, attributes: dict[Any, Any], path: str) -> list[Violation]:
    return [
        v
        for key, value in attributes.items()
        for v in lint_attribute_entry(cluster, key, value, at(path, key))
    ]


def _lint_map(cluster: Cluster | None, value: Any, path: str, entry: _Entry, ctx: Context) -> list[Violation]:
    if isinstance(value, dict):
        return [v for key, fields in value.items() for v in entry(cluster, key, fields, at(path, key), ctx)]
    if isinstance(value, list):  # a model error the caller reports; still look inside, leniently
        items = [(at(path, i), item) for i, item in enumerate(value) if isinstance(item, dict)]
        return [
            v
            for p, item in items
            for key, fields in item.items()
            for v in entry(cluster, key, fields, at(p, key), ctx)
        ]
    return []


def _missing(path: str, member: str, shape: str) -> Violation:
    return make(
        "matter.missing-member",
        path,
        f"{shape} has no {member!r} (the toolkit requires it)",
        f"add {member!r}" + (' (e.g. "1")' if shape == "MatterEndpoint" and member == "id" else ""),
    )


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return f"an object with {len(value)} keys"
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )
