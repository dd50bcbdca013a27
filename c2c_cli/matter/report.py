"""Lint of a ``MatterCapabilityReport`` sent at discovery (contract.md §4.5, §5.5, §9 #23).

The caller has already checked the model (required members, lengths, patterns); this checks the Matter
meaning: known clusters, attributes, accepted commands, events and device types, decimal and vendor ids,
revisions, attribute value types. Missing or wrongly typed members are skipped (the model check reports them).
"""

from __future__ import annotations

from typing import Any

from c2c_cli.matter.catalog import Cluster, load_catalog
from c2c_cli.matter.common import check_id, lint_attribute_entry, lint_cluster_id, listing
from c2c_cli.matter.ids import READ_STATE, UPDATE_STATE, IdKind, format_id, vendor_of
from c2c_cli.matter.rules import at, make
from c2c_cli.violation import Violation

__all__ = ["lint_capability_report"]


def lint_capability_report(report: Any, path: str) -> list[Violation]:
    """Violations of one capability report (any JSON; never raises).

    Args:
        report: the ``CapabilityReport`` value, already model-checked.
        path: its JSON path, e.g. ``$.Devices[0].CapabilityReport``.
    """
    endpoints = report.get("endpoints") if isinstance(report, dict) else None
    if not isinstance(endpoints, list):
        return []
    base = at(path, "endpoints")
    return [
        v for i, ep in enumerate(endpoints) if isinstance(ep, dict) for v in _lint_endpoint(ep, at(base, i))
    ]


def _lint_endpoint(endpoint: dict[str, Any], path: str) -> list[Violation]:
    out = [v for p, dt in _items(endpoint, "deviceTypes", path) for v in _lint_device_type(dt, p)]
    for p, raw in _items(endpoint, "clusters", path):
        out += _lint_cluster(raw, p) if isinstance(raw, dict) else []
    for p, raw in _items(endpoint, "clientClusters", path):
        out += lint_cluster_id(raw, p, model_checked=True)[1]
    return out


def _lint_device_type(value: Any, path: str) -> list[Violation]:
    if not isinstance(value, str) or not value or load_catalog().device_type(value) is not None:
        return []  # non-strings and "" are model errors (contract.md §9 #25)
    return [
        make(
            "matter.unknown-device-type",
            path,
            f"device type {value!r} is neither a Matter device type id nor name",
            'use a Matter device type name such as "Dimmable Light" or its id such as "0x0101"',
            value=value,
        )
    ]


def _lint_cluster(raw: dict[str, Any], path: str) -> list[Violation]:
    if "id" not in raw:
        return []
    cluster, out = lint_cluster_id(raw["id"], at(path, "id"), model_checked=True)
    out += _lint_revision(cluster, raw.get("revision"), at(path, "revision"))
    for p, item in _items(raw, "attributes", path):
        if isinstance(item, dict) and "id" in item:
            out += lint_attribute_entry(
                cluster,
                item["id"],
                item.get("value"),
                at(p, "id"),
                value_path=at(p, "value"),
                model_checked=True,
                has_value="value" in item,
            )
    out += [v for p, cmd in _items(raw, "commands", path) for v in _lint_listed(cluster, cmd, p, "command")]
    out += [v for p, ev in _items(raw, "events", path) for v in _lint_listed(cluster, ev, p, "event")]
    for p, cmd in _items(raw, "generatedCommands", path):
        out += check_id(cmd, p, "command", model_checked=True)[1]
    return out


def _lint_revision(cluster: Cluster | None, revision: Any, path: str) -> list[Violation]:
    known = cluster.revision if cluster else None
    if known is None or not isinstance(revision, int) or isinstance(revision, bool) or revision <= known:
        return []
    assert cluster is not None  # known is not None only with a cluster
    return [
        make(
            "matter.revision",
            path,
            f"{cluster.name} revision {revision} is above the latest the catalogue knows ({known})",
            f"report the cluster revision the device implements (Matter 1.4: {known})",
            value=revision,
        )
    ]


def _lint_listed(cluster: Cluster | None, raw: Any, path: str, kind: IdKind) -> list[Violation]:
    n, out = check_id(raw, path, kind, model_checked=True)
    if (
        n is None
        or cluster is None
        or vendor_of(n)
        or (kind == "command" and n in (UPDATE_STATE, READ_STATE))
    ):
        return out
    table = cluster.commands if kind == "command" else cluster.events
    if n in table:
        return out
    names = listing(((i, e.name) for i, e in table.items()), kind) or "none"
    rule = "matter.unknown-command" if kind == "command" else "matter.unknown-event"
    what = "an accepted command" if kind == "command" else "an event"
    message = f"{kind} {format_id(n, kind)} is not {what} of {cluster.name}"
    return [*out, make(rule, path, message, f"known: {names}", value=raw)]


def _items(parent: dict[str, Any], member: str, path: str) -> list[tuple[str, Any]]:
    """``(path, item)`` for each item of ``parent[member]`` when it is a list; nothing otherwise."""
    value = parent.get(member)
    if not isinstance(value, list):
        return []
    base = at(path, member)
    return [(at(base, i), item) for i, item in enumerate(value)]
