"""Deterministic seeding of users, devices and OAuth clients (same ``seed`` -> same ids and states)."""

from __future__ import annotations

import hashlib
import json
import random
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

from c2c_cli.sandbox.kinds import KINDS, initial_state
from c2c_cli.sandbox.settings import ClientConfig, SandboxSettings
from c2c_cli.sandbox.store import Store

__all__ = ["SeededUser", "ensure_seeded", "reseed", "user_rows"]

_ROOMS = ("Kitchen", "Living Room", "Bedroom", "Office", "Hallway", "Garage", "Porch", "Bathroom", "Attic")
_FIRMWARE = ("1.0.3", "1.2.0", "2.0.1")


@dataclass(frozen=True)
class SeededUser:
    """A seeded end user (test credentials, printed on start)."""

    username: str
    password: str
    user_id: str


def _parse_users(entries: tuple[str, ...]) -> list[SeededUser]:
    users = []
    for index, entry in enumerate(entries, start=1):
        name, _, password = entry.partition(":")
        users.append(SeededUser(name, password or f"{name}-password", f"user-{index:04d}"))
    return users


def _device_rows(user: SeededUser, count: int, seed: int) -> Iterator[tuple[object, ...]]:
    rng = random.Random(f"{seed}:{user.user_id}")
    kinds = list(KINDS.values())
    for i in range(count):
        kind = kinds[i % len(kinds)]
        device_id = "dev-" + hashlib.sha256(f"{seed}:{user.user_id}:{i}".encode()).hexdigest()[:12]
        name = f"{rng.choice(_ROOMS)} {kind.label}" + (f" {i + 1}" if count > len(kinds) else "")
        state = json.dumps(initial_state(kind.name, rng))
        yield (device_id, user.user_id, kind.name, name, kind.model, rng.choice(_FIRMWARE), 1, state)


def _seed_users_and_devices(store: Store, settings: SandboxSettings) -> None:
    users = _parse_users(settings.users)
    store.run_many(
        "INSERT INTO users (id, username, password, idx) VALUES (?, ?, ?, ?)",
        [(u.user_id, u.username, u.password, i) for i, u in enumerate(users)],
    )
    for user in users:
        store.run_many(
            "INSERT INTO devices (id, owner, kind, name, model, firmware, online, state) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            _device_rows(user, settings.devices_per_user, settings.seed),
        )
    if store.one("SELECT id FROM api_keys") is not None:
        return
    wanted = settings.api_key_users
    key_users = [u.user_id for u in users if wanted is None or u.username in wanted]
    store.run(
        "INSERT INTO api_keys (id, api_key, client_id, users) VALUES (?, ?, ?, ?)",
        ("key-1", "sbx_" + secrets.token_urlsafe(24), ClientConfig().client_id, json.dumps(key_users)),
    )


def _upsert_client(store: Store, client: ClientConfig) -> None:
    # Client settings are configuration, applied on every start; a generated secret survives restarts.
    row = store.one("SELECT secret FROM clients WHERE client_id = ?", (client.client_id,))
    secret = client.client_secret or (row["secret"] if row and row["secret"] else secrets.token_urlsafe(32))
    store.run(
        "INSERT OR REPLACE INTO clients (client_id, secret, auth_method, redirect_uris, allow_loopback, scope)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            client.client_id,
            None if client.auth_method == "none" else secret,
            client.auth_method,
            json.dumps(list(client.redirect_uris)),
            int(client.allow_loopback),
            client.scope,
        ),
    )


def ensure_seeded(store: Store, settings: SandboxSettings) -> bool:
    """Seed an empty database; always apply client settings. Returns whether seeding happened."""
    for key in ("signing_secret", "admin_key"):
        if store.get_meta(key) is None:
            store.set_meta(key, secrets.token_urlsafe(32))
    for client in settings.clients():
        _upsert_client(store, client)
    if store.get_meta("seeded") is not None:
        return False
    _seed_users_and_devices(store, settings)
    store.set_meta(
        "seeded", json.dumps({"seed": settings.seed, "devices_per_user": settings.devices_per_user})
    )
    return True


def reseed(store: Store, settings: SandboxSettings) -> None:
    """Back to the seeded state, keeping the printed credentials valid.

    Users, devices, tokens, commands and webhooks are recreated or dropped; clients, the API key and the
    server's keys stay.
    """
    store.wipe(keep=("meta", "clients", "api_keys"))
    store.run("DELETE FROM meta WHERE key = 'seeded'")
    ensure_seeded(store, settings)


def user_rows(store: Store) -> list[SeededUser]:
    """The seeded users in seeding order."""
    rows = store.all("SELECT id, username, password FROM users ORDER BY idx")
    return [SeededUser(r["username"], r["password"], r["id"]) for r in rows]
