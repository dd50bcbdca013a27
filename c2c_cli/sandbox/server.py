"""A running sandbox: werkzeug server thread + worker + database, and its Python API for tests."""

from __future__ import annotations

import json
import logging
import os
import random
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from c2c_cli.sandbox import devices as dev
from c2c_cli.sandbox.events import SIGNATURE_HEADER, TIMESTAMP_HEADER, Worker
from c2c_cli.sandbox.kinds import CommandRejected
from c2c_cli.sandbox.runtime import FaultState, Runtime
from c2c_cli.sandbox.seed import ensure_seeded, reseed, user_rows
from c2c_cli.sandbox.settings import SandboxError, SandboxSettings, is_loopback_host
from c2c_cli.sandbox.store import Store

__all__ = ["Sandbox", "serve", "start_sandbox"]

_http_log = logging.getLogger("c2c_cli.sandbox.http")


def _handler_class(enabled: bool) -> Any:
    from werkzeug.serving import WSGIRequestHandler

    class QuietHandler(WSGIRequestHandler):
        """Logs method, path (never the query string or body) and status: no secret reaches a log."""

        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:  # noqa: ARG002
            if enabled:
                path = self.path.split("?", 1)[0]
                _http_log.info('%s - "%s %s" %s', self.address_string(), self.command, path, code)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: ARG002
            return

    return QuietHandler


class Sandbox:
    """A started sandbox. Use :func:`start_sandbox`; stop with :meth:`stop` or a ``with`` block.

    Raises:
        SandboxError: the port cannot be bound.
        UsageError: invalid settings.
    """

    def __init__(self, settings: SandboxSettings) -> None:
        settings.check()
        if not is_loopback_host(settings.host):
            # Authlib refuses plain http except on loopback; --allow-public is an explicit opt-in to that.
            os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")
        self.settings = settings
        self.store = Store(settings.db)
        self.seeded = ensure_seeded(self.store, settings)
        admin_key, signing_key = self.store.get_meta("admin_key"), self.store.get_meta("signing_secret")
        faults = FaultState(
            settings.latency_ms, settings.error_rate, dict(settings.faults), random.Random(settings.seed)
        )
        self._rt = Runtime(settings, self.store, str(signing_key), str(admin_key), faults)
        self._worker = Worker(self._rt)
        self._rt.notify, self._rt.submit = self._worker.notify, self._worker.submit
        self._server = self._bind()
        self._stopped = False
        host = settings.host if ":" not in settings.host else f"[{settings.host}]"
        self._rt.base_url = f"http://{host}:{self._server.server_port}"
        self._thread = threading.Thread(
            target=lambda: self._server.serve_forever(poll_interval=0.05), name="sandbox-http", daemon=True
        )
        self._thread.start()
        self._requeue()
        self._write_state_file()

    def _bind(self) -> Any:
        from werkzeug.serving import make_server

        from c2c_cli.sandbox.app import create_app

        app = create_app(self._rt, lambda: self.info, self.reset)
        try:
            return make_server(
                self.settings.host,
                self.settings.port,
                app,
                threaded=True,
                request_handler=_handler_class(self.settings.access_log),
            )
        except (OSError, SystemExit) as exc:
            # werkzeug reports "address in use" by printing and calling sys.exit(1).
            reason = str(exc) if isinstance(exc, OSError) else "the address is in use"
            self._worker.stop()
            self.store.close()
            where = f"{self.settings.host}:{self.settings.port}"
            raise SandboxError(
                f"cannot listen on {where}: {reason}", hint="Pick another --port (0 = any free port)."
            ) from None

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
        self._server.shutdown()
        self._thread.join(timeout=5)
        self._server.server_close()
        self._worker.stop()
        self.store.close()
        self._remove_state_file()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _write_state_file(self) -> None:
        if not self.settings.state_file:
            return
        path = Path(self.settings.state_file)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        data = {"url": self.base_url, "admin_key": self.admin_key, "pid": os.getpid(), "db": self.settings.db}
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(data, handle)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)

    def _remove_state_file(self) -> None:
        path = Path(self.settings.state_file) if self.settings.state_file else None
        if path is None or not path.exists():
            return
        try:
            if json.loads(path.read_text()).get("pid") == os.getpid():
                path.unlink()
        except (OSError, ValueError):
            pass


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
    import signal

    stop = threading.Event()
    signals = (signal.SIGINT, signal.SIGTERM)
    # Handlers set an event instead of raising, so a signal can never interrupt start-up or shutdown halfway.
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in signals}
    try:
        with start_sandbox(settings) as sandbox:
            on_ready(sandbox)
            while not stop.wait(0.5):
                pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
