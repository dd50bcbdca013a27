"""Command cases (contract.md §3.3): one per advertised command, two clusters at once, ReadState/UpdateState.

These are families: the cases exist only once discovery has said which devices and commands there are.
Each ``each_*`` function takes the family's templates (from the table) and yields them bound.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from c2c_cli.matter import format_id, load_catalog, parse_id
from c2c_cli.simulate.devices import advertised_commands
from c2c_cli.simulate.messages import sample_fields
from c2c_cli.simulate.suite.model import Case, Context, Outcome
from c2c_cli.simulate.suite.verdicts import accepted, found

__all__ = ["each_command", "each_state", "endpoints_of", "multi_cluster", "name_of", "writable"]

Endpoints = list[dict[str, Any]]


def endpoints_of(endpoint: str, cluster: int, command: int, fields: dict[str, Any], shape: str) -> Endpoints:
    """``endpoints`` with one command, in the list or map form (contract.md §5.4)."""
    key = format_id(command, "command")
    commands: Any = {key: fields} if shape == "map" else [{key: fields}]
    return [{"id": endpoint, "clusters": [{"id": format_id(cluster, "cluster"), "commands": commands}]}]


def writable(clusters: list[dict[str, Any]]) -> tuple[int, int, str, Any] | None:
    """The first attribute with a value that the catalog says is writable: (cluster, attribute, name, value)."""
    for cluster in clusters:
        spec = load_catalog().cluster(parse_id(cluster.get("id")) or -1)
        for attribute in cluster.get("attributes") or []:
            aid = parse_id(attribute.get("id")) if isinstance(attribute, dict) else None
            known = spec.attribute(aid) if spec is not None and aid is not None else None
            if spec is not None and known is not None and known.writable and "value" in attribute:
                return spec.id, known.id, known.name, attribute["value"]
    return None


def name_of(cluster: int, command: int | None = None) -> str:
    """``OnOff`` or ``OnOff.Toggle`` from the catalog (hex ids when unknown)."""
    spec = load_catalog().cluster(cluster)
    cname = spec.name if spec else format_id(cluster, "cluster")
    if command is None:
        return cname
    known = spec.command(command) if spec else None
    return f"{cname}.{known.name if known else format_id(command, 'command')}"


def send(ctx: Context, device_id: str, endpoints: Endpoints) -> Outcome:
    """A valid command; an accepted one is remembered for the robustness cases."""
    result = ctx.sim.command(device_id, endpoints)
    if result.response_code == 200:
        ctx.accepted.append((device_id, endpoints))
    return accepted(ctx, result)


def each_command(ctx: Context, template: Case) -> Iterator[Case]:
    """Every advertised command of every device, catalog values; the very first one in the map form."""
    for index, device in enumerate(ctx.sim.devices):
        device_id = str(device.get("ConnectorDeviceId"))
        for n, (endpoint, cluster, command, current) in enumerate(advertised_commands(device)):
            shape = "map" if index == 0 and n == 0 else ctx.sim.settings.commands_shape
            labels = {
                "device": device_id,
                "command": name_of(cluster, command),
                "form": ".map-form" if shape == "map" else "",
                "shape": shape,
            }
            fields = sample_fields(cluster, command, current)
            if fields is None:
                yield template.skipped("the command is not in the Matter catalog", labels)
                continue
            endpoints = endpoints_of(endpoint, cluster, command, fields, shape)
            yield template.bind(partial(send, device_id=device_id, endpoints=endpoints), labels)


def _two_clusters(accepted: list[tuple[str, Endpoints]]) -> tuple[str, Endpoints] | None:
    """A device and ``endpoints`` joining two accepted commands of different clusters of one endpoint."""
    for device, first in accepted:
        for other_device, second in accepted:
            same_endpoint = first[0]["id"] == second[0]["id"]
            if (
                other_device == device
                and same_endpoint
                and first[0]["clusters"][0]["id"] != second[0]["clusters"][0]["id"]
            ):
                return device, [
                    {"id": first[0]["id"], "clusters": first[0]["clusters"] + second[0]["clusters"]}
                ]
    return None


def _command(ctx: Context, device_id: str, endpoints: Endpoints) -> Outcome:
    return accepted(ctx, ctx.sim.command(device_id, endpoints))


def multi_cluster(ctx: Context, template: Case) -> Iterator[Case]:
    """One SendCommand with commands for two clusters of a device (contract.md §3.3 simulator cases)."""
    joined = _two_clusters(ctx.accepted)
    if joined is None:
        yield template.skipped("no device accepted commands on two clusters")
        return
    device, endpoints = joined
    yield template.bind(partial(_command, device_id=device, endpoints=endpoints), {"device": device})


def _read(ctx: Context, device_id: str, endpoints: Endpoints) -> Outcome:
    return found(ctx, ctx.sim.command(device_id, endpoints))


def each_state(ctx: Context, read: Case, update: Case) -> Iterator[Case]:
    """Per device (first endpoint): ReadState of its first cluster, UpdateState of a writable attribute."""
    shape = ctx.sim.settings.commands_shape
    for device in ctx.sim.devices:
        device_id = str(device.get("ConnectorDeviceId"))
        endpoint = ((device.get("CapabilityReport") or {}).get("endpoints") or [{}])[0]
        endpoint_id, clusters = str(endpoint.get("id")), endpoint.get("clusters") or []
        if not clusters:
            continue
        cid = parse_id(clusters[0].get("id")) or 0
        attributes = [a for a in clusters[0].get("attributes") or [] if isinstance(a, dict)]
        fields = {format_id(parse_id(a.get("id")) or 0, "attribute"): None for a in attributes}
        endpoints = endpoints_of(endpoint_id, cid, 0xFF02, fields, shape)
        labels = {"device": device_id, "cluster": name_of(cid)}
        yield read.bind(partial(_read, device_id=device_id, endpoints=endpoints), labels)
        target = writable(clusters)
        if target is not None:
            wcid, aid, name, value = target
            endpoints = endpoints_of(endpoint_id, wcid, 0xFF01, {format_id(aid, "attribute"): value}, shape)
            run = partial(_command, device_id=device_id, endpoints=endpoints)
            yield update.bind(run, {"device": device_id, "cluster": name_of(wcid), "attribute": name})
