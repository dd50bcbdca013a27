"""``c2c register``, ``c2c status``, ``c2c unregister``: the AWS side of a connector (contract.md §7).

``--json`` shapes: register → ``{"steps": [{"action", "resource", "detail"}], "applied": bool,
"state": {...state.json...}, "association": {...} | null}``; status → see
:meth:`c2c_cli.aws.status.RegistrationStatus.to_json`; unregister → ``{"steps": [...], "applied": bool}``.
``c2c status --check`` exits 1 when AWS differs from ``c2c.yaml`` (nothing registered counts as drift).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from c2c_cli.cli.options import AwsProfile, Json, Project, Region
from c2c_cli.cli.output import err, out, print_json, progress_status, show_url, stderr_is_tty, success
from c2c_cli.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from c2c_cli.aws import AwsClients, RegistrationState, RegistrationStatus, Step
    from c2c_cli.config import ProjectConfig

app = typer.Typer()

YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Apply without asking.")]
_STYLE = {
    "create": "green",
    "update": "yellow",
    "replace": "red",
    "delete": "red",
    "unchanged": "dim",
    "absent": "dim",
}


def _setup(project: Path, profile: str | None, region: str | None) -> tuple[ProjectConfig, AwsClients]:
    from c2c_cli.aws import aws_clients
    from c2c_cli.config import load_config

    cfg = load_config(project)
    return cfg, aws_clients(cfg, profile, region)


def _print_steps(steps: tuple[Step, ...], title: str) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left")
    for name in ("#", "action", "resource", "detail"):
        table.add_column(name)
    for number, step in enumerate(steps, 1):
        style = _STYLE.get(step.action, "")
        resource = f"{step.resource} ({step.material})" if step.material else step.resource
        table.add_row(str(number), Text(step.action, style=style), Text(resource), Text(step.detail))
    out.print(table)


def _print_status(found: RegistrationStatus, title: str) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left")
    for name in ("resource", "state", "id", "drift"):
        table.add_column(name)
    for row in found.resources():
        drift = row["drift"]
        state = (
            "[green]in sync[/]"
            if drift is None
            else "[yellow]drift[/]"
            if row["present"]
            else "[red]missing[/]"
        )
        detail = f"{drift['action']}: {drift['detail']}" if drift else ""
        resource = f"{row['resource']} ({row['material']})" if row.get("material") else row["resource"]
        table.add_row(Text(resource), state, Text(str(row["id"] or "")), Text(detail))
    out.print(table)


def _confirm(yes: bool, question: str) -> None:
    if yes:
        return
    if not sys.stdin.isatty():
        raise UsageError(
            "refusing to change AWS resources without confirmation", hint="Re-run with --yes (or --dry-run)."
        )
    if not typer.confirm(question, err=True):
        raise typer.Exit(1)


def _progress(step: Step, *_: Any) -> None:
    if step.changes and stderr_is_tty():
        err.print(f"  [green]✓[/] {step.action} {step.resource}")


@app.command("register")
def register(
    project: Project = Path(),
    profile: AwsProfile = None,
    region: Region = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the plan; make no write call.")] = False,
    yes: YesOpt = False,
    link: Annotated[
        bool, typer.Option("--link", help="Then create an account association and wait for it.")
    ] = False,
    link_timeout: Annotated[float, typer.Option(min=0, help="Seconds to wait for --link.")] = 300.0,
    as_json: Json = False,
) -> None:
    """Register the connector: Lambda permission, KMS key, secret, cloud connector, destination."""
    from c2c_cli.aws import apply_registration, aws_clients, prepare_registration
    from c2c_cli.aws.desired import read_client_secret
    from c2c_cli.aws.general import read_auth_secrets
    from c2c_cli.config import load_config

    cfg = load_config(project)
    # Before any AWS call: a missing (or, for General Authorization, non-JSON) secret is a usage error.
    general = cfg.connector.auth == "general"
    secret = None if general else read_client_secret(cfg)
    materials = read_auth_secrets(cfg) if general else None
    clients = aws_clients(cfg, profile, region)
    prepared = prepare_registration(cfg, clients, secret, materials)
    if not as_json:
        _print_steps(
            prepared.steps,
            f"c2c register {cfg.connector.name} ({prepared.caller.account_id}, {clients.region})",
        )
    apply = prepared.changes and not dry_run
    state, association = prepared.state, None
    if not dry_run:
        if apply:
            _confirm(yes, "Apply these steps?")
        # Runs even with nothing to change: it rewrites a lost or stale .c2c/state.json.
        state = apply_registration(prepared, clients, cfg.project_dir, after_step=_progress)
    if link and not dry_run:
        association = _link(clients, state, cfg, link_timeout)
    _report(prepared.steps, apply, state, association, as_json, dry_run)


def _report(
    steps: tuple[Step, ...],
    applied: bool,
    state: RegistrationState,
    association: dict[str, Any] | None,
    as_json: bool,
    dry_run: bool,
) -> None:
    if as_json:
        data = {"steps": [s.to_json() for s in steps], "applied": applied, "state": state.to_json()}
        print_json({**data, "association": association})
    elif dry_run:
        success("Dry run: nothing was changed.", "c2c register --yes")
    elif not applied:
        success("Already registered; nothing to change.", "c2c status")
    else:
        success(
            f"Registered: cloud connector {state.connector_id}, destination {state.destination_id}.",
            "c2c status",
        )


def _link(
    clients: AwsClients, state: RegistrationState, cfg: ProjectConfig, timeout: float
) -> dict[str, Any]:
    from c2c_cli.aws import link_registration

    with progress_status("Linking") as progress:
        final = link_registration(
            cfg,
            clients,
            state,
            timeout=timeout,
            opener=show_url(browser=True),
            progress=progress,
            sleep=time.sleep,
            clock=time.monotonic,
        )
    err.print(f"Account association {final.association_id}: {final.state}", markup=False, emoji=False)
    return final.to_json()


@app.command("status")
def status(
    project: Project = Path(),
    profile: AwsProfile = None,
    region: Region = None,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 when AWS differs from c2c.yaml (for CI).")
    ] = False,
    as_json: Json = False,
) -> None:
    """Show what is registered and how it differs from c2c.yaml."""
    from c2c_cli.aws import registration_status

    cfg, clients = _setup(project, profile, region)
    found = registration_status(cfg, clients)
    if as_json:
        print_json(found.to_json())
    else:
        _show_status(found, f"c2c status {cfg.connector.name} ({found.caller.account_id}, {clients.region})")
    if check and not found.in_sync:
        raise typer.Exit(int(ExitCode.FAILURE))


def _show_status(found: RegistrationStatus, title: str) -> None:
    _print_status(found, title)
    for assoc in found.associations:
        out.print(f"account association {assoc['id']}: {assoc['state']}", markup=False, emoji=False)
    if found.in_sync:
        success("In sync with c2c.yaml.")
    else:
        err.print("[yellow]Drift:[/] c2c.yaml and AWS differ. Next: c2c register")


@app.command("unregister")
def unregister(
    project: Project = Path(),
    profile: AwsProfile = None,
    region: Region = None,
    yes: YesOpt = False,
    keep_secret: Annotated[
        bool,
        typer.Option(
            "--keep-secret", help="Keep the OAuth client secret (or auth material secrets) and the KMS key."
        ),
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the plan; delete nothing.")] = False,
    as_json: Json = False,
) -> None:
    """Remove what c2c register created, in reverse order."""
    from c2c_cli.aws import execute_unregister, prepare_unregister

    cfg, clients = _setup(project, profile, region)
    plan = prepare_unregister(cfg, clients, keep_secret=keep_secret)
    if not as_json:
        _print_steps(plan.steps, f"c2c unregister {cfg.connector.name}")
    apply = plan.changes and not dry_run
    if apply:
        _confirm(yes, "Delete these resources?")
        execute_unregister(plan, clients, cfg, after_step=_progress)
    if as_json:
        print_json({"steps": [s.to_json() for s in plan.steps], "applied": apply})
    elif apply:
        success("Unregistered.", "c2c register --yes")
