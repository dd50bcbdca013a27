"""The background worker: applies accepted commands after a delay, then POSTs signed webhooks.

Two daemon threads and two queues: commands are applied in arrival order (each after
``command_delay_ms``), and deliveries go out on their own thread so a slow callback never delays state.
Delivery failures are logged to stderr and retried twice; they never crash the server.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import queue
import threading
import time
import uuid
from typing import Any

from c2c_cli.sandbox.devices import Change, apply_queued_command, webhooks_for
from c2c_cli.sandbox.runtime import Runtime

__all__ = ["SIGNATURE_HEADER", "TIMESTAMP_HEADER", "Worker", "sign", "verify_signature"]

SIGNATURE_HEADER = "X-Sandbox-Signature"
TIMESTAMP_HEADER = "X-Sandbox-Timestamp"
_ATTEMPTS = 3
_log = logging.getLogger("c2c_cli.sandbox")


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256(secret, "<timestamp>." + body)>``."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify_signature(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """Check a webhook signature in constant time (for connectors and tests)."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def event_body(change: Change, now: float) -> dict[str, Any]:
    """The ``device.state_changed`` event of docs/sandbox-api.md."""
    return {
        "event_id": "evt-" + uuid.uuid4().hex[:16],
        "type": "device.state_changed",
        "device_id": change.device_id,
        "user_id": change.user_id,
        "state": change.state,
        "changed": change.changed,
        "cause": change.cause,
        "command_id": change.command_id,
        "timestamp": now,
    }


class Worker:
    """Applies commands and delivers webhooks for one sandbox."""

    def __init__(self, rt: Runtime) -> None:
        # Import requests here, in the starting thread: when the delivery thread imported it while the
        # caller imported requests_oauthlib (c2c test signing in), one of them saw a half-initialised
        # requests.utils ("partially initialized module") and failed.
        import requests  # noqa: F401

        self._rt = rt
        self._commands: queue.Queue[tuple[float, str] | None] = queue.Queue()
        self._deliveries: queue.Queue[tuple[str, str, bytes] | None] = queue.Queue()
        self._stopping = threading.Event()
        self._threads = [
            threading.Thread(target=self._apply_loop, name="sandbox-commands", daemon=True),
            threading.Thread(target=self._deliver_loop, name="sandbox-webhooks", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, command_id: str) -> None:
        """Queue an accepted command; it is applied ``command_delay_ms`` from now."""
        self._commands.put((time.monotonic() + self._rt.settings.command_delay_ms / 1000, command_id))

    def notify(self, change: Change) -> None:
        """Queue one signed POST per webhook that can see the changed device."""
        body = json.dumps(event_body(change, self._rt.now()), sort_keys=True).encode()
        for url, secret in webhooks_for(self._rt, change.user_id):
            self._deliveries.put((url, secret, body))

    def wait_idle(self, timeout: float) -> bool:
        """Block until every queued command is applied and every delivery attempted."""
        deadline = time.monotonic() + timeout
        while self._commands.unfinished_tasks or self._deliveries.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        return True

    def stop(self) -> None:
        """Stop both threads without waiting out command delays.

        Unapplied commands stay ``accepted`` in the database (the next start applies them); pending
        deliveries are dropped.
        """
        self._stopping.set()
        self._commands.put(None)
        self._threads[0].join(timeout=5)
        self._deliveries.put(None)
        self._threads[1].join(timeout=5)

    def _apply_loop(self) -> None:
        while (item := self._commands.get()) is not None:
            due, command_id = item
            if self._stopping.wait(max(0.0, due - time.monotonic())):
                self._commands.task_done()
                continue
            try:
                change = apply_queued_command(self._rt, command_id)
                if change is not None:
                    self.notify(change)
            except Exception:  # the worker must outlive any one bad command
                _log.exception("sandbox: applying command %s failed", command_id)
            finally:
                self._commands.task_done()
        self._commands.task_done()

    def _deliver_loop(self) -> None:
        import requests

        with requests.Session() as session:
            while (item := self._deliveries.get()) is not None:
                try:
                    if not self._stopping.is_set():
                        _deliver(session, *item)
                finally:
                    self._deliveries.task_done()
        self._deliveries.task_done()


def _deliver(session: Any, url: str, secret: str, body: bytes) -> None:
    import requests

    for attempt in range(1, _ATTEMPTS + 1):
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(secret, timestamp, body),
        }
        try:
            response = session.post(url, data=body, headers=headers, timeout=(1.0, 2.0))
            if response.status_code < 300:
                return
            problem = f"HTTP {response.status_code}"
        except requests.RequestException as exc:
            problem = type(exc).__name__
        _log.warning(
            "sandbox: webhook delivery to %s failed (%s), attempt %d/%d", url, problem, attempt, _ATTEMPTS
        )
        time.sleep(0.1 * attempt)
