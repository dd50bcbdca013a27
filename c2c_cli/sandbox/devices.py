"""Device, command and webhook records: the data side of the device API and of ``poke``."""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import sqlite3
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from c2c_cli.sandbox.kinds import CommandFailed, CommandRejected, apply_command, check_poke
from c2c_cli.sandbox.runtime import Runtime

__all__ = [
    "Change",
    "Principal",
    "apply_physical",
    "apply_queued_command",
    "decode_cursor",
    "device_json",
    "encode_cursor",
    "find_device",
    "list_devices",
    "queue_command",
]


@dataclass(frozen=True)
class Principal:
    """Who calls the device API: one user (bearer token) or an API key acting for several users."""

    key: str  # "user:<id>" or "key:<id>", the owner of webhooks and idempotency keys
    users: tuple[str, ...]
    scope: str = "devices:read devices:write"
    is_api_key: bool = False


@dataclass(frozen=True)
class Change:
    """A device state change to report (by webhook)."""

    device_id: str
    user_id: str
    state: dict[str, Any]
    changed: dict[str, Any]
    cause: str
    command_id: str | None = None


def device_json(row: sqlite3.Row) -> dict[str, Any]:
    """The device object of the API (docs/sandbox-api.md)."""
    return {
        "id": row["id"],
        "name": row["name"],
        "kind": row["kind"],
        "owner_user_id": row["owner"],
        "manufacturer": "Sandbox Inc.",
        "model": row["model"],
        "firmware": row["firmware"],
        "online": bool(row["online"]),
        "state": json.loads(row["state"]),
    }


_CURSOR_PREFIX = "after:"


def encode_cursor(device_id: str) -> str:
    """An opaque cursor after ``device_id``."""
    return base64.urlsafe_b64encode((_CURSOR_PREFIX + device_id).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    """The device id a cursor points after. Raises ``ValueError`` when it is not ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = base64.b64decode(padded, altchars=b"-_", validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise ValueError("invalid cursor") from exc
    if not raw.startswith(_CURSOR_PREFIX):
        raise ValueError("invalid cursor")
    return raw[len(_CURSOR_PREFIX) :]


def list_devices(rt: Runtime, users: tuple[str, ...], after: str, limit: int) -> list[dict[str, Any]]:
    """One page of the devices owned by ``users``, in stable id order after ``after``."""
    marks = ",".join("?" * len(users))
    rows = rt.store.all(
        f"SELECT * FROM devices WHERE owner IN ({marks}) AND id > ? ORDER BY id LIMIT ?",
        (*users, after, limit),
    )
    return [device_json(r) for r in rows]


def find_device(rt: Runtime, device_id: str, users: tuple[str, ...] | None = None) -> dict[str, Any] | None:
    """A device by id, if one of ``users`` owns it (``None`` = any owner)."""
    row = rt.store.one("SELECT * FROM devices WHERE id = ?", (device_id,))
    if row is None or (users is not None and row["owner"] not in users):
        return None
    return device_json(row)


def queue_command(
    rt: Runtime, who: Principal, device: Mapping[str, Any], body: Mapping[str, Any], idem_key: str | None
) -> tuple[str, bool]:
    """Validate and record a command; returns ``(command_id, created)``.

    Raises:
        CommandRejected: unknown command or bad params (HTTP 400).
        LookupError: the idempotency key was used for a different request (HTTP 409).
    """
    command, params = body.get("command"), body.get("params") or {}
    if not isinstance(command, str) or not isinstance(params, dict):
        raise CommandRejected("body must be {'command': str, 'params': object}")
    try:
        apply_command(device["kind"], device["state"], command, params)
    except CommandFailed:
        pass  # valid; whether the device can do it is decided when the worker applies it
    params_json = json.dumps(params, sort_keys=True)
    with rt.store.tx() as conn:
        if idem_key is not None:
            row = conn.execute(
                "SELECT id, device_id, command, params FROM commands WHERE principal = ? AND idem_key = ?",
                (who.key, idem_key),
            ).fetchone()
            if row is not None:
                if (row["device_id"], row["command"], row["params"]) != (device["id"], command, params_json):
                    raise LookupError("Idempotency-Key was already used for a different command")
                return str(row["id"]), False
        command_id = "cmd-" + uuid.uuid4().hex[:16]
        conn.execute(
            "INSERT INTO commands (id, principal, device_id, command, params, status, idem_key, created_at)"
            " VALUES (?, ?, ?, ?, ?, 'accepted', ?, ?)",
            (command_id, who.key, device["id"], command, params_json, idem_key, rt.now()),
        )
    return command_id, True


def _write_state(
    conn: sqlite3.Connection,
    device_id: str,
    changes: Mapping[str, Any],
    cause: str,
    command_id: str | None = None,
) -> Change:
    row = conn.execute("SELECT owner, state FROM devices WHERE id = ?", (device_id,)).fetchone()
    state = json.loads(row["state"])
    changed = {k: v for k, v in changes.items() if state.get(k) != v}
    state.update(changes)
    conn.execute("UPDATE devices SET state = ? WHERE id = ?", (json.dumps(state), device_id))
    return Change(device_id, row["owner"], state, changed, cause, command_id)


def apply_queued_command(rt: Runtime, command_id: str) -> Change | None:
    """Apply an accepted command to the device's current state (the worker's job)."""
    with rt.store.tx() as conn:
        cmd = conn.execute(
            "SELECT * FROM commands WHERE id = ? AND status = 'accepted'", (command_id,)
        ).fetchone()
        if cmd is None:
            return None
        device = conn.execute("SELECT kind, state FROM devices WHERE id = ?", (cmd["device_id"],)).fetchone()
        try:
            changes = apply_command(
                device["kind"], json.loads(device["state"]), cmd["command"], json.loads(cmd["params"])
            )
        except (CommandRejected, CommandFailed) as exc:
            conn.execute(
                "UPDATE commands SET status = 'failed', error = ? WHERE id = ?", (str(exc), command_id)
            )
            return None
        change = _write_state(conn, cmd["device_id"], changes, "command", command_id)
        conn.execute("UPDATE commands SET status = 'applied' WHERE id = ?", (command_id,))
    return change


def apply_physical(rt: Runtime, device_id: str, changes: Mapping[str, Any]) -> Change:
    """A physical change (door opened, temperature drift): validate and write it.

    Raises:
        KeyError: no such device.
        CommandRejected: unknown attribute or wrong type.
    """
    with rt.store.tx() as conn:
        row = conn.execute("SELECT state FROM devices WHERE id = ?", (device_id,)).fetchone()
        if row is None:
            raise KeyError(device_id)
        checked = check_poke(json.loads(row["state"]), changes)
        change = _write_state(conn, device_id, checked, "physical")
    return change


def command_json(rt: Runtime, command_id: str, who: Principal) -> dict[str, Any] | None:
    """A command's status, if ``who`` issued it."""
    row = rt.store.one("SELECT * FROM commands WHERE id = ? AND principal = ?", (command_id, who.key))
    if row is None:
        return None
    fields = {k: row[k] for k in ("device_id", "command", "status")}
    extra = {"error": row["error"]} if row["error"] else {}
    return {"command_id": row["id"], **fields, "params": json.loads(row["params"]), **extra}


def add_webhook(rt: Runtime, who: Principal, url: str) -> dict[str, Any]:
    """Register a callback URL; the secret is returned once, at creation."""
    hook = {"id": "wh-" + uuid.uuid4().hex[:12], "url": url, "secret": "whsec_" + secrets.token_urlsafe(24)}
    rt.store.run(
        "INSERT INTO webhooks (id, principal, url, secret, created_at) VALUES (?, ?, ?, ?, ?)",
        (hook["id"], who.key, url, hook["secret"], rt.now()),
    )
    return hook


def list_webhooks(rt: Runtime, who: Principal) -> list[dict[str, Any]]:
    """The caller's webhooks (without secrets)."""
    rows = rt.store.all("SELECT id, url FROM webhooks WHERE principal = ? ORDER BY created_at", (who.key,))
    return [{"id": r["id"], "url": r["url"]} for r in rows]


def delete_webhook(rt: Runtime, who: Principal, hook_id: str) -> bool:
    """Remove one of the caller's webhooks."""
    return rt.store.run("DELETE FROM webhooks WHERE id = ? AND principal = ?", (hook_id, who.key)) > 0


def webhooks_for(rt: Runtime, user_id: str) -> list[tuple[str, str]]:
    """``(url, secret)`` of every webhook whose owner can see ``user_id``'s devices."""
    rows = rt.store.all("SELECT principal, url, secret FROM webhooks")
    keys = {r["id"]: json.loads(r["users"]) for r in rt.store.all("SELECT id, users FROM api_keys")}
    out = []
    for row in rows:
        kind, _, owner = row["principal"].partition(":")
        if (kind == "user" and owner == user_id) or (kind == "key" and user_id in keys.get(owner, [])):
            out.append((row["url"], row["secret"]))
    return out
