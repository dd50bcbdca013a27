"""Talking to a running sandbox from another process (``c2c sandbox poke``) and wiping its database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from c2c_cli.errors import UsageError
from c2c_cli.sandbox.settings import SandboxError, c2c_home
from c2c_cli.serving import Pointer

__all__ = [
    "RunningSandbox",
    "default_db_path",
    "ensure_unused",
    "find_running",
    "parse_assignments",
    "parse_faults",
    "pointer",
    "poke_remote",
    "reset_db",
    "state_file_path",
]


@dataclass(frozen=True)
class RunningSandbox:
    """Where a running sandbox listens and its admin key; ``pid`` when found through its pointer file."""

    url: str
    admin_key: str
    pid: int | None = None

    @property
    def described(self) -> str:
        """``the sandbox at URL (pid N)``: which one a command talks to."""
        return f"the sandbox at {self.url}" + (f" (pid {self.pid})" if self.pid is not None else "")


def state_file_path() -> Path:
    """``$C2C_HOME/sandbox.json``, written (0600) by ``c2c sandbox start``."""
    return c2c_home() / "sandbox.json"


def pointer(state_file: Path | None = None) -> Pointer:
    """The running sandbox's pointer file (default :func:`state_file_path`)."""
    return Pointer(state_file or state_file_path(), "sandbox")


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
    """The sandbox to talk to: explicit values first, else the live pointer of ``c2c sandbox start``.

    Raises:
        SandboxError: nothing given and no live sandbox recorded (exit 1: a failure, not bad usage).
    """
    if url and admin_key:
        return RunningSandbox(url.rstrip("/"), admin_key)
    saved = pointer(state_file).read() or {}
    found_url, found_key = url or saved.get("url"), admin_key or saved.get("admin_key")
    if not isinstance(found_url, str) or not isinstance(found_key, str):
        where = state_file or state_file_path()
        raise SandboxError(
            f"no running sandbox found (nothing live recorded in {where})",
            hint="Start one with `c2c sandbox start`, or pass --url and --admin-key.",
        )
    return RunningSandbox(found_url.rstrip("/"), found_key, saved.get("pid"))


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


def ensure_unused(db: Path, state_file: Path | None = None) -> None:
    """Refuse to wipe the database a live sandbox has open (its pointer names it).

    Deleting it under a running server would leave that server writing to an unlinked file and
    its WAL, while the next start seeds a new one: two truths, one name.

    Raises:
        UsageError: the sandbox recorded in ``state_file`` uses ``db``.
    """
    saved = pointer(state_file).read()
    if saved is None or not isinstance(saved.get("db"), str) or not _same_file(Path(saved["db"]), db):
        return
    raise UsageError(
        f"the sandbox at {saved.get('url')} (pid {saved.get('pid')}) is using {db}",
        hint=f"Stop it first (Ctrl-C where it runs), or reseed it in place: POST {saved.get('url')}/_sandbox/reset.",
    )


def _same_file(a: Path, b: Path) -> bool:
    return a.expanduser().resolve() == b.expanduser().resolve()


def reset_db(path: Path) -> bool:
    """Delete a sandbox database (and its WAL files). Returns whether it existed.

    Callers check :func:`ensure_unused` first.
    """
    existed = path.exists()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return existed
