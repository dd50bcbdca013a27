"""Small durable state shared by the connector and webhook functions, with conditional writes.

Records: ``user:<id>`` (active flag, connector id, webhook secret), ``hook:<owner>`` (the vendor webhook
registered for a user or an API key), ``cmd:<vendor command id>`` (a command whose result the webhook
must report with the request's ``traceId``), ``resp:<traceId>`` (the command response was sent) and
``disc:<deviceDiscoveryId>`` (a discovery that continues across invocations). With ``STATE_TABLE`` set (as
template.yaml does) records live in DynamoDB, so a DeactivateUser handled by one container stops the
webhook in every other; without it they live in this container's memory, which is right for tests and
local runs only.

Several invocations of one function run at once (the service retries a slow invocation, Lambda delivers
an asynchronous continuation at least once), so records two of them may write are written conditionally:
:meth:`Store.put_if_absent` claims a key once, :meth:`Store.compare_and_set` replaces a record only if its
``version`` is still the one read, and :meth:`Store.take` removes a record for exactly one caller. In
DynamoDB these are ``ConditionExpression`` writes (a ``ConditionalCheckFailedException`` is the lost race);
:class:`MemoryStore` does the same under its lock. An expired record (TTL ``expires`` passed, which
DynamoDB may take hours to delete) counts as absent everywhere.
"""

from __future__ import annotations

import json
import os
import threading
import time
from typing import Any, Protocol

Versioned = tuple[dict[str, Any] | None, int]
"""A record and its version: ``(None, 0)`` when absent, version 0 for a record never written conditionally."""


class Store(Protocol):
    """Key -> JSON object."""

    def get(self, key: str) -> dict[str, Any] | None:
        """The record, or ``None``."""

    def get_versioned(self, key: str) -> Versioned:
        """The record and its version, for :meth:`compare_and_set`."""

    def put(self, key: str, value: dict[str, Any], ttl_s: int | None = None) -> None:
        """Create or replace a record, optionally expiring after ``ttl_s`` seconds."""

    def put_if_absent(self, key: str, value: dict[str, Any], ttl_s: int | None = None) -> bool:
        """Create a record (version 1) unless one exists; whether this call created it."""

    def compare_and_set(self, key: str, value: dict[str, Any], version: int, ttl_s: int | None = None) -> bool:
        """Replace the record if its version is still ``version`` (0: absent or unversioned); whether it did.

        The new record's version is ``version + 1``.
        """

    def delete(self, key: str) -> None:
        """Remove a record (no error when absent)."""

    def take(self, key: str) -> dict[str, Any] | None:
        """Remove the record and return it; of two concurrent callers only one gets it."""


def _expiry(ttl_s: int | None) -> int | None:
    # Whole seconds, as DynamoDB's TTL reads them.
    return int(time.time()) + ttl_s if ttl_s else None


class MemoryStore:
    """This container's memory."""

    def __init__(self) -> None:
        self._items: dict[str, tuple[dict[str, Any], int | None, int]] = {}
        self._lock = threading.Lock()

    def _live(self, key: str) -> tuple[dict[str, Any], int | None, int] | None:
        item = self._items.get(key)
        if item is None or (item[1] is not None and item[1] < time.time()):
            return None
        return item

    def get(self, key: str) -> dict[str, Any] | None:
        return self.get_versioned(key)[0]

    def get_versioned(self, key: str) -> Versioned:
        with self._lock:
            item = self._live(key)
        return (dict(item[0]), item[2]) if item else (None, 0)

    def put(self, key: str, value: dict[str, Any], ttl_s: int | None = None) -> None:
        with self._lock:
            self._items[key] = (dict(value), _expiry(ttl_s), 0)

    def put_if_absent(self, key: str, value: dict[str, Any], ttl_s: int | None = None) -> bool:
        with self._lock:
            if self._live(key) is not None:
                return False
            self._items[key] = (dict(value), _expiry(ttl_s), 1)
            return True

    def compare_and_set(self, key: str, value: dict[str, Any], version: int, ttl_s: int | None = None) -> bool:
        with self._lock:
            item = self._live(key)
            if (item[2] if item else 0) != version:
                return False
            self._items[key] = (dict(value), _expiry(ttl_s), version + 1)
            return True

    def delete(self, key: str) -> None:
        with self._lock:
            self._items.pop(key, None)

    def take(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            item = self._live(key)
            self._items.pop(key, None)
        return dict(item[0]) if item else None


_NOW = ":now"
_EXPIRED = "(attribute_exists(#e) AND #e < :now)"


def _record(item: dict[str, Any] | None) -> Versioned:
    """A DynamoDB item as a record and its version; an expired item is absent."""
    if not item or (int(item.get("expires", {}).get("N", "0")) or float("inf")) < time.time():
        return None, 0
    return dict(json.loads(item["data"]["S"])), int(item.get("version", {}).get("N", "0"))


class DynamoDBStore:
    """A DynamoDB table with string partition key ``pk`` and TTL attribute ``expires`` (template.yaml).

    Items: ``pk`` (the key), ``data`` (the record as JSON), ``version`` (for conditional writes) and
    ``expires``. Attribute names go through ``ExpressionAttributeNames`` (``DATA`` is a reserved word).

    Args:
        table: the table name.
        client: a boto3 DynamoDB client (created on first use when omitted; ``AWS_ENDPOINT_URL_DYNAMODB``
            points it at a local table, as c2c's emulator does).
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

    def _item(self, key: str, value: dict[str, Any], ttl_s: int | None, version: int | None) -> dict[str, Any]:
        item: dict[str, Any] = {"pk": {"S": key}, "data": {"S": json.dumps(value, sort_keys=True)}}
        expires = _expiry(ttl_s)
        if expires is not None:
            item["expires"] = {"N": str(expires)}
        if version is not None:
            item["version"] = {"N": str(version)}
        return item

    def _put_when(self, item: dict[str, Any], condition: str, names: dict[str, str], **values: str) -> bool:
        """``PutItem`` with ``condition``; ``False`` when it failed (another invocation won the race)."""
        client = self._db()
        try:
            client.put_item(
                TableName=self._table,
                Item=item,
                ConditionExpression=condition,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues={
                    _NOW: {"N": str(int(time.time()))},
                    **{f":{k}": {"N": v} for k, v in values.items()},
                },
            )
        except client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def get(self, key: str) -> dict[str, Any] | None:
        return self.get_versioned(key)[0]

    def get_versioned(self, key: str) -> Versioned:
        answer = self._db().get_item(TableName=self._table, Key={"pk": {"S": key}}, ConsistentRead=True)
        return _record(answer.get("Item"))

    def put(self, key: str, value: dict[str, Any], ttl_s: int | None = None) -> None:
        self._db().put_item(TableName=self._table, Item=self._item(key, value, ttl_s, None))

    def put_if_absent(self, key: str, value: dict[str, Any], ttl_s: int | None = None) -> bool:
        condition = f"attribute_not_exists(#pk) OR {_EXPIRED}"
        return self._put_when(self._item(key, value, ttl_s, 1), condition, {"#pk": "pk", "#e": "expires"})

    def compare_and_set(self, key: str, value: dict[str, Any], version: int, ttl_s: int | None = None) -> bool:
        item = self._item(key, value, ttl_s, version + 1)
        names = {"#v": "version", "#e": "expires"}
        if version == 0:
            condition = f"attribute_not_exists(#pk) OR attribute_not_exists(#v) OR {_EXPIRED}"
            return self._put_when(item, condition, {**names, "#pk": "pk"})
        # An expired record reads as version 0, so it must not match a live version here.
        return self._put_when(item, f"#v = :v AND NOT {_EXPIRED}", names, v=str(version))

    def delete(self, key: str) -> None:
        self._db().delete_item(TableName=self._table, Key={"pk": {"S": key}})

    def take(self, key: str) -> dict[str, Any] | None:
        # Both of two concurrent deletes succeed, but only the first gets the old item back.
        answer = self._db().delete_item(TableName=self._table, Key={"pk": {"S": key}}, ReturnValues="ALL_OLD")
        return _record(answer.get("Attributes"))[0]


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
    """The pending command's record, removed: of two deliveries of one webhook only one gets it."""
    return get_store().take(f"cmd:{command_id}")


def claim_response(trace_id: str) -> bool:
    """Whether this caller is the one to send the ``traceId``'s command response.

    A retried SendCommand (same ``traceId``) and the webhook can all reach the point of reporting one
    vendor command; the first to claim ``resp:<traceId>`` sends the response, the others do not.
    """
    return get_store().put_if_absent(f"resp:{trace_id}", {"sent": True}, ttl_s=PENDING_TTL_S)


def release_response(trace_id: str) -> None:
    """Give the claim back (sending failed), so a retry can send the response."""
    get_store().delete(f"resp:{trace_id}")


def hook(owner: str) -> dict[str, Any] | None:
    """The vendor webhook registered for ``owner`` (``{"id", "secret"}``)."""
    return get_store().get(f"hook:{owner}")


def save_hook(owner: str, hook_id: str, secret: str) -> None:
    """Remember a vendor webhook registration."""
    get_store().put(f"hook:{owner}", {"id": hook_id, "secret": secret})


def drop_hook(owner: str) -> None:
    """Forget a vendor webhook registration."""
    get_store().delete(f"hook:{owner}")
