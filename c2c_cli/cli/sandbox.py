"""``c2c sandbox start|poke|reset``: the local third-party device cloud (docs/sandbox-api.md)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from c2c_cli.cli.output import err, out, print_json, success
from c2c_cli.errors import UsageError
from c2c_cli.sandbox.control import (
    default_db_path,
    ensure_unused,
    find_running,
    parse_assignments,
    parse_faults,
    poke_remote,
    state_file_path,
)
from c2c_cli.sandbox.control import reset_db as _reset_db
from c2c_cli.sandbox.settings import SandboxSettings, TokenEndpointAuth

if TYPE_CHECKING:
    from c2c_cli.sandbox import Sandbox

app = typer.Typer(help="Run a local third-party device cloud with a real OAuth 2.0 server.")

_INFO_ROWS = (
    "base_url",
    "authorize_url",
    "token_url",
    "revoke_url",
    "userinfo_url",
    "introspect_url",
    "client_id",
    "token_endpoint_auth",
    "api_key",
    "admin_key",
    "db",
)


def _print_ready(sandbox: Sandbox, as_json: bool) -> None:
    info = sandbox.info
    if not sandbox.seeded:
        err.print(
            f"Using the existing database {info['db']}: --users, --devices and --seed only apply to a new one "
            "(c2c sandbox reset wipes it).",
            markup=False,
        )
    if as_json:
        typer.echo(json.dumps(info, sort_keys=True))
    else:
        _print_table(info)
    success("Sandbox running; press Ctrl-C to stop.", sandbox.example_poke())


def _print_table(info: dict[str, Any]) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title="c2c sandbox (test-only credentials)", show_header=False)
    rows = [(key, str(info[key])) for key in _INFO_ROWS]
    rows.append(("client_secret", f"{info['client_secret']}  (test-only)"))
    rows += [("user", f"{u['username']} / {u['password']}  -> {u['user_id']}") for u in info["users"]]
    for key, value in rows:
        table.add_row(Text(key), Text(value))  # Text: data is never parsed as markup
    out.print(table)


def _users(values: list[str] | None) -> tuple[str, ...]:
    return tuple(u.strip() for item in values or ["alice,bob"] for u in item.split(",") if u.strip())


def _auth(value: str) -> TokenEndpointAuth:
    if value not in ("HTTP_BASIC", "REQUEST_BODY_CREDENTIALS"):
        raise UsageError(
            f"--token-endpoint-auth must be HTTP_BASIC or REQUEST_BODY_CREDENTIALS (got {value!r})"
        )
    return value  # type: ignore[return-value]


@app.command()
def start(
    host: Annotated[
        str, typer.Option(help="Interface to bind (loopback unless --allow-public).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0: a free one).")] = 8787,
    allow_public: Annotated[
        bool, typer.Option("--allow-public", help="Allow a non-loopback --host.")
    ] = False,
    devices: Annotated[int, typer.Option("--devices", metavar="N", help="Devices per user.")] = 11,
    users: Annotated[
        list[str] | None, typer.Option("--users", help="Users: name or name:password, comma separated.")
    ] = None,
    db: Annotated[
        str | None, typer.Option(help="sqlite file or :memory: (default $C2C_HOME/sandbox.db).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed for device ids, names and states.")] = 0,
    token_endpoint_auth: Annotated[
        str, typer.Option(help="HTTP_BASIC or REQUEST_BODY_CREDENTIALS (the other is rejected).")
    ] = "HTTP_BASIC",
    redirect_uri: Annotated[
        list[str] | None, typer.Option(help="Registered redirect URI (repeatable).")
    ] = None,
    token_ttl: Annotated[int, typer.Option(metavar="S", help="Access token lifetime (expires_in).")] = 3600,
    refresh_token_ttl: Annotated[
        int | None, typer.Option(metavar="S", help="Refresh token lifetime.")
    ] = None,
    no_refresh_token: Annotated[
        bool, typer.Option("--no-refresh-token", help="Fault: omit refresh tokens.")
    ] = False,
    auto_consent: Annotated[
        str | None, typer.Option(metavar="USER", help="TEST ONLY: log USER in and consent without the form.")
    ] = None,
    latency: Annotated[int, typer.Option(metavar="MS", help="Delay added to every API request.")] = 0,
    error_rate: Annotated[float, typer.Option(metavar="P", help="Probability of a random 500/503.")] = 0.0,
    fault: Annotated[
        list[str] | None, typer.Option(metavar="PATH=ERROR", help="Force an error (repeatable).")
    ] = None,
    command_delay: Annotated[int, typer.Option(metavar="MS", help="Delay before commands apply.")] = 20,
    as_json: Annotated[
        bool, typer.Option("--json", help="First stdout line: the sandbox info as JSON.")
    ] = False,
) -> None:
    """Start the sandbox, print its URLs, client and users, and serve until interrupted."""
    from c2c_cli.sandbox.server import serve

    settings = SandboxSettings(
        host=host, port=port, allow_public=allow_public, devices_per_user=devices, users=_users(users),
        db=db or str(default_db_path()), seed=seed, token_endpoint_auth=_auth(token_endpoint_auth),
        redirect_uris=tuple(redirect_uri or ()), token_ttl=token_ttl, refresh_token_ttl=refresh_token_ttl,
        issue_refresh_token=not no_refresh_token, auto_consent=auto_consent, latency_ms=latency,
        error_rate=error_rate, faults=parse_faults(fault or []), command_delay_ms=command_delay,
        access_log=True, state_file=str(state_file_path()),
    )  # fmt: skip
    _log_to_stderr()
    serve(settings, lambda sandbox: _print_ready(sandbox, as_json))
    err.print("Sandbox stopped.", markup=False)


def _log_to_stderr() -> None:
    handler = logging.StreamHandler()  # stderr; paths and statuses only, never tokens
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("c2c_cli.sandbox")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


@app.command()
def poke(
    device: Annotated[str, typer.Argument(help="Device id, e.g. dev-1a2b3c4d5e6f.")],
    changes: Annotated[
        list[str], typer.Argument(metavar="ATTR=VALUE...", help="e.g. open=true temperature=21.5")
    ],
    url: Annotated[str | None, typer.Option(help="Sandbox URL (default: the running one).")] = None,
    admin_key: Annotated[
        str | None, typer.Option(envvar="C2C_SANDBOX_ADMIN_KEY", help="Admin key (default: the running one).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Simulate a physical change (door opened, temperature drift); webhooks fire."""
    assignments = parse_assignments(changes)
    target = find_running(url, admin_key)
    if target.pid is not None:  # found, not given: say which one (issue 13 §9)
        err.print(f"Using {target.described}.", markup=False)
    result = poke_remote(target, device, assignments)
    if as_json:
        print_json(result)
        return
    out.print(json.dumps(result["state"], sort_keys=True), markup=False)
    success(f"Poked {device}: {', '.join(result['changed']) or 'nothing changed'}.")


@app.command()
def reset(
    db: Annotated[Path | None, typer.Option(help="Database to wipe (default $C2C_HOME/sandbox.db).")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Wipe the sandbox database: users, devices, clients and tokens are seeded afresh on next start."""
    path = db or default_db_path()
    ensure_unused(path)
    if not yes and not typer.confirm(f"Delete {path}?", err=True):
        raise typer.Abort()
    existed = _reset_db(path)
    if as_json:
        print_json({"db": str(path), "deleted": existed})
        return
    success(f"Deleted {path}." if existed else f"Nothing to delete at {path}.", "c2c sandbox start")
