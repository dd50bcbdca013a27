"""``c2c events``: sample payloads of every contract kind (``new``) and sending SendConnectorEvent (``send``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from c2c_cli.cli.options import AwsProfile, Json, Project, Region
from c2c_cli.cli.output import err, escape, print_json

app = typer.Typer(help="Create (and send) contract payloads: requests, ACKs and SendConnectorEvent bodies.")


@app.command("new")
def new(
    kind: Annotated[str, typer.Argument(help="Kind, e.g. event.device-discovery (see c2c validate --help).")],
    assignments: Annotated[
        list[str] | None,
        typer.Option("--set", metavar="PATH=VALUE", help="Override a field; VALUE is JSON or text."),
    ] = None,
    devices: Annotated[int, typer.Option(min=0, help="Devices in a DEVICE_DISCOVERY sample.")] = 1,
    auth: Annotated[str, typer.Option(help="Request auth header: oauth or general.")] = "oauth",
    as_json: Json = False,
) -> None:
    """Print a valid sample of any kind, with realistic Matter capability reports."""
    from c2c_cli.contract import validate_document
    from c2c_cli.contract.builders import apply_overrides
    from c2c_cli.contract.samples import new_sample
    from c2c_cli.errors import UsageError

    if auth not in ("oauth", "general"):
        raise UsageError(f"--auth {auth!r}: use oauth or general")
    doc = apply_overrides(
        new_sample(kind, devices=devices, general_auth=auth == "general"), assignments or []
    )
    if as_json:
        print_json(doc)
    else:
        typer.echo(json.dumps(doc, indent=2))
    report = validate_document(doc, kind)
    if not report.valid:
        err.print(
            f"[yellow]Warning:[/] the overrides make this {kind} invalid; run c2c validate on it to see why"
        )


@app.command("send")
def send(
    kind: Annotated[
        str,
        typer.Argument(
            help="Event kind: discovery, command-response, device-event, command-request (or event.*)."
        ),
    ],
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Send this JSON body instead of a sample.")
    ] = None,
    assignments: Annotated[
        list[str] | None,
        typer.Option("--set", metavar="PATH=VALUE", help="Override a field; VALUE is JSON or text."),
    ] = None,
    connector_id: Annotated[
        str | None, typer.Option(help="Connector id (default: the one c2c register recorded).")
    ] = None,
    from_simulation: Annotated[
        Path | None, typer.Option(help="Replay the captured events of KIND from a simulation.")
    ] = None,
    no_validate: Annotated[
        bool, typer.Option("--no-validate", help="Send even if the event is invalid.")
    ] = False,
    devices: Annotated[int, typer.Option(min=0, help="Devices in a sample DEVICE_DISCOVERY.")] = 1,
    project: Project = Path(),
    profile: AwsProfile = None,
    region: Region = None,
    as_json: Json = False,
) -> None:
    """Validate a SendConnectorEvent strictly and send it with boto3, signed by your AWS credentials."""
    from c2c_cli.aws import aws_clients, load_state
    from c2c_cli.aws.send import collect_events, send_event

    events = collect_events(
        kind,
        connector_id=connector_id or load_state(project).connector_id,
        file=file,
        assignments=assignments,
        from_simulation=from_simulation,
        validate=not no_validate,
        devices=devices,
    )
    clients = aws_clients(project, profile, region)
    for event in events:
        for warning in event.warnings:
            err.print(f"[yellow]Warning:[/] {escape(warning)}", emoji=False)
    sent = [send_event(clients.iot, event) for event in events]
    if as_json:
        print_json({"sent": [s.to_json() for s in sent]})
        return
    for s in sent:
        typer.echo(
            f"{s.operation} → connector {s.connector_id}: HTTP {s.http_status} (request {s.request_id})"
        )
