"""The emulator's state in sqlite: resources, idempotency records and the log (one file, or memory).

One connection shared by the server's threads behind a lock (sqlite serialises writers anyway). The
schema is created idempotently, so a restart on the same file keeps every resource.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = [
    "ASSOCIATION",
    "COMMAND",
    "CONNECTOR",
    "DESTINATION",
    "DISCOVERY",
    "EVENT_LOG",
    "REQUEST_LOG",
    "THING",
    "Store",
    "reset_database",
]

# The kinds of resource the store holds. They live here, below every layer, because the driver
# (lifecycle lookups) and the admin endpoints read the records the operations write.
CONNECTOR = "cloud-connector"
DESTINATION = "connector-destination"
ASSOCIATION = "account-association"
DISCOVERY = "device-discovery"
THING = "managed-thing"
COMMAND = "managed-thing-command"
# The two logs: every SendConnectorEvent / connector invocation, and every API request.
EVENT_LOG = "event"
REQUEST_LOG = "request"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS resources (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL,
    created_at REAL NOT NULL, data TEXT NOT NULL,
    UNIQUE (kind, id)
);
CREATE INDEX IF NOT EXISTS resources_by_account ON resources (account_id, kind);
CREATE TABLE IF NOT EXISTS idempotency (
    account_id TEXT NOT NULL, operation TEXT NOT NULL, token TEXT NOT NULL,
    body_hash TEXT NOT NULL, response TEXT NOT NULL,
    PRIMARY KEY (account_id, operation, token)
);
CREATE TABLE IF NOT EXISTS log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL, connector_id TEXT, record TEXT NOT NULL
);
"""


class Store:
    """sqlite-backed state.

    Args:
        db: a file path or ``":memory:"``.
    """

    def __init__(self, db: str) -> None:
        if db != ":memory:":
            Path(db).parent.mkdir(parents=True, exist_ok=True)
            # The database holds linked users' OAuth tokens, like the 0600 token store (STYLE.md §5).
            os.close(os.open(db, os.O_RDWR | os.O_CREAT, 0o600))
        self._conn = sqlite3.connect(db, check_same_thread=False, isolation_level=None)
        self._lock = threading.RLock()
        # Readers waiting for log records (the simulator's capture, issue 15) block on this condition
        # instead of polling; the per-type count is bumped once a record is readable.
        self._appended = threading.Condition(threading.Lock())
        self._appends: dict[str, int] = {}
        with self._lock:
            if db != ":memory:":
                self._conn.execute("PRAGMA journal_mode=WAL")
                self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(_SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the lock and one sqlite transaction (check-then-write sequences stay atomic)."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()

    # -- resources -------------------------------------------------------------------------------

    def put(self, account_id: str, kind: str, rid: str, data: dict[str, Any], created_at: float) -> None:
        """Insert or replace a resource."""
        with self._lock:
            self._conn.execute(
                "INSERT INTO resources (account_id, kind, id, created_at, data) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (kind, id) DO UPDATE SET data = excluded.data",
                (account_id, kind, rid, created_at, json.dumps(data)),
            )

    def get(self, kind: str, rid: str) -> tuple[str, dict[str, Any]] | None:
        """``(owner account, data)`` of a resource of any account, or None."""
        with self._lock:
            row = self._conn.execute(
                "SELECT account_id, data FROM resources WHERE kind = ? AND id = ?", (kind, rid)
            )
            found = row.fetchone()
        return (found[0], json.loads(found[1])) if found else None

    def list_owned(self, account_id: str, kind: str) -> list[dict[str, Any]]:
        """Every resource of a kind owned by an account, oldest first."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT data FROM resources WHERE account_id = ? AND kind = ? ORDER BY seq",
                (account_id, kind),
            ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def all_of(self, kind: str) -> list[tuple[str, dict[str, Any]]]:
        """``(owner account, data)`` of every resource of a kind, any account, oldest first."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT account_id, data FROM resources WHERE kind = ? ORDER BY seq", (kind,)
            ).fetchall()
        return [(r[0], json.loads(r[1])) for r in rows]

    def delete(self, kind: str, rid: str) -> None:
        """Remove a resource."""
        with self._lock:
            self._conn.execute("DELETE FROM resources WHERE kind = ? AND id = ?", (kind, rid))

    # -- idempotency -----------------------------------------------------------------------------

    def idempotent(self, account_id: str, operation: str, token: str) -> tuple[str, dict[str, Any]] | None:
        """``(body hash, stored response)`` of an earlier request with this ClientToken, or None."""
        with self._lock:
            found = self._conn.execute(
                "SELECT body_hash, response FROM idempotency WHERE account_id = ? AND operation = ? AND token = ?",
                (account_id, operation, token),
            ).fetchone()
        return (found[0], json.loads(found[1])) if found else None

    def remember(
        self, account_id: str, operation: str, token: str, body_hash: str, response: dict[str, Any]
    ) -> None:
        """Store the response of a ClientToken request."""
        with self._lock:
            self._conn.execute(
                "INSERT OR REPLACE INTO idempotency VALUES (?, ?, ?, ?, ?)",
                (account_id, operation, token, body_hash, json.dumps(response)),
            )

    # -- log -------------------------------------------------------------------------------------

    def append_log(self, kind: str, record: dict[str, Any], connector_id: str | None = None) -> int:
        """Append a log record; returns its sequence number (``seq`` of the record when read back)."""
        with self._lock:
            cur = self._conn.execute(
                "INSERT INTO log (type, connector_id, record) VALUES (?, ?, ?)",
                (kind, connector_id, json.dumps(record, default=str)),
            )
        with self._appended:
            self._appends[kind] = self._appends.get(kind, 0) + 1
            self._appended.notify_all()
        return int(cur.lastrowid or 0)

    def log_appends(self, kind: str) -> int:
        """How many records of a type were appended so far (what :meth:`wait_for_append` compares)."""
        with self._appended:
            return self._appends.get(kind, 0)

    def wait_for_append(self, kind: str, seen: int, timeout: float) -> bool:
        """Block until ``log_appends(kind)`` differs from ``seen`` or ``timeout`` seconds pass."""
        with self._appended:
            return self._appended.wait_for(lambda: self._appends.get(kind, 0) != seen, max(0.0, timeout))

    def read_log(
        self, kind: str, *, after: int = 0, connector_id: str | None = None, limit: int = 1000
    ) -> list[dict[str, Any]]:
        """Log records of a type with ``seq > after``, oldest first."""
        sql = "SELECT seq, record FROM log WHERE type = ? AND seq > ?"
        args: list[Any] = [kind, after]
        if connector_id is not None:
            sql += " AND connector_id = ?"
            args.append(connector_id)
        sql += " ORDER BY seq LIMIT ?"
        args.append(limit)
        with self._lock:
            rows = self._conn.execute(sql, args).fetchall()
        return [{"seq": r[0], **json.loads(r[1])} for r in rows]

    def reset(self) -> None:
        """Forget every resource, idempotency record and log entry."""
        with self._lock:
            self._conn.executescript("DELETE FROM resources; DELETE FROM idempotency; DELETE FROM log;")


def reset_database(db: str) -> None:
    """Clear an emulator database file that no emulator is serving (``c2c emulator reset --db``)."""
    store = Store(db)
    try:
        store.reset()
    finally:
        store.close()
