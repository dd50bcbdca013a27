"""``c2c events``: sample payloads of every contract kind (``new``); sending them comes with ``send``."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from c2c_cli.cli.output import err, print_json

app = typer.Typer(help="Create (and send) contract payloads: requests, ACKs and SendConnectorEvent bodies.")


@app.command("new")
def new(
    kind: Annotated[str, typer.Argument(help="Kind, e.g. event.device-discovery (see c2c validate --help).")],
    assignments: Annotated[
        list[str] | None, typer.Option("--set", metavar="PATH=VALUE", help="Override a field; VALUE is JSON or text.")
    ] = None,
    devices: Annotated[int, typer.Option(min=0, help="Devices in a DEVICE_DISCOVERY sample.")] = 1,
    auth: Annotated[str, typer.Option(help="Request auth header: oauth or general.")] = "oauth",
    as_json: Annotated[bool, typer.Option("--json", help="Stable JSON (sorted keys).")] = False,
) -> None:
    """Print a valid sample of any kind, with realistic Matter capability reports."""
    from c2c_cli.contract import validate_document
    from c2c_cli.contract.builders import apply_overrides
    from c2c_cli.contract.samples import new_sample
    from c2c_cli.errors import UsageError

    if auth not in ("oauth", "general"):
        raise UsageError(f"--auth {auth!r}: use oauth or general")
    doc = apply_overrides(new_sample(kind, devices=devices, general_auth=auth == "general"), assignments or [])
    if as_json:
        print_json(doc)
    else:
        typer.echo(json.dumps(doc, indent=2))
    report = validate_document(doc, kind)
    if not report.valid:
        err.print(f"[yellow]Warning:[/] the overrides make this {kind} invalid; run c2c validate on it to see why")
