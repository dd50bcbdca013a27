"""``c2c emulator start|events|reset``: run the local managed-integrations endpoint and watch it."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from c2c_cli.cli.output import err, escape, out, print_json, success
from c2c_cli.network import is_loopback_host

if TYPE_CHECKING:
    from c2c_cli.emulator import Emulator

app = typer.Typer(help="Run the local managed-integrations emulator (plus moto) and watch connector events.")


def _print_ready(emulator: Emulator, as_json: bool) -> None:
    info = emulator.info
    if not is_loopback_host(emulator.settings.host):  # bound: --allow-public was given (issue 13 §3)
        err.print(
            f"Warning: listening on {emulator.settings.host}: anyone who can reach it can sign "
            "requests with the well-known test keys (the emulator and moto).",
            markup=False,
        )
    if info["aws_endpoint_url"] and info["db"] != ":memory:":  # issue 13 §10: say what a restart keeps
        err.print(
            f"Note: {info['db']} keeps the emulator's resources and logs across restarts; moto's state "
            "(Lambda functions and permissions, Secrets Manager, IAM, KMS) is in memory and is lost "
            "when this emulator stops.",
            markup=False,
        )
    if as_json:
        typer.echo(json.dumps(info, sort_keys=True), nl=True)
        err.print("Serving; press Ctrl-C to stop.", markup=False)
        return
    for key in ("endpoint_url", "aws_endpoint_url", "region", "account_id", "access_key_id", "db"):
        out.print(f"{key:18} {info[key]}", markup=False)
    for connector in info["connectors"]:
        out.print(f"{'connector':18} {connector['function']} <- {connector['project_dir']}", markup=False)
        if connector["function_url"]:
            out.print(f"{'function_url':18} {connector['function_url']}", markup=False)
    out.print(
        "\n# export these to point boto3 / the AWS CLI at the emulator (test credentials):", markup=False
    )
    for name, value in emulator.client_env().items():
        out.print(f"export {name}={value}", markup=False)
    success("Emulator running; press Ctrl-C to stop.", "c2c emulator events --follow")


@app.command()
def start(
    host: Annotated[
        str, typer.Option(help="Interface to bind (loopback unless --allow-public).")
    ] = "127.0.0.1",
    allow_public: Annotated[
        bool, typer.Option("--allow-public", help="Allow a non-loopback --host (moto binds it too).")
    ] = False,
    port: Annotated[int, typer.Option(help="Port for the emulator (0: a free one).")] = 0,
    db: Annotated[
        str | None, typer.Option(help="sqlite file, or :memory: (default: $C2C_HOME/emulator.db).")
    ] = None,
    moto: Annotated[
        bool, typer.Option("--moto/--no-moto", help="Also run moto (Lambda, Secrets Manager, IAM, STS).")
    ] = True,
    latency: Annotated[
        int, typer.Option("--latency", metavar="MS", help="Delay added to faulted operations.")
    ] = 0,
    throttle_rate: Annotated[
        float, typer.Option(metavar="P", help="Probability of ThrottlingException.")
    ] = 0.0,
    error_rate: Annotated[
        float, typer.Option(metavar="P", help="Probability of InternalServerException.")
    ] = 0.0,
    fault_operation: Annotated[
        list[str] | None,
        typer.Option(metavar="OPERATION", help="Limit faults to this operation (repeatable)."),
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Seed of the fault RNG.")] = None,
    accounts: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="YAML/JSON list of extra accounts (account_id, access_key_id, secret_access_key).",
        ),
    ] = None,
    lenient_events: Annotated[
        bool, typer.Option("--lenient-events", help="Reject events only for errors, not contract warnings.")
    ] = False,
    connector: Annotated[
        list[Path] | None,
        typer.Option(
            metavar="DIR",
            help="Run this project's handler for its Lambda function (c2c.yaml aws.function_name; repeatable).",
        ),
    ] = None,
    connector_env: Annotated[
        list[str] | None,
        typer.Option(metavar="NAME=VALUE", help="Environment of the attached connectors (repeatable)."),
    ] = None,
    parameter: Annotated[
        list[str] | None,
        typer.Option(metavar="KEY=VALUE", help="template.yaml parameter for --connector (repeatable)."),
    ] = None,
    parameter_overrides: Annotated[
        str | None,
        typer.Option(metavar='"K=V K2=V2"', help="template.yaml parameters, sam deploy style."),
    ] = None,
    invocation_budget: Annotated[
        int, typer.Option(metavar="MS", min=1, help="How long one connector invocation may run.")
    ] = 2000,
    discovery_timeout: Annotated[
        float, typer.Option(metavar="SECONDS", min=0.001, help="RUNNING discoveries then become TIMED_OUT.")
    ] = 300.0,
    concurrency: Annotated[
        int,
        typer.Option(metavar="N", min=1, help="Invocations of a function at once (one worker process each)."),
    ] = 4,
    async_retry_delays: Annotated[
        str,
        typer.Option(
            metavar="S,S", help="Seconds before the 2 retries of a failed Event invocation (Lambda Invoke)."
        ),
    ] = "1,2",
    async_duplicate_rate: Annotated[
        float, typer.Option(metavar="P", help="Probability that an Event invocation is delivered twice.")
    ] = 0.0,
    as_json: Annotated[
        bool, typer.Option("--json", help="First stdout line: the emulator info as JSON.")
    ] = False,
) -> None:
    """Start the emulator and serve until interrupted."""
    from c2c_cli.emulator import DEFAULT_ACCOUNT, SECOND_ACCOUNT, EmulatorSettings, load_accounts, serve
    from c2c_cli.emulator.driver.async_queue import parse_delays

    attached = _attachments(connector or [], connector_env or [], parameter or [], parameter_overrides)
    settings = EmulatorSettings(
        host=host,
        allow_public=allow_public,
        port=port,
        db=db,
        with_moto=moto,
        latency_ms=latency,
        throttle_rate=throttle_rate,
        error_rate=error_rate,
        fault_operations=tuple(fault_operation or ()),
        seed=seed,
        write_state_file=True,
        strict_events=not lenient_events,
        accounts=(DEFAULT_ACCOUNT, SECOND_ACCOUNT, *(load_accounts(accounts) if accounts else ())),
        connectors=attached,
        invocation_budget_ms=invocation_budget,
        discovery_timeout_seconds=discovery_timeout,
        concurrency=concurrency,
        async_retry_delays=parse_delays(async_retry_delays),
        async_duplicate_rate=async_duplicate_rate,
    )
    serve(settings, lambda emulator: _print_ready(emulator, as_json))
    err.print("Emulator stopped.", markup=False)


def _attachments(
    directories: list[Path], env_items: list[str], parameters: list[str], overrides: str | None
) -> tuple[Any, ...]:
    """``--connector`` projects with their template.yaml environment; its warnings go to stderr."""
    from c2c_cli.emulator import (
        DEFAULT_ACCOUNT,
        DEFAULT_REGION,
        parse_env,
        parse_parameters,
        project_attachment,
    )

    env, values = parse_env(env_items), parse_parameters(parameters, overrides)
    pseudo = {"AWS::Region": DEFAULT_REGION, "AWS::AccountId": DEFAULT_ACCOUNT.account_id}
    attached = []
    for directory in directories:
        attachment, warnings = project_attachment(directory, env, parameters=values, pseudo=pseudo)
        for warning in warnings:
            err.print(f"Warning: {directory}: {warning}", markup=False)
        attached.append(attachment)
    return tuple(attached)


def _located(url: str | None) -> Any:
    """The emulator at ``url``, else the running one, which stderr names (issue 13 §9)."""
    from c2c_cli.emulator import locate

    client = locate(url)
    if url is None:
        err.print(f"Using {client.describe()}.", markup=False)
    return client


def _event_line(record: dict[str, Any]) -> str:
    stamp = time.strftime("%H:%M:%S", time.localtime(float(record.get("received_at") or 0)))
    head = (
        f"#{record['seq']} {stamp} {record.get('connector_id') or '-'} {record.get('operation') or '-'} "
        f"{record['verdict'].upper()} {record.get('http_status')}"
    )
    if record.get("error_code"):
        head += f" {record['error_code']}"
    if record.get("kind") == "invocation":
        head += f" invocation latency={record.get('latency_ms')}ms retries={record.get('retries')}"
    lines = [head] + [
        f"    {v['severity']}: {v['path']}: {v['message']} [{v['rule']}]"
        for v in record.get("violations", [])
    ]
    return "\n".join(lines)


def _events_table(records: list[dict[str, Any]]) -> Any:
    from rich.table import Table

    table = Table(title="Connector events")
    for column in ("seq", "received", "connector", "operation", "verdict", "status", "violations"):
        table.add_column(column)
    for r in records:
        stamp = time.strftime("%H:%M:%S", time.localtime(float(r.get("received_at") or 0)))
        problems = "\n".join(f"{v['severity']}: {v['path']}: {v['message']}" for v in r.get("violations", []))
        if r.get("error_code") and not problems:
            problems = f"{r['error_code']}: {r.get('error_message') or ''}"
        if r.get("kind") == "invocation":  # the service invoking the connector (docs/emulator.md)
            problems = f"invocation, {r.get('latency_ms')} ms, {r.get('retries')} retries\n{problems}".strip()
        style = "green" if r["verdict"] in ("accepted", "ok") else "red"
        verdict = f"[{style}]{escape(str(r['verdict']))}[/]"
        table.add_row(
            str(r["seq"]),
            stamp,
            escape(str(r.get("connector_id") or "-")),
            escape(str(r.get("operation") or "-")),
            verdict,
            str(r.get("http_status")),
            escape(problems),
        )
    return table


@app.command()
def events(
    follow: Annotated[
        bool, typer.Option("--follow", "-f", help="Keep polling and print new events.")
    ] = False,
    connector: Annotated[
        str | None, typer.Option("--connector", metavar="ID", help="Only this connector.")
    ] = None,
    url: Annotated[str | None, typer.Option(help="Emulator URL (default: the running one).")] = None,
    after: Annotated[int, typer.Option(help="Only events with a sequence number above this.")] = 0,
    interval: Annotated[float, typer.Option(help="Seconds between polls with --follow.")] = 1.0,
    as_json: Annotated[bool, typer.Option("--json", help="JSON (JSON lines with --follow).")] = False,
) -> None:
    """Show what connectors sent to SendConnectorEvent, with verdicts and violations."""
    client = _located(url)
    if not follow:
        records = client.events(after=after, connector_id=connector)
        if as_json:
            print_json(records)
        elif records:
            out.print(_events_table(records))
        else:
            err.print("No events yet.", markup=False)
        return
    for record in client.follow(after=after, connector_id=connector, interval=interval):
        if as_json:
            typer.echo(json.dumps(record, sort_keys=True))
        else:
            out.print(_event_line(record), markup=False, highlight=False)


@app.command()
def reset(
    url: Annotated[str | None, typer.Option(help="Emulator URL (default: the running one).")] = None,
    db: Annotated[
        str | None, typer.Option(help="Clear this sqlite file instead of a running emulator.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Forget every emulated resource, idempotency record and log entry."""
    from c2c_cli.emulator import reset_database

    if db is not None:
        reset_database(db)
        target = db
    else:
        client = _located(url)
        client.reset()
        target = client.url
    if as_json:
        print_json({"reset": True, "target": target})
    else:
        success(f"Emulator state cleared ({target}).")
