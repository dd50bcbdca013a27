"""The emulator's state in sqlite: resources, idempotency records and the log (one file, or memory).

A file database is in WAL mode with one connection per thread: reads never wait (WAL readers see the
last commit), writers take one lock in this process (so sqlite's busy handler, which sleeps in
milliseconds, never runs). Log records (request and event log, two per API call) are appended to a
buffer that a writer thread commits in batches, at the latest :data:`LOG_FLUSH_SECONDS` after they were
appended; every read of the log and :meth:`Store.close` commit the buffer first, so readers see every
record appended before. Resources and idempotency records are committed before the answer leaves.
What a crash may lose is in docs/emulator.md ("State"). ``:memory:`` has one connection behind the
lock (each connection to ``:memory:`` would be another database). The schema is created
idempotently, so a restart on the same file keeps every resource.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import weakref
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
    "LOG_FLUSH_SECONDS",
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

LOG_FLUSH_SECONDS = 0.05
"""The longest a log record waits in the buffer before it is committed."""

_INSERT_LOG = "INSERT INTO log (type, connector_id, record) VALUES (?, ?, ?)"
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


class _Connection(sqlite3.Connection):
    """A connection that can be weakly referenced: it closes when its thread ends, or at :meth:`Store.close`."""


class Store:
    """sqlite-backed state.

    Args:
        db: a file path or ``":memory:"``.
    """

    def __init__(self, db: str) -> None:
        self._db = db
        self._shared = db == ":memory:"
        if not self._shared:
            Path(db).parent.mkdir(parents=True, exist_ok=True)
            # The database holds linked users' OAuth tokens, like the 0600 token store (STYLE.md §5).
            os.close(os.open(db, os.O_RDWR | os.O_CREAT, 0o600))
        self._lock = threading.RLock()  # writers (and, for :memory:, everyone)
        self._local = threading.local()
        self._conns: weakref.WeakSet[_Connection] = weakref.WeakSet()
        self._pending: list[tuple[str, str | None, str]] = []
        self._pending_lock = threading.Lock()
        self._closed = threading.Event()
        # Readers waiting for log records (the simulator's capture, issue 15) block on this condition
        # instead of polling; the per-type count is bumped once a record is readable (read_log flushes).
        self._appended = threading.Condition(threading.Lock())
        self._appends: dict[str, int] = {}
        self._conn = self._local.conn = self._connect()
        with self._lock:
            self._conn.executescript(_SCHEMA)
        self._writer = threading.Thread(target=self._write_loop, name="c2c-emulator-log", daemon=True)
        self._writer.start()

    def _connect(self) -> _Connection:
        conn = sqlite3.connect(
            self._db, check_same_thread=False, isolation_level=None, timeout=30, factory=_Connection
        )
        if not self._shared:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
        self._conns.add(conn)
        return conn

    @property
    def _c(self) -> sqlite3.Connection:
        """This thread's connection (the one connection for ``:memory:``)."""
        if self._shared:
            return self._conn
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    def _rows(self, sql: str, args: tuple[Any, ...] | list[Any]) -> list[Any]:
        """The rows of a query on this thread's connection (behind the lock for ``:memory:``)."""
        if self._shared:
            with self._lock:
                return self._conn.execute(sql, args).fetchall()
        return self._c.execute(sql, args).fetchall()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the write lock and one sqlite transaction (check-then-write sequences stay atomic)."""
        with self._lock:
            conn = self._c
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        """Commit the buffered log records, then close every connection."""
        if self._closed.is_set():
            return
        self._closed.set()
        self._writer.join(timeout=5)
        self.flush()
        with self._lock:
            for conn in list(self._conns):
                conn.close()

    # -- resources -------------------------------------------------------------------------------

    def put(self, account_id: str, kind: str, rid: str, data: dict[str, Any], created_at: float) -> None:
        """Insert or replace a resource."""
        with self._lock:
            self._c.execute(
                "INSERT INTO resources (account_id, kind, id, created_at, data) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (kind, id) DO UPDATE SET data = excluded.data",
                (account_id, kind, rid, created_at, json.dumps(data)),
            )

    def get(self, kind: str, rid: str) -> tuple[str, dict[str, Any]] | None:
        """``(owner account, data)`` of a resource of any account, or None."""
        rows = self._rows("SELECT account_id, data FROM resources WHERE kind = ? AND id = ?", (kind, rid))
        return (rows[0][0], json.loads(rows[0][1])) if rows else None

    def list_owned(self, account_id: str, kind: str) -> list[dict[str, Any]]:
        """Every resource of a kind owned by an account, oldest first."""
        rows = self._rows(
            "SELECT data FROM resources WHERE account_id = ? AND kind = ? ORDER BY seq", (account_id, kind)
        )
        return [json.loads(r[0]) for r in rows]

    def all_of(self, kind: str) -> list[tuple[str, dict[str, Any]]]:
        """``(owner account, data)`` of every resource of a kind, any account, oldest first."""
        rows = self._rows("SELECT account_id, data FROM resources WHERE kind = ? ORDER BY seq", (kind,))
        return [(r[0], json.loads(r[1])) for r in rows]

    def delete(self, kind: str, rid: str) -> None:
        """Remove a resource."""
        with self._lock:
            self._c.execute("DELETE FROM resources WHERE kind = ? AND id = ?", (kind, rid))

    # -- idempotency -----------------------------------------------------------------------------

    def idempotent(self, account_id: str, operation: str, token: str) -> tuple[str, dict[str, Any]] | None:
        """``(body hash, stored response)`` of an earlier request with this ClientToken, or None."""
        rows = self._rows(
            "SELECT body_hash, response FROM idempotency WHERE account_id = ? AND operation = ? AND token = ?",
            (account_id, operation, token),
        )
        found = rows[0] if rows else None
        return (found[0], json.loads(found[1])) if found else None

    def remember(
        self, account_id: str, operation: str, token: str, body_hash: str, response: dict[str, Any]
    ) -> None:
        """Store the response of a ClientToken request."""
        with self._lock:
            self._c.execute(
                "INSERT OR REPLACE INTO idempotency VALUES (?, ?, ?, ?, ?)",
                (account_id, operation, token, body_hash, json.dumps(response)),
            )

    # -- log -------------------------------------------------------------------------------------

    def append_log(self, kind: str, record: dict[str, Any], connector_id: str | None = None) -> None:
        """Append a log record (committed within :data:`LOG_FLUSH_SECONDS`, or by the next log read)."""
        row = (kind, connector_id, json.dumps(record, default=str))
        with self._pending_lock:
            self._pending.append(row)
        with self._appended:  # readable now: every read_log commits the buffer first
            self._appends[kind] = self._appends.get(kind, 0) + 1
            self._appended.notify_all()

    def flush(self) -> None:
        """Commit the buffered log records now, in one transaction, in the order they were appended."""
        with self._lock:  # taken first: a flush in progress finishes before the next one starts
            with self._pending_lock:
                rows, self._pending = self._pending, []
            if not rows:
                return
            conn = self._c
            if conn.in_transaction:  # inside this thread's transaction(): part of it
                conn.executemany(_INSERT_LOG, rows)
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(_INSERT_LOG, rows)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _write_loop(self) -> None:
        while not self._closed.wait(LOG_FLUSH_SECONDS):
            if self._pending:
                try:
                    self.flush()
                except sqlite3.Error:  # closed underneath us at shutdown; close() flushes the rest
                    return

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
        """Log records of a type with ``seq > after``, oldest first (buffered records included)."""
        self.flush()
        sql = "SELECT seq, record FROM log WHERE type = ? AND seq > ?"
        args: list[Any] = [kind, after]
        if connector_id is not None:
            sql += " AND connector_id = ?"
            args.append(connector_id)
        sql += " ORDER BY seq LIMIT ?"
        args.append(limit)
        rows = self._rows(sql, args)
        return [{"seq": r[0], **json.loads(r[1])} for r in rows]

    def reset(self) -> None:
        """Forget every resource, idempotency record and log entry (buffered ones too)."""
        with self._lock:
            with self._pending_lock:
                self._pending = []
            self._c.executescript("DELETE FROM resources; DELETE FROM idempotency; DELETE FROM log;")


def reset_database(db: str) -> None:
    """Clear an emulator database file that no emulator is serving (``c2c emulator reset --db``)."""
    store = Store(db)
    try:
        store.reset()
    finally:
        store.close()
