"""What the simulator asks the sandbox vendor directly: token liveness, revocation, applied commands.

Only available with ``--sandbox``; against a real vendor these checks are skipped.
"""

from __future__ import annotations

from typing import Any

__all__ = ["active_token", "command_count", "poke_any", "revoke_token"]


def _client_call(sandbox: Any, path: str, token: str) -> Any:
    import requests

    info = sandbox.info
    return requests.post(
        f"{sandbox.base_url}{path}",
        data={"token": token},
        auth=(info["client_id"], info["client_secret"]),
        timeout=5,
    )


def active_token(sandbox: Any, token: str) -> bool:
    """RFC 7662 introspection: is the token still active?"""
    response = _client_call(sandbox, "/oauth/introspect", token)
    return bool(response.ok and response.json().get("active"))


def revoke_token(sandbox: Any, token: str) -> None:
    """RFC 7009 revocation (the sandbox revokes the whole grant)."""
    _client_call(sandbox, "/oauth/revoke", token)


def command_count(sandbox: Any, device_id: str) -> int:
    """How many distinct commands the vendor accepted for a device (idempotent retries count once)."""
    sandbox.wait_idle(2.0)
    return len(sandbox.commands_of(device_id))


def poke_any(sandbox: Any, user_id: str) -> str | None:
    """Change a device of the user physically (fires webhooks); returns its id, None if none fits."""
    for device in sandbox.devices_of(user_id):
        state = device.get("state") or {}
        if isinstance(state.get("on"), bool):
            sandbox.poke(device["id"], {"on": not state["on"]})
            return str(device["id"])
    return None
