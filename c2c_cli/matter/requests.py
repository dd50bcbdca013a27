"""Lint of the ``endpoints`` of an ``AWS.SendCommand`` request (contract.md §3.3, §5.3, §5.4 policy 2).

``[{"id": "1", "clusters": [{"id": "0x0202", "commands": ...}]}]`` where ``commands`` is either the documented
list of one-key objects or a map (both fine). Nothing here has been model-checked, so every structural
problem is reported (``matter.endpoints-shape``).
"""

from __future__ import annotations

from typing import Any

from c2c_cli.matter.catalog import Cluster
from c2c_cli.matter.common import Context, lint_cluster_id, lint_command_entry, shape_severity
from c2c_cli.matter.rules import at, make
from c2c_cli.violation import Violation

__all__ = ["lint_command_endpoints"]

_SHAPE_HINT = 'send [{"id": "1", "clusters": [{"id": "0x0006", "commands": [{"0x01": {}}]}]}]'


def lint_command_endpoints(endpoints: Any, path: str, *, lenient: bool = False) -> list[Violation]:
    """Violations of a SendCommand ``endpoints`` value; never raises on any JSON.

    Args:
        endpoints: the payload's ``endpoints`` (any JSON).
        path: its JSON path, e.g. ``$.payload.endpoints``.
        lenient: multi-key command items become warnings instead of errors.
    """
    if not isinstance(endpoints, list):
        return [_shape(path, f"endpoints must be a list, got {type(endpoints).__name__}")]
    ctx = Context(lenient)
    out: list[Violation] = []
    for i, endpoint in enumerate(endpoints):
        out += _lint_endpoint(endpoint, at(path, i), ctx)
    return out


def _lint_endpoint(endpoint: Any, path: str, ctx: Context) -> list[Violation]:
    if not isinstance(endpoint, dict):
        return [_shape(path, "each endpoint must be an object with id and clusters")]
    out: list[Violation] = []
    endpoint_id = endpoint.get("id")
    if not (isinstance(endpoint_id, str) and endpoint_id):
        out.append(_shape(at(path, "id"), 'endpoint id must be a non-empty string such as "1"'))
    clusters = endpoint.get("clusters")
    if not isinstance(clusters, list):
        return [*out, _shape(at(path, "clusters"), "endpoint clusters must be a list")]
    for j, cluster in enumerate(clusters):
        out += _lint_cluster(cluster, at(at(path, "clusters"), j), ctx)
    return out


def _lint_cluster(raw: Any, path: str, ctx: Context) -> list[Violation]:
    if not isinstance(raw, dict):
        return [_shape(path, "each cluster must be an object with id and commands")]
    cluster: Cluster | None = None
    out: list[Violation] = []
    if "id" in raw:
        cluster, out = lint_cluster_id(raw["id"], at(path, "id"), model_checked=False)
    else:
        out.append(_shape(path, "cluster has no id"))
    if "commands" not in raw:
        return [*out, _shape(path, "cluster has no commands")]
    return out + _lint_commands(cluster, raw["commands"], at(path, "commands"), ctx)


def _lint_commands(cluster: Cluster | None, commands: Any, path: str, ctx: Context) -> list[Violation]:
    if isinstance(commands, dict):  # map form (§5.4 policy 2)
        return [
            v
            for key, fields in commands.items()
            for v in lint_command_entry(cluster, key, fields, at(path, key), ctx)
        ]
    if not isinstance(commands, list):
        message = f"commands must be a list of one-key objects or a map, got {type(commands).__name__}"
        return [make("matter.commands-shape", path, message, _SHAPE_HINT)]
    out: list[Violation] = []
    for i, item in enumerate(commands):  # documented list form
        item_path = at(path, i)
        if not isinstance(item, dict):
            out.append(
                make("matter.commands-shape", item_path, "command item must be an object", _SHAPE_HINT)
            )
            continue
        if len(item) != 1:
            message = f"command item must have exactly one key (the command id), has {len(item)}"
            hint = 'one command per item: [{"0x00": {...}}, {"0x01": {...}}]'
            out.append(make("matter.commands-shape", item_path, message, hint, severity=shape_severity(ctx)))
        out += [
            v
            for key, fields in item.items()
            for v in lint_command_entry(cluster, key, fields, at(item_path, key), ctx)
        ]
    return out


def _shape(path: str, message: str) -> Violation:
    return make("matter.endpoints-shape", path, message, _SHAPE_HINT)
