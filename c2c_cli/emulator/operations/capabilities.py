"""The boundary between the customer's capability names and the connector's Matter ids (contract.md §5.1).

Customer side: capabilities such as ``matter.OnOff@1.4`` with property and action names; connector side:
cluster, attribute, command and field ids. The Matter catalog (``c2c_cli.matter``) resolves names both
ways. Commands become the documented list form of ``AWS.SendCommand`` (§3.3, §5.4 policy 2): an action
``On`` → ``{"0x01": {}}``; ``UpdateState`` ``{"OnOff": true}`` → ``{"0xff01": {"0x0000": true}}``;
``ReadState`` ``{"propertiesToRead": ["OnOff"] | ["*"]}`` → ``{"0xff02": {"0x0000": null}}`` (§5.3, §9 #12).
A managed thing's state is kept as endpoint → cluster id → attribute id → value and shown to the customer
as ``properties: {"<attribute name>": value}`` per capability (toolkit rule: the model leaves
``properties`` a free document).
"""

from __future__ import annotations

import re
from typing import Any

from c2c_cli.emulator.http.errors import ApiError
from c2c_cli.matter import Cluster, format_id, load_catalog, parse_id
from c2c_cli.matter.ids import READ_STATE, UPDATE_STATE

__all__ = ["apply_endpoint", "customer_report", "customer_state", "matter_endpoints"]

_CAPABILITY = re.compile(r"(?:matter\.)?(?P<name>[A-Za-z0-9]+)@[0-9.]+|(?P<latest>[A-Za-z0-9.]+)@\$latest")
_MAX_STATE = 5  # StateEndpoints / StateCapabilities hold at most 5 items


def _cluster_name(cluster_id: Any) -> tuple[int | None, Cluster | None]:
    number = parse_id(cluster_id) if isinstance(cluster_id, str) else None
    return number, load_catalog().cluster(number) if number is not None else None


def _capability_id(raw: dict[str, Any], cluster: Cluster | None) -> str:
    public = raw.get("publicId")
    if isinstance(public, str) and public:
        return public
    return f"matter.{cluster.name}@1.4" if cluster else f"matter.Cluster{raw.get('id')}@1.4"


def _names(ids: Any, lookup: Any) -> list[str]:
    out = []
    for raw in ids if isinstance(ids, list) else []:
        item = lookup(raw) if isinstance(raw, (str, int)) else None
        out.append(item.name if item else str(raw))
    return [n for n in out if re.fullmatch(r"[/a-zA-Z0-9._ -]+", n)]


def _capability(raw: dict[str, Any]) -> dict[str, Any]:
    _, cluster = _cluster_name(raw.get("id"))
    attribute_ids = [a.get("id") for a in raw.get("attributes", []) if isinstance(a, dict)]
    return {
        "id": _capability_id(raw, cluster),
        "name": cluster.name if cluster else str(raw.get("name") or raw.get("id")),
        "version": str(raw.get("revision") or 1),
        "properties": _names(attribute_ids, cluster.attribute if cluster else lambda _: None),
        "actions": _names(raw.get("commands"), cluster.command if cluster else lambda _: None),
        "events": _names(raw.get("events"), cluster.event if cluster else lambda _: None),
    }


def customer_report(matter_report: dict[str, Any]) -> dict[str, Any]:
    """The customer-side ``CapabilityReport`` of a discovered device's ``MatterCapabilityReport``."""
    endpoints = [
        {
            "id": str(endpoint.get("id")),
            "deviceTypes": [str(t) for t in endpoint.get("deviceTypes", []) if t],
            "capabilities": [
                _capability(c) for c in endpoint.get("clusters", [])[:40] if isinstance(c, dict)
            ],
        }
        for endpoint in matter_report.get("endpoints", [])
        if isinstance(endpoint, dict)
    ]
    report: dict[str, Any] = {"version": "1.0.0", "endpoints": endpoints[:40]}
    if matter_report.get("nodeId"):
        report["nodeId"] = matter_report["nodeId"]
    return report


def _resolve_cluster(capability: dict[str, Any], matter_report: dict[str, Any]) -> Cluster:
    for endpoint in matter_report.get("endpoints", []):
        for raw in endpoint.get("clusters", []):
            if raw.get("publicId") == capability["id"]:
                found = _cluster_name(raw.get("id"))[1]
                if found:
                    return found
    match = _CAPABILITY.fullmatch(str(capability["id"]))
    cluster = load_catalog().cluster(match["name"] or match["latest"].rsplit(".", 1)[-1]) if match else None
    if cluster is None:
        raise ApiError("ValidationException", f"capability {capability['id']} is not a known Matter cluster")
    return cluster


def _reported_attributes(cluster: Cluster, matter_report: dict[str, Any]) -> list[int]:
    ids = [
        parse_id(a.get("id"))
        for endpoint in matter_report.get("endpoints", [])
        for raw in endpoint.get("clusters", [])
        if parse_id(raw.get("id")) == cluster.id
        for a in raw.get("attributes", [])
        if isinstance(a, dict)
    ]
    known = [i for i in ids if i is not None]
    return known or [a for a in cluster.attributes if a < 0xF000]


def _attribute_id(cluster: Cluster, name: Any) -> str:
    attribute = cluster.attribute(name) if isinstance(name, (str, int)) else None
    if attribute is None:
        raise ApiError("ValidationException", f"{cluster.name} has no property {name!r}")
    return format_id(attribute.id, "attribute")


def _action(cluster: Cluster, action: dict[str, Any], matter_report: dict[str, Any]) -> dict[str, Any]:
    name, params = action["name"], action.get("parameters") or {}
    if not isinstance(params, dict):
        raise ApiError("ValidationException", f"parameters of action {name} must be an object")
    if name == "UpdateState":
        fields = {_attribute_id(cluster, k): v for k, v in params.items()}
        return {format_id(UPDATE_STATE, "command"): fields}
    if name == "ReadState":
        wanted = params.get("propertiesToRead") or ["*"]
        ids = (
            [format_id(i, "attribute") for i in _reported_attributes(cluster, matter_report)]
            if "*" in wanted
            else [_attribute_id(cluster, n) for n in wanted]
        )
        return {format_id(READ_STATE, "command"): dict.fromkeys(ids)}
    command = cluster.command(name)
    if command is None:
        raise ApiError("ValidationException", f"{cluster.name} has no action {name!r}")
    fields = {}
    for key, value in params.items():
        found = next((f for f in command.fields if f.name.lower() == str(key).lower()), None)
        tag = found.tag if found else parse_id(str(key))
        if tag is None:
            raise ApiError("ValidationException", f"action {name} has no parameter {key!r}")
        fields[format_id(tag, "field")] = value
    return {format_id(command.id, "command"): fields}


def matter_endpoints(endpoints: list[dict[str, Any]], matter_report: dict[str, Any]) -> list[dict[str, Any]]:
    """``SendManagedThingCommand.Endpoints`` as ``AWS.SendCommand`` endpoints (list form, hex ids).

    Raises:
        ApiError: ``ValidationException`` naming an unknown capability, property, action or parameter.
    """
    out = []
    for endpoint in endpoints:
        clusters = []
        for capability in endpoint["capabilities"]:
            cluster = _resolve_cluster(capability, matter_report)
            commands = [_action(cluster, a, matter_report) for a in capability["actions"]]
            clusters.append({"id": format_id(cluster.id, "cluster"), "commands": commands})
        out.append({"id": endpoint["endpointId"], "clusters": clusters})
    return out


def _attribute_items(attributes: Any) -> list[tuple[Any, Any]]:
    if isinstance(attributes, dict):
        return list(attributes.items())
    # contract.md §5.4: the devguide's list of one-key objects is accepted (with a warning at validation).
    return [kv for item in attributes or [] if isinstance(item, dict) for kv in item.items()]


def apply_endpoint(state: dict[str, Any], endpoint: dict[str, Any]) -> bool:
    """Merge a ``MatterEndpoint``'s attribute values into a thing's state; True when anything changed."""
    eid = str(endpoint.get("id") or "1")
    changed = False
    for cluster in endpoint.get("clusters") or []:
        cid = parse_id(cluster.get("id")) if isinstance(cluster, dict) else None
        if cid is None:
            continue
        values = state.setdefault(eid, {}).setdefault(format_id(cid, "cluster"), {})
        for key, value in _attribute_items(cluster.get("attributes")):
            aid = parse_id(key)
            if aid is not None:
                changed = changed or values.get(format_id(aid, "attribute")) != value
                values[format_id(aid, "attribute")] = value
    return changed


def _state_capability(
    cluster_id: str, values: dict[str, Any], matter_report: dict[str, Any]
) -> dict[str, Any]:
    number, cluster = _cluster_name(cluster_id)
    raw = next(
        (
            c
            for e in matter_report.get("endpoints", [])
            for c in e.get("clusters", [])
            if parse_id(c.get("id")) == number
        ),
        {"id": cluster_id},
    )
    properties = {}
    for aid, value in values.items():
        attribute = cluster.attribute(aid) if cluster else None
        properties[attribute.name if attribute else aid] = value
    return {
        "id": _capability_id(raw, cluster),
        "name": cluster.name if cluster else cluster_id,
        "version": str(raw.get("revision") or 1),
        "properties": properties,
    }


def customer_state(state: dict[str, Any], matter_report: dict[str, Any]) -> list[dict[str, Any]]:
    """``GetManagedThingState.Endpoints`` from a thing's state (only what the connector reported)."""
    return [
        {
            "endpointId": eid,
            "capabilities": [
                _state_capability(cid, values, matter_report)
                for cid, values in list(clusters.items())[:_MAX_STATE]
            ],
        }
        for eid, clusters in list(state.items())[:_MAX_STATE]
        if clusters
    ]
