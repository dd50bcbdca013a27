"""Small durable state shared by the connector and webhook functions.

Records: ``user:<id>`` (active flag, connector id, webhook secret), ``hook:<owner>`` (the vendor webhook
registered for a user or an API key) and ``cmd:<vendor command id>`` (a command whose result the webhook
must report with the request's ``traceId``). With ``STATE_TABLE`` set (as template.yaml does) records live
in DynamoDB, so a DeactivateUser handled by one container stops the webhook in every other; without it they
live in this container's memory, which is right for tests and local runs only.
"""

from __future__ import annotations

import json
import os
import threading
import time
from typing import Any, Protocol


class Store(Protocol):
    """Key -> JSON object."""

    def get(self, key: str) -> dict[str, Any] | None:
        """The record, or ``None``."""

    def put(self, key: str, value: dict[str, Any], ttl_s: int | None = None) -> None:
        """Create or replace a record, optionally expiring after ``ttl_s`` seconds."""

    def delete(self, key: str) -> None:
        """Remove a record (no error when absent)."""


class MemoryStore:
    """This container's memory."""

    def __init__(self) -> None:
        self._items: dict[str, tuple[dict[str, Any], float | None]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            value, expires = self._items.get(key, (None, None))
        if value is None or (expires is not None and expires < time.time()):
            return None
        return dict(value)

    def put(self, key: str, value: dict[str, Any], ttl_s: int | None = None) -> None:
        with self._lock:
            self._items[key] = (dict(value), time.time() + ttl_s if ttl_s else None)

    def delete(self, key: str) -> None:
        with self._lock:
            self._items.pop(key, None)


class DynamoDBStore:
    """A DynamoDB table with string partition key ``pk`` and TTL attribute ``expires``.

    Args:
        table: the table name.
        client: a boto3 DynamoDB client (created on first use when omitted).
    """

    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def _db(self) -> Any:
        if self._client is None:
            import boto3
            from botocore.config import Config

            self._client = boto3.client("dynamodb", config=Config(connect_timeout=0.5, read_timeout=1.0))
        return self._client

    def get(self, key: str) -> dict[str, Any] | None:
        item = self._db().get_item(TableName=self._table, Key={"pk": {"S": key}}, ConsistentRead=True).get("Item")
        if not item or (int(item.get("expires", {}).get("N", "0")) or float("inf")) < time.time():
            return None
        return dict(json.loads(item["data"]["S"]))

    def put(self, key: str, value: dict[str, Any], ttl_s: int | None = None) -> None:
        item = {"pk": {"S": key}, "data": {"S": json.dumps(value, sort_keys=True)}}
        if ttl_s:
            item["expires"] = {"N": str(int(time.time()) + ttl_s)}
        self._db().put_item(TableName=self._table, Item=item)

    def delete(self, key: str) -> None:
        self._db().delete_item(TableName=self._table, Key={"pk": {"S": key}})


_store: Store | None = None


def get_store() -> Store:
    """The store for this container: DynamoDB when ``STATE_TABLE`` is set, else memory."""
    global _store
    if _store is None:
        table = os.environ.get("STATE_TABLE")
        _store = DynamoDBStore(table) if table else MemoryStore()
    return _store


def set_store(store: Store | None) -> None:
    """Use ``store`` (tests); ``None`` goes back to the environment's choice."""
    global _store
    _store = store


# --- the records ----------------------------------------------------------------------------------

PENDING_TTL_S = 3600


def activate_user(user_id: str, connector_id: str, webhook_secret: str | None = None) -> None:
    """Record an active user (ActivateUser); keeps a known webhook secret."""
    old = get_store().get(f"user:{user_id}") or {}
    secret = webhook_secret or old.get("webhook_secret")
    get_store().put(f"user:{user_id}", {"active": True, "connector_id": connector_id, "webhook_secret": secret})


def deactivate_user(user_id: str) -> None:
    """Stop forwarding the user's events (DeactivateUser, contract §3.4)."""
    old = get_store().get(f"user:{user_id}") or {}
    get_store().put(f"user:{user_id}", {**old, "active": False, "webhook_secret": None})


def user(user_id: str) -> dict[str, Any] | None:
    """The user's record."""
    return get_store().get(f"user:{user_id}")


def remember_command(command_id: str, record: dict[str, Any]) -> None:
    """Let the webhook report this vendor command's result with the request's trace id."""
    get_store().put(f"cmd:{command_id}", record, ttl_s=PENDING_TTL_S)


def take_command(command_id: str) -> dict[str, Any] | None:
    """The pending command's record, removed."""
    record = get_store().get(f"cmd:{command_id}")
    if record is not None:
        get_store().delete(f"cmd:{command_id}")
    return record


def hook(owner: str) -> dict[str, Any] | None:
    """The vendor webhook registered for ``owner`` (``{"id", "secret"}``)."""
    return get_store().get(f"hook:{owner}")


def save_hook(owner: str, hook_id: str, secret: str) -> None:
    """Remember a vendor webhook registration."""
    get_store().put(f"hook:{owner}", {"id": hook_id, "secret": secret})


def drop_hook(owner: str) -> None:
    """Forget a vendor webhook registration."""
    get_store().delete(f"hook:{owner}")
