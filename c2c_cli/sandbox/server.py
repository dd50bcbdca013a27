"""A running sandbox: a :class:`~c2c_cli.serving.BackgroundServer` + worker + database, and its Python API."""

from __future__ import annotations

import json
import logging
import os
import random
import secrets
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import c2c_cli.sandbox.devices as dev
from c2c_cli.sandbox.events import SIGNATURE_HEADER, TIMESTAMP_HEADER, Worker
from c2c_cli.sandbox.kinds import CommandRejected
from c2c_cli.sandbox.runtime import FaultState, Runtime
from c2c_cli.sandbox.seed import ensure_seeded, reseed, user_rows
from c2c_cli.sandbox.settings import SandboxError, SandboxSettings, is_loopback_host
from c2c_cli.sandbox.store import Store
from c2c_cli.serving import BackgroundServer, Pointer, quiet_handler, serve_until_signal

__all__ = ["Sandbox", "serve", "start_sandbox"]

_http_log = logging.getLogger("c2c_cli.sandbox.http")


def _handler(settings: SandboxSettings) -> Any:
    """The request handler: serving's silent default, or with ``access_log`` one that logs paths only."""
    if not settings.access_log:
        return None

    class AccessLog(quiet_handler()):  # type: ignore[misc]
        """Logs method, path (never the query string or body) and status: no secret reaches a log."""

        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:  # noqa: ARG002
            path = self.path.split("?", 1)[0]
            _http_log.info('%s - "%s %s" %s', self.address_string(), self.command, path, code)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: ARG002
            return

    return AccessLog


class _LateApp:
    """The sandbox's WSGI app once the database is open; the port is bound first (503 until then)."""

    app: Any = None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if self.app is None:
            start_response("503 Service Unavailable", [("Content-Type", "application/json")])
            return [b'{"error": "temporarily_unavailable"}']
        return self.app(environ, start_response)


class Sandbox:
    """A started sandbox. Use :func:`start_sandbox`; stop with :meth:`stop` or a ``with`` block.

    With ``settings.state_file`` the sandbox records itself there (a :class:`~c2c_cli.serving.Pointer`):
    a second sandbox on the same file refuses to start before it binds or seeds anything, and only
    the writer removes the file (issue 13 §9).

    Raises:
        UsageError: invalid settings, another live sandbox owns the state file, or the address cannot
            be bound (one line, exit 2: see :func:`c2c_cli.serving.bind_socket`).
    """

    def __init__(self, settings: SandboxSettings) -> None:
        settings.check()
        self.settings = settings
        self._pointer = Pointer(Path(settings.state_file), "sandbox") if settings.state_file else None
        if self._pointer is not None:
            self._pointer.ensure_free()
        if not is_loopback_host(settings.host):
            # Authlib refuses plain http except on loopback; --allow-public is an explicit opt-in to that.
            os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")
        # Bind before the database is opened, so a busy port leaves no freshly seeded file behind.
        self._app = _LateApp()
        self._server = BackgroundServer(
            self._app, settings.host, settings.port, name="sandbox-http", request_handler=_handler(settings)
        )
        self._stopped = False
        try:
            self._open()
            if self._pointer is not None:
                self._pointer.write({"url": self.base_url, "admin_key": self.admin_key, "db": settings.db})
        except BaseException:
            self._abort()
            raise

    def _open(self) -> None:
        from c2c_cli.sandbox.app import create_app

        self.store = Store(self.settings.db)
        self.seeded = ensure_seeded(self.store, self.settings)
        admin_key, signing_key = self.store.get_meta("admin_key"), self.store.get_meta("signing_secret")
        s = self.settings
        faults = FaultState(s.latency_ms, s.error_rate, dict(s.faults), random.Random(s.seed))
        self._rt = Runtime(s, self.store, str(signing_key), str(admin_key), faults)
        self._worker = Worker(self._rt)
        self._rt.notify, self._rt.submit = self._worker.notify, self._worker.submit
        self._rt.base_url = self._server.url
        self._app.app = create_app(self._rt, lambda: self.info, self.reset)
        self._requeue()

    def _abort(self) -> None:
        # Start-up failed halfway: release whatever was opened, leave no thread or file handle behind.
        self._stopped = True
        self._server.stop()
        if hasattr(self, "_worker"):
            self._worker.stop()
        if hasattr(self, "store"):
            self.store.close()

    def _requeue(self) -> None:
        # Commands accepted before a restart are still owed their state change.
        for row in self.store.all("SELECT id FROM commands WHERE status = 'accepted' ORDER BY created_at"):
            self._worker.submit(row["id"])

    @property
    def base_url(self) -> str:
        """``http://host:port`` of the running server."""
        return self._rt.base_url

    @property
    def admin_key(self) -> str:
        """The key for ``/_sandbox/`` routes."""
        return self._rt.admin_key

    @property
    def info(self) -> dict[str, Any]:
        """Exactly what ``c2c sandbox start --json`` prints (docs/sandbox-api.md)."""
        base = self.base_url
        clients = [dict(r) for r in self.store.all("SELECT * FROM clients ORDER BY rowid")]
        main = clients[0]
        key = self.store.one("SELECT api_key, users FROM api_keys ORDER BY id")
        return {
            "base_url": base,
            "api_base_url": base,
            "authorize_url": f"{base}/oauth/authorize",
            "token_url": f"{base}/oauth/token",
            "revoke_url": f"{base}/oauth/revoke",
            "introspect_url": f"{base}/oauth/introspect",
            "userinfo_url": f"{base}/oauth/userinfo",
            "metadata_url": f"{base}/.well-known/oauth-authorization-server",
            **_client_info(main, self.settings),
            "clients": [_client_info(c, self.settings) for c in clients],
            "users": [
                {"username": u.username, "password": u.password, "user_id": u.user_id}
                for u in user_rows(self.store)
            ],
            "api_key": key["api_key"] if key else None,
            "api_key_users": json.loads(key["users"]) if key else [],
            "admin_key": self.admin_key,
            "webhook": {
                "register_url": f"{base}/v1/webhooks",
                "signature_header": SIGNATURE_HEADER,
                "timestamp_header": TIMESTAMP_HEADER,
                "algorithm": "HMAC-SHA256",
            },
            "token_ttl": self.settings.token_ttl,
            "db": self.settings.db,
            "test_only": True,
        }

    def rotate_api_key(self) -> str:
        """Issue a new value for the API key; the old value stops working at once. Returns the new one."""
        new = "sbx_" + secrets.token_urlsafe(24)
        self.store.run("UPDATE api_keys SET api_key = ? WHERE id = (SELECT MIN(id) FROM api_keys)", (new,))
        return new

    def user_id(self, username: str) -> str:
        """The id of a seeded user. Raises ``KeyError`` for an unknown name."""
        row = self.store.one("SELECT id FROM users WHERE username = ?", (username,))
        if row is None:
            raise KeyError(username)
        return str(row["id"])

    def devices_of(self, user_id: str) -> list[dict[str, Any]]:
        """Every device of a user, in API order."""
        return dev.list_devices(self._rt, (user_id,), "", 1_000_000)

    def device(self, device_id: str) -> dict[str, Any]:
        """One device (any owner). Raises ``KeyError`` when unknown."""
        found = dev.find_device(self._rt, device_id)
        if found is None:
            raise KeyError(device_id)
        return found

    def commands_of(self, device_id: str) -> list[dict[str, Any]]:
        """Commands the vendor accepted for a device, oldest first (an idempotent retry is one command)."""
        rows = self.store.all("SELECT * FROM commands WHERE device_id = ? ORDER BY rowid", (device_id,))
        return [dict(row) for row in rows]

    def example_poke(self) -> str | None:
        """A ``c2c sandbox poke`` command line that works on this sandbox (its first device), or None."""
        row = self.store.one("SELECT id, state FROM devices ORDER BY rowid")
        if row is None:
            return None
        for key, value in json.loads(row["state"]).items():
            if isinstance(value, bool):  # flip a flag: the smallest change that fires a webhook
                return f"c2c sandbox poke {row['id']} {key}={json.dumps(not value)}"
        return None

    def poke(self, device_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        """Simulate a physical change; fires webhooks. Returns the device.

        Raises:
            KeyError: unknown device.
            SandboxError: unknown attribute or wrong value type.
        """
        try:
            change = dev.apply_physical(self._rt, device_id, changes)
        except CommandRejected as exc:
            raise SandboxError(f"cannot poke {device_id}: {exc}") from None
        self._rt.notify(change)
        return self.device(device_id)

    def set_faults(self, **changes: Any) -> dict[str, Any]:
        """Change faults live: ``latency_ms``, ``error_rate``, ``endpoints`` ({path pattern: error})."""
        self._rt.faults.update(changes)
        return self._rt.faults.as_dict()

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Wait until accepted commands are applied and their webhooks sent; False on timeout."""
        return self._worker.wait_idle(timeout)

    def reset(self) -> None:
        """Back to the seeded state (tokens, webhooks and device changes are dropped)."""
        self._worker.wait_idle(5.0)
        reseed(self.store, self.settings)

    def stop(self) -> None:
        """Shut the server down, finish the worker, close the database (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        self._server.stop()
        self._worker.stop()
        self.store.close()
        if self._pointer is not None:
            self._pointer.remove()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _client_info(row: dict[str, Any], settings: SandboxSettings) -> dict[str, Any]:
    from c2c_cli.sandbox.settings import AUTH_METHODS

    scheme = {v: k for k, v in AUTH_METHODS.items()}[row["auth_method"]]
    return {
        "client_id": row["client_id"],
        "client_secret": row["secret"],
        "token_endpoint_auth": scheme,
        "token_endpoint_auth_method": row["auth_method"],
        "redirect_uris": json.loads(row["redirect_uris"]),
        "loopback_redirects": bool(row["allow_loopback"]),
        "scope": row["scope"],
        "pkce": "S256 required" if row["auth_method"] == "none" else "S256 accepted",
        "refresh_tokens": settings.issue_refresh_token,
    }


def start_sandbox(settings: SandboxSettings | None = None) -> Sandbox:
    """Start a sandbox server thread; the result is a context manager that stops it."""
    return Sandbox(settings or SandboxSettings())


def serve(settings: SandboxSettings, on_ready: Callable[[Sandbox], None]) -> None:
    """Start a sandbox, call ``on_ready``, serve until Ctrl-C or SIGTERM, then stop cleanly."""

    def run(stop: threading.Event) -> None:
        # Inside serve_until_signal: a signal during start-up or output only sets ``stop``.
        with start_sandbox(settings) as sandbox:
            on_ready(sandbox)
            while not stop.wait(0.5):
                pass

    serve_until_signal(run)
