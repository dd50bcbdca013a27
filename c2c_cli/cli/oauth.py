"""``c2c oauth``: link an account at the vendor's OAuth server, keep its tokens, and check the provider.

Every command reads ``oauth:`` from ``c2c.yaml`` (``--project``). The client secret comes from
``oauth.client_secret_env``, ``oauth.client_secret_file``, ``$C2C_CLIENT_SECRET`` or a hidden prompt,
never from a flag. The browser is ``$BROWSER`` (Python ``webbrowser`` syntax, ``%s`` = the URL) or the
desktop browser; when none can be opened (SSH, no display) or with ``--no-browser`` the URL is printed
and the final redirect URL may be pasted on stdin. Tests use both: ``$BROWSER`` naming a fake browser,
and paste-back through stdin. Tokens are never printed, except by ``c2c oauth token`` to a pipe or
with ``--show``.

``status --json`` (also ``login``/``refresh``): :meth:`c2c_cli.oauth.TokenRecord.summary`.
``logout --json``: ``{"profile", "found", "revoked": [...], "revocation_skipped", "deleted"}``.
``check --json``: :meth:`c2c_cli.oauth.CheckReport.to_json`.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from c2c_cli.cli.options import Json, Project
from c2c_cli.cli.options import TokenProfile as Profile
from c2c_cli.cli.output import err, escape, out, print_json, success
from c2c_cli.errors import AuthError, UsageError

if TYPE_CHECKING:
    from c2c_cli.config import OAuthSettings
    from c2c_cli.oauth import CheckReport, LoginOptions, Prompt

__all__ = ["app"]

app = typer.Typer(help="Link an account at the vendor's OAuth server, manage its tokens, check the provider.")

Port = Annotated[int, typer.Option("--port", min=0, max=65535, help="Loopback port (0 = random).")]
RedirectUri = Annotated[
    str | None, typer.Option("--redirect-uri", help="Exact redirect URI registered at the provider.")
]
NoBrowser = Annotated[bool, typer.Option("--no-browser", help="Print the URL; paste the final URL back.")]
Scope = Annotated[list[str] | None, typer.Option("--scope", help="Scope to request (repeatable).")]
Timeout = Annotated[float, typer.Option("--timeout", min=1, help="Seconds to wait for the sign-in.")]
NoPkce = Annotated[bool, typer.Option("--no-pkce", help="Omit PKCE (only for servers without it).")]


def _settings(project: Path) -> tuple[OAuthSettings, Path]:
    from c2c_cli.config import load_config

    cfg = load_config(project)
    if cfg.oauth is None:
        raise UsageError(
            f"{cfg.project_dir / 'c2c.yaml'} has no 'oauth:' section",
            hint="Add oauth: authorization_url, token_url, client_id (see README 'Configuration').",
        )
    return cfg.oauth, cfg.project_dir


def _secret(settings: OAuthSettings, project_dir: Path) -> str:
    from c2c_cli.oauth.secret import find_client_secret, missing_secret

    secret = find_client_secret(settings, project_dir)
    if secret:
        return secret
    if not sys.stdin.isatty():
        raise missing_secret(settings)
    return str(typer.prompt("OAuth client secret", hide_input=True, err=True))


def _options(
    redirect_uri: str | None, port: int, scope: list[str] | None, timeout: float, no_pkce: bool
) -> LoginOptions:
    from c2c_cli.oauth import LoginOptions

    if redirect_uri and port:
        raise UsageError(
            "use --port or --redirect-uri, not both", hint="The port is part of the redirect URI."
        )
    scopes = tuple(s for value in scope for s in value.split()) if scope else None
    return LoginOptions(
        redirect_uri=redirect_uri, port=port, scopes=scopes, timeout=timeout, pkce=not no_pkce
    )


def _front_channel(no_browser: bool) -> dict[str, Any]:
    from c2c_cli.oauth import system_opener

    stdin = sys.stdin

    def paste() -> str | None:
        return stdin.readline() or None

    return {"opener": None if no_browser else system_opener(), "paste": paste, "notify": _notify}


def _notify(prompt: Prompt) -> None:
    what, redirect = escape(prompt.purpose), escape(prompt.redirect_uri)
    if prompt.opened:
        err.print(f"Opened the browser to {what}.")
    else:
        err.print(f"To {what}, open this URL in a browser:\n\n  {escape(prompt.url)}\n")
    if prompt.paste:
        err.print(
            f"Waiting for the redirect to {redirect}. If the browser runs on another machine (or shows an "
            "error page after signing in), paste the final URL from its address bar here and press Enter:"
        )
    else:
        err.print(f"Waiting for the redirect to {redirect} ...")


def _render_record(summary: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(summary)
        return
    expires = summary["expires_at"] or "unknown"
    if summary["expires_in"] is not None:
        expires += " (expired)" if summary["expired"] else f" (in {_duration(summary['expires_in'])})"
    rows = {
        "profile": summary["profile"],
        "user id": f"{summary['user_id'] or 'unknown'} ({summary['user_id_source'] or 'not resolvable'})",
        "scopes": " ".join(summary["scopes"]) or "(none)",
        "expires": expires,
        "refresh token": "yes" if summary["refresh_available"] else "no",
        "access token": f"fingerprint {summary['access_token_fingerprint']}",
    }
    table = Table(show_header=False, box=None)
    for key, value in rows.items():
        table.add_row(Text(key, style="bold"), Text(str(value)))
    out.print(table)


def _duration(seconds: int) -> str:
    minutes, secs = divmod(max(seconds, 0), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"


@app.command()
def login(
    profile: Profile = "default",
    port: Port = 0,
    redirect_uri: RedirectUri = None,
    no_browser: NoBrowser = False,
    scope: Scope = None,
    timeout: Timeout = 120.0,
    no_pkce: NoPkce = False,
    as_json: Json = False,
    project: Project = Path(),
) -> None:
    """Sign in at the provider (authorization code + PKCE S256) and store the tokens."""
    from c2c_cli.oauth import TokenStore, login
    from c2c_cli.oauth.store import check_profile_name
    from c2c_cli.paths import require_usable_home

    settings, project_dir = _settings(project)
    check_profile_name(profile)
    require_usable_home()  # before signing in: tokens that cannot be stored would be lost, unrevoked
    secret = _secret(settings, project_dir)
    options = _options(redirect_uri, port, scope, timeout, no_pkce)
    record = login(settings, secret, options=options, profile=profile, **_front_channel(no_browser))
    TokenStore().save(record)
    _render_record(record.summary(time.time()), as_json)
    success(f"Logged in as {record.user_id or 'an unknown user id'} (profile {profile}).", "c2c oauth status")


@app.command()
def token(
    profile: Profile = "default",
    show: Annotated[bool, typer.Option("--show", help="Print the token even to a terminal.")] = False,
    project: Project = Path(),
) -> None:
    """Print a valid access token (refreshed when near expiry) for scripts: only to a pipe, or with --show."""
    from c2c_cli.oauth import TokenStore, valid_access_token

    if sys.stdout.isatty() and not show:
        raise UsageError(
            "refusing to print the access token to a terminal",
            hint="Pipe it (e.g. TOKEN=$(c2c oauth token)) or pass --show.",
        )
    settings, project_dir = _settings(project)
    value = valid_access_token(
        profile,
        settings=settings,
        secret=lambda: _secret(settings, project_dir),
        store=TokenStore(),
        same_origin=True,
    )
    typer.echo(value)


@app.command()
def refresh(profile: Profile = "default", as_json: Json = False, project: Project = Path()) -> None:
    """Run the refresh grant now and store the new tokens."""
    from c2c_cli.oauth import TokenStore, refresh_profile
    from c2c_cli.paths import require_usable_home

    settings, project_dir = _settings(project)
    require_usable_home()  # a rotated refresh token that cannot be stored would be lost
    record = refresh_profile(
        profile, settings=settings, secret=lambda: _secret(settings, project_dir), store=TokenStore()
    )
    _render_record(record.summary(time.time()), as_json)
    success(f"Refreshed the tokens of profile {profile}.")


@app.command()
def status(profile: Profile = "default", as_json: Json = False) -> None:
    """Show the stored tokens' user id, scopes, expiry and whether a refresh token exists (never the tokens)."""
    from c2c_cli.oauth import TokenStore

    record = TokenStore().require(profile)
    _render_record(record.summary(time.time()), as_json)


@app.command()
def logout(
    profile: Profile = "default",
    no_revoke: Annotated[bool, typer.Option("--no-revoke", help="Only delete the local tokens.")] = False,
    as_json: Json = False,
    project: Project = Path(),
) -> None:
    """Revoke the tokens at the provider (RFC 7009) and delete them locally."""
    from c2c_cli.oauth import TokenStore, logout

    settings, project_dir = _settings(project)
    result = logout(
        profile,
        settings=settings,
        secret=lambda: _secret(settings, project_dir),
        store=TokenStore(),
        revoke=not no_revoke,
    )
    if as_json:
        print_json({**dataclasses.asdict(result), "revoked": list(result.revoked), "deleted": result.found})
    if not result.found:
        err.print(f"No tokens stored for profile {escape(profile)}; nothing to do.")
        return
    revoked = (
        f"revoked {' and '.join(result.revoked)}"
        if result.revoked
        else f"not revoked ({result.revocation_skipped})"
    )
    success(f"Logged out profile {profile}: {revoked}; deleted the local tokens.")


@app.command()
def check(
    single_user: Annotated[
        bool, typer.Option("--single-user", help="Sign in once; skip the per-user check.")
    ] = False,
    port: Port = 0,
    redirect_uri: RedirectUri = None,
    no_browser: NoBrowser = False,
    scope: Scope = None,
    timeout: Timeout = 120.0,
    no_pkce: NoPkce = False,
    as_json: Json = False,
    project: Project = Path(),
) -> None:
    """Check the provider against the service's OAuth requirements (signs in as two different users)."""
    from c2c_cli.oauth import check_provider

    settings, project_dir = _settings(project)
    secret = _secret(settings, project_dir)
    options = _options(redirect_uri, port, scope, timeout, no_pkce)
    report = check_provider(
        settings, secret, options=options, second_user=not single_user, **_front_channel(no_browser)
    )
    _render_report(report, as_json)
    failed = [item.id for item in report.items if item.status == "fail"]
    if failed:
        raise AuthError(f"{len(failed)} OAuth requirement(s) failed: {', '.join(failed)}")
    success("The provider meets the OAuth requirements.", "c2c oauth login")


def _render_report(report: CheckReport, as_json: bool) -> None:
    if as_json:
        print_json(report.to_json())
        return
    styles = {"pass": "green", "warn": "yellow", "fail": "bold red"}
    table = Table(show_header=True, box=None)
    for column in ("status", "requirement", "evidence"):
        table.add_column(column)
    for item in report.items:
        table.add_row(
            Text(item.status.upper(), style=styles[item.status]), Text(item.title), Text(item.evidence)
        )
    out.print(table)
