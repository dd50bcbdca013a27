"""``c2c simulate activate|discover|command|deactivate``: play the service against the connector locally."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from c2c_cli.cli.options import Json, Project
from c2c_cli.cli.output import out, print_json, success
from c2c_cli.cli.simulate_options import SimulateOptions, simulate_options
from c2c_cli.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from c2c_cli.simulate import SimulationResult, Simulator

app = typer.Typer(help="Run one operation of the service against the connector, locally, and check it.")


def _read_event(source: str, simulator: Simulator) -> dict[str, Any]:
    from c2c_cli.contract.reading import read_json

    doc, name = read_json(source)
    if not isinstance(doc, dict) or not isinstance(doc.get("payload"), dict):
        raise UsageError(
            f"{name} is not a request envelope", hint='Expected {"header": ..., "payload": ...}.'
        )
    # The file's connector id and credentials are placeholders: the simulation's own replace them.
    doc["payload"]["connectorId"] = simulator.environment.connector_id
    doc["header"] = {"auth": simulator.environment.credentials.header()}
    return doc


def _context_flags(project: Path, options: SimulateOptions) -> str:
    """The flags that make a follow-up command run against the same project and vendor."""
    flags = [] if project == Path() else [f"--project {shlex.quote(str(project))}"]
    if options.sandbox:
        flags.append("--sandbox")
        if options.sandbox_devices != SimulateOptions.sandbox_devices:
            flags.append(f"--sandbox-devices {options.sandbox_devices}")
    return "".join(f" {f}" for f in flags)


def _command_hint(saved: Path, devices: list[dict[str, Any]], flags: str) -> str | None:
    """A ``c2c simulate command`` line for the first saved device that has OnOff (it can Toggle)."""
    from c2c_cli.simulate.devices import first_with_cluster

    found = first_with_cluster(devices, "0x0006")
    if found is None:
        return None
    device, endpoint = (shlex.quote(part) for part in found)
    where = f"--devices {shlex.quote(str(saved))} --device {device} --endpoint {endpoint}"
    return f"c2c simulate command {where} --cluster OnOff --command Toggle{flags}"


def _finish(result: SimulationResult, as_json: bool, devices: bool = False) -> None:
    if as_json:
        print_json(result.to_json())
    else:
        render_result(out, result, devices=devices)
    if not result.ok:
        raise typer.Exit(int(ExitCode.VIOLATIONS))


def render_result(console: Any, result: SimulationResult, *, devices: bool = False) -> None:
    """The ACK, the captured events, the devices (discovery), the violations and the timings."""
    from rich.text import Text

    from c2c_cli.cli.render import violations_table

    console.print(Text(f"{result.operation}: ACK ") + Text(json.dumps(result.ack, sort_keys=True)))
    if result.events:
        console.print(_events_table(result))
    if devices and result.events:
        console.print(_devices_table(result))
    if result.operation == "AWS.DiscoverDevices" and result.events:
        d = result.discovery()
        console.print(
            f"{result.operation}: {d['pages']} page(s), {d['invocations']} invocation(s) "
            f"({d['invocations'] - 1} continuation(s), {d['duplicate_deliveries']} duplicate), "
            f"{d['devices']} device(s) ({d['devices_sent']} sent), "
            + ("final page received" if d["final"] else "NO final page"),
            markup=False,
        )
    if result.violations:
        console.print(violations_table(_sorted(result), title=f"{result.operation}: violations"))
    verdict = Text("conforms", style="green") if result.ok else Text("VIOLATIONS", style="bold red")
    console.print(Text(f"{result.operation}: ") + verdict + Text(f" ({_timing_line(result)})"))


def _sorted(result: SimulationResult) -> list[Any]:
    from c2c_cli.violation import sort_violations

    return sort_violations(result.violations)


def _timing_line(result: SimulationResult) -> str:
    t = result.timings
    parts = [f"{len(result.attempts)} invocation(s)"]
    if t.cold_ms is not None:
        parts.append(f"cold {t.cold_ms:.0f} ms")
    if t.warm_ms:
        parts.append(f"warm {min(t.warm_ms):.0f}-{max(t.warm_ms):.0f} ms")
    if t.p50_ms is not None and len(result.attempts) > 1:
        parts.append(f"p50 {t.p50_ms:.0f} ms, p95 {t.p95_ms or 0:.0f} ms")
    return ", ".join(parts)


def _events_table(result: SimulationResult) -> Any:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(f"{result.operation}: events"))
    for column in ("seq", "operation", "verdict", "status", "ids", "violations"):
        table.add_column(column, overflow="fold")
    for e in result.events:
        ids = " ".join(
            f"{k}={e.body[k]}" for k in ("DeviceDiscoveryId", "TraceId", "ConnectorDeviceId") if k in e.body
        )
        style = "green" if e.verdict == "accepted" else "red"
        devices = f" devices={len(e.body['Devices'])}" if isinstance(e.body.get("Devices"), list) else ""
        table.add_row(
            str(e.seq), Text(e.operation), Text(e.verdict, style=style), str(e.body.get("StatusCode", "")),
            Text(ids + devices), str(len(e.violations)),
        )  # fmt: skip
    return table


def _devices_table(result: SimulationResult) -> Any:
    from rich.table import Table
    from rich.text import Text

    from c2c_cli.simulate.devices import summarize

    found = [
        d for e in result.events if e.operation == "DEVICE_DISCOVERY" for d in e.body.get("Devices") or []
    ]
    table = Table(title=Text(f"{len(found)} discovered device(s)"))
    for column in ("id", "name", "device types", "clusters"):
        table.add_column(column, overflow="fold")
    for d in summarize([x for x in found if isinstance(x, dict)]):
        table.add_row(
            Text(d.device_id), Text(d.name), Text(", ".join(d.device_types)), Text(", ".join(d.clusters))
        )
    return table


def _run(project: Path, options: SimulateOptions, operation: Any) -> tuple[SimulationResult, Simulator]:
    from c2c_cli.simulate import simulation

    with simulation(project, options.session()) as simulator:
        event = options.event
        result = simulator.raw(_read_event(event, simulator)) if event else operation(simulator)
        return result, simulator


@app.command()
@simulate_options("concurrency")
def activate(*, project: Project = Path(), options: SimulateOptions, as_json: Json = False) -> None:
    """AWS.ActivateUser: the connector must return the user's id."""
    result, _ = _run(project, options, lambda s: s.activate())
    _finish(result, as_json)


DeviceFilter = Annotated[
    list[str] | None, typer.Option("--filter", help="Only these device ids (connectorDeviceIdList).")
]
Save = Annotated[Path | None, typer.Option("--save", help="Save the discovered devices to FILE.")]


@app.command()
@simulate_options("concurrency")
def discover(
    *,
    project: Project = Path(),
    options: SimulateOptions,
    device_filter: DeviceFilter = None,
    save: Save = None,
    as_json: Json = False,
) -> None:
    """AWS.DiscoverDevices: shows the devices the connector reports, and every violation."""
    from c2c_cli.simulate.devices import save_devices

    result, simulator = _run(project, options, lambda s: s.discover(tuple(device_filter or ())))
    if save is not None:
        save_devices(save, simulator.devices)
        hint = _command_hint(save, simulator.devices, _context_flags(project, options))
        success(f"Saved {len(simulator.devices)} device(s) to {save}.", hint)
    _finish(result, as_json, devices=True)


Device = Annotated[str, typer.Option("--device", help="connectorDeviceId (or, with --devices, the name).")]
Devices = Annotated[
    Path | None, typer.Option("--devices", help="Devices saved by 'c2c simulate discover --save'.")
]
Endpoint = Annotated[str, typer.Option("--endpoint", help="Endpoint id.")]
Cluster = Annotated[str | None, typer.Option("--cluster", help="Cluster name or id (OnOff, 0x0006).")]
MatterCommand = Annotated[str | None, typer.Option("--command", help="Command name or id (On, 0x01).")]
Arg = Annotated[list[str] | None, typer.Option("--arg", help="Command field NAME=VALUE (repeatable).")]
Raw = Annotated[Path | None, typer.Option("--raw", help="JSON file with the endpoints list to send.")]
UpdateState = Annotated[
    list[str] | None, typer.Option("--update-state", help="UpdateState ATTR=VALUE (0xff01) on --cluster.")
]
ReadState = Annotated[
    list[str] | None, typer.Option("--read-state", help="ReadState ATTR (0xff02) on --cluster.")
]


@app.command()
@simulate_options("concurrency")
def command(
    *,
    device: Device,
    devices: Devices = None,
    endpoint: Endpoint = "1",
    cluster: Cluster = None,
    matter_command: MatterCommand = None,
    arg: Arg = None,
    raw: Raw = None,
    update_state: UpdateState = None,
    read_state: ReadState = None,
    project: Project = Path(),
    options: SimulateOptions,
    as_json: Json = False,
) -> None:
    """AWS.SendCommand: a Matter command to one device; the response event must carry the traceId."""
    from c2c_cli.simulate.devices import load_devices, resolve_device
    from c2c_cli.simulate.messages import build_endpoints

    if devices is not None:
        device = resolve_device(load_devices(devices), device)
    endpoints = build_endpoints(
        endpoint, cluster, matter_command, arg or [], raw, update_state or [], read_state or [], options.shape
    )
    result, _ = _run(project, options, lambda s: s.command(device, endpoints))
    _finish(result, as_json)


@app.command()
@simulate_options("concurrency")
def deactivate(*, project: Project = Path(), options: SimulateOptions, as_json: Json = False) -> None:
    """AWS.DeactivateUser: the connector must revoke access and stop sending events."""
    result, _ = _run(project, options, lambda s: s.deactivate())
    _finish(result, as_json)
