"""``c2c link``: play the customer against the emulator (or AWS) — link, discover, onboard devices.

``--json`` shape: ``{"association": {"id", "state"}, "discovery": {"id", "status"}, "devices":
[{"connector_device_id", "name", "device_types", "modification", "managed_thing_id"}]}``.
"""

from __future__ import annotations

import shlex
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from c2c_cli.cli.options import AwsProfile, Json, Project, Region
from c2c_cli.cli.output import out, print_json, progress_status, show_url, success
from c2c_cli.errors import UsageError

if TYPE_CHECKING:
    from c2c_cli.aws.customer import LinkOutcome

app = typer.Typer()


def _destination(flag: str | None, project: Path) -> str | None:
    if flag:
        return flag
    from c2c_cli.aws import load_state

    return load_state(project).destination_id


def _render(outcome: LinkOutcome) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=f"Discovery {outcome.discovery_id} ({outcome.discovery_status})", title_justify="left"
    )
    for name in ("device", "name", "types", "modification", "managed thing"):
        table.add_column(name)
    for d in outcome.devices:
        cells = (d.connector_device_id, d.name or "", ", ".join(d.device_types), d.modification or "")
        table.add_row(*(Text(c) for c in cells), Text(d.managed_thing_id or "-"))
    out.print(table)


@app.command("link")
def link(
    destination: Annotated[
        str | None, typer.Option(help="Connector destination id (default: .c2c/state.json of --project).")
    ] = None,
    association: Annotated[
        str | None, typer.Option(help="Reuse this account association instead of creating one.")
    ] = None,
    project: Project = Path(),
    material: Annotated[
        str | None,
        typer.Option(
            help="General Authorization: the destination's auth material to link with (no browser)."
        ),
    ] = None,
    things: Annotated[
        bool, typer.Option("--things/--no-things", help="Create and register a managed thing per device.")
    ] = False,
    browser: Annotated[
        bool, typer.Option("--browser/--no-browser", help="Open the URL in a browser.")
    ] = True,
    link_timeout: Annotated[float, typer.Option(min=0, help="Seconds to wait for the end user.")] = 300.0,
    discovery_timeout: Annotated[float, typer.Option(min=0, help="Seconds to wait for discovery.")] = 120.0,
    poll_interval: Annotated[float, typer.Option(min=0.01, help="Seconds between status polls.")] = 1.0,
    profile: AwsProfile = None,
    region: Region = None,
    as_json: Json = False,
) -> None:
    """Link an end-user account, discover its devices, optionally onboard them (the customer's side)."""
    from c2c_cli.aws import aws_clients
    from c2c_cli.aws.customer import CustomerOptions, link_and_discover

    found = _destination(destination, project)
    if not found and not association:
        raise UsageError("no connector destination", hint="Pass --destination ID, or run c2c register first.")
    options = CustomerOptions(
        found, association, None, things, link_timeout, discovery_timeout, poll_interval, material
    )
    clients = aws_clients(project, profile, region)
    with progress_status("Linking") as progress:
        outcome = link_and_discover(
            clients.iot,
            options,
            opener=show_url(browser),
            progress=progress,
            sleep=time.sleep,
            clock=time.monotonic,
        )
    if as_json:
        print_json(outcome.to_json())
        return
    _render(outcome)
    success(
        f"Linked {outcome.association_id}: {len(outcome.devices)} device(s).",
        None if things else _onboard_hint(outcome.association_id, project, profile, region),
    )


def _onboard_hint(association_id: str, project: Path, profile: str | None, region: str | None) -> str:
    """The command that onboards the devices just linked (the same account, region and project)."""
    flags = [f"--association {shlex.quote(association_id)}", "--things"]
    if project != Path():
        flags.append(f"--project {shlex.quote(str(project))}")
    flags += [
        f"--{name} {shlex.quote(value)}"
        for name, value in (("profile", profile), ("region", region))
        if value
    ]
    return "c2c link " + " ".join(flags)
