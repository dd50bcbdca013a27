"""The sandbox's sqlite database: one shared connection behind a lock, schema and small helpers.

Werkzeug serves each request on its own thread; sqlite is fast enough that serialising access with one
``RLock`` is simpler than a connection per thread, and it makes ``:memory:`` databases shareable.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["Store", "digest"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY, username TEXT UNIQUE NOT NULL, password TEXT NOT NULL, idx INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS clients (
    client_id TEXT PRIMARY KEY, secret TEXT, auth_method TEXT NOT NULL, redirect_uris TEXT NOT NULL,
    allow_loopback INTEGER NOT NULL, scope TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS codes (
    code_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, user_id TEXT NOT NULL, redirect_uri TEXT,
    scope TEXT NOT NULL, code_challenge TEXT, code_challenge_method TEXT, issued_at REAL NOT NULL,
    used INTEGER NOT NULL DEFAULT 0, family TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
    id INTEGER PRIMARY KEY, family TEXT NOT NULL, client_id TEXT NOT NULL, user_id TEXT NOT NULL,
    scope TEXT NOT NULL, access_hash TEXT UNIQUE NOT NULL, refresh_hash TEXT UNIQUE, issued_at REAL NOT NULL,
    expires_in INTEGER NOT NULL, refresh_expires_at REAL, access_revoked INTEGER NOT NULL DEFAULT 0,
    refresh_revoked INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS tokens_family ON tokens (family);
CREATE TABLE IF NOT EXISTS api_keys (
    id TEXT PRIMARY KEY, api_key TEXT UNIQUE NOT NULL, client_id TEXT NOT NULL, users TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS devices (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, model TEXT NOT NULL,
    firmware TEXT NOT NULL, online INTEGER NOT NULL, state TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS devices_owner ON devices (owner, id);
CREATE TABLE IF NOT EXISTS commands (
    id TEXT PRIMARY KEY, principal TEXT NOT NULL, device_id TEXT NOT NULL, command TEXT NOT NULL,
    params TEXT NOT NULL, status TEXT NOT NULL, error TEXT, idem_key TEXT, created_at REAL NOT NULL,
    UNIQUE (principal, idem_key));
CREATE TABLE IF NOT EXISTS webhooks (
    id TEXT PRIMARY KEY, principal TEXT NOT NULL, url TEXT NOT NULL, secret TEXT NOT NULL,
    created_at REAL NOT NULL);
"""
_TABLES = ("meta", "users", "clients", "codes", "tokens", "api_keys", "devices", "commands", "webhooks")


def digest(secret: str) -> str:
    """SHA-256 hex of a secret, so codes and refresh tokens are never stored in the clear."""
    return hashlib.sha256(secret.encode()).hexdigest()


class Store:
    """A sqlite database (file or ``:memory:``) shared by the server threads.

    Args:
        path: a file path or ``:memory:``; parent directories are created.
    """

    def __init__(self, path: str) -> None:
        if path != ":memory:":
            file = Path(path).expanduser()
            file.parent.mkdir(parents=True, exist_ok=True)
            # The db holds the (test) client secret and keys: owner-only, like the token store (STYLE.md §5).
            os.close(os.open(file, os.O_CREAT | os.O_WRONLY, 0o600))
        self.path = path
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        if path != ":memory:":
            self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.executescript(_SCHEMA)

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock and run the block in one transaction (committed unless it raises)."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def all(self, sql: str, args: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Every row of a query."""
        with self._lock:
            return self._conn.execute(sql, args).fetchall()

    def one(self, sql: str, args: Sequence[Any] = ()) -> sqlite3.Row | None:
        """The first row of a query, or ``None``."""
        with self._lock:
            row: sqlite3.Row | None = self._conn.execute(sql, args).fetchone()
            return row

    def run(self, sql: str, args: Sequence[Any] = ()) -> int:
        """Execute one statement in its own transaction; return the number of changed rows."""
        with self.tx() as conn:
            return conn.execute(sql, args).rowcount

    def run_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """``executemany`` in one transaction (seeding 10,000 devices stays fast)."""
        with self.tx() as conn:
            conn.executemany(sql, rows)

    def get_meta(self, key: str) -> str | None:
        """A value from the ``meta`` table."""
        row = self.one("SELECT value FROM meta WHERE key = ?", (key,))
        return None if row is None else str(row["value"])

    def set_meta(self, key: str, value: str) -> None:
        """Insert or replace a ``meta`` value."""
        self.run("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def wipe(self, keep: tuple[str, ...] = ()) -> None:
        """Delete every row of every table but ``keep`` (``reset``); the schema stays."""
        with self.tx() as conn:
            for table in _TABLES:
                if table not in keep:
                    conn.execute(f"DELETE FROM {table}")

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()
