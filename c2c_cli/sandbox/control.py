"""Talking to a running sandbox from another process (``c2c sandbox poke``) and wiping its database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from c2c_cli.errors import UsageError
from c2c_cli.sandbox.settings import SandboxError, c2c_home

__all__ = [
    "RunningSandbox",
    "default_db_path",
    "find_running",
    "parse_assignments",
    "parse_faults",
    "poke_remote",
    "reset_db",
    "state_file_path",
]


@dataclass(frozen=True)
class RunningSandbox:
    """Where a running sandbox listens and its admin key."""

    url: str
    admin_key: str


def state_file_path() -> Path:
    """``$C2C_HOME/sandbox.json``, written (0600) by ``c2c sandbox start``."""
    return c2c_home() / "sandbox.json"


def default_db_path() -> Path:
    """``$C2C_HOME/sandbox.db``."""
    return c2c_home() / "sandbox.db"


def _value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def parse_assignments(items: list[str]) -> dict[str, Any]:
    """``["open=true", "temperature=21.5", "mode=heat"]`` -> typed dict (JSON values, else strings).

    Raises:
        UsageError: an item without ``=``.
    """
    out: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise UsageError(
                f"expected ATTR=VALUE, got {item!r}", hint="e.g. c2c sandbox poke dev-1 open=true"
            )
        out[key] = _value(raw)
    return out


def parse_faults(items: list[str]) -> dict[str, str]:
    """``["/oauth/token=invalid_grant"]`` -> ``{"/oauth/token": "invalid_grant"}``.

    Raises:
        UsageError: an item that is not ``PATH=ERROR`` with a path starting with ``/``.
    """
    out: dict[str, str] = {}
    for item in items:
        path, sep, error = item.partition("=")
        if not sep or not path.startswith("/") or not error:
            raise UsageError(
                f"expected PATH=ERROR, got {item!r}", hint="e.g. --fault /oauth/token=invalid_grant"
            )
        out[path] = error
    return out


def find_running(url: str | None, admin_key: str | None, state_file: Path | None = None) -> RunningSandbox:
    """The sandbox to talk to: explicit values first, else the state file of ``c2c sandbox start``.

    Raises:
        SandboxError: nothing given and no state file.
    """
    path = state_file or state_file_path()
    if url and admin_key:
        return RunningSandbox(url.rstrip("/"), admin_key)
    try:
        saved = json.loads(path.read_text())
    except (OSError, ValueError):
        raise SandboxError(
            f"no running sandbox found ({path} is missing)",
            hint="Start one with `c2c sandbox start`, or pass --url and --admin-key.",
        ) from None
    return RunningSandbox((url or saved["url"]).rstrip("/"), admin_key or saved["admin_key"])


def poke_remote(
    target: RunningSandbox, device_id: str, changes: dict[str, Any], http: Any = None
) -> dict[str, Any]:
    """POST a physical change to ``/_sandbox/poke``; returns ``{device_id, state, changed}``.

    Raises:
        UsageError: unknown device or attribute, wrong value type.
        SandboxError: the sandbox is unreachable or refused the admin key.
    """
    import requests

    session = http or requests.Session()
    try:
        response = session.post(
            f"{target.url}/_sandbox/poke",
            json={"device_id": device_id, "changes": changes},
            headers={"X-Sandbox-Admin-Key": target.admin_key},
            timeout=10,
        )
    except requests.RequestException as exc:
        raise SandboxError(
            f"cannot reach the sandbox at {target.url}: {type(exc).__name__}",
            hint="Is `c2c sandbox start` still running?",
        ) from None
    body = response.json() if response.headers.get("Content-Type", "").startswith("application/json") else {}
    if response.status_code in (400, 404):
        raise UsageError(str(body.get("error_description", response.text)))
    if response.status_code != 200:
        raise SandboxError(f"the sandbox answered HTTP {response.status_code}: {body.get('error', '')}")
    result: dict[str, Any] = body
    return result


def reset_db(path: Path) -> bool:
    """Delete a sandbox database (and its WAL files). Returns whether it existed."""
    existed = path.exists()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return existed
