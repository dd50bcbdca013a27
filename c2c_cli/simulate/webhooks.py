"""A local Function URL for the connector's webhook entry point, so vendor webhooks reach the connector.

Deployed, a connector's webhook function (SAM ``FunctionUrlConfig``) turns the vendor's state-change
webhooks into ``DEVICE_EVENT`` s. Locally, :class:`WebhookRelay` listens on 127.0.0.1, turns each POST
into a payload-format-2.0 Function URL event and invokes the project's webhook entry point in the same
target as the handler (one container: shared module state, one invocation at a time). The connector
learns the URL from ``WEBHOOK_URL``. Every delivery is recorded, so the suite can check the webhook
function's output and that no event follows ``AWS.DeactivateUser`` (contract.md §3.4).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from c2c_cli.runtime.loader import CallOutcome
from c2c_cli.runtime.targets import Target

__all__ = ["WEBHOOK_BUDGET_MS", "WebhookRelay", "find_webhook_entry"]

#: a Function URL runs up to the function's own timeout (the template sets 10 s), not the service's 2 s.
WEBHOOK_BUDGET_MS = 10_000
_DEFAULT_ENTRY = ("connector.webhook", "lambda_handler")
_MAX_BODY = 1024 * 1024


def find_webhook_entry(project_dir: Path) -> str | None:
    """``connector.webhook:lambda_handler`` when the project has it (the templates' webhook function)."""
    module, function = _DEFAULT_ENTRY
    path = project_dir.joinpath(*module.split(".")).with_suffix(".py")
    try:
        found = f"def {function}(" in path.read_text(encoding="utf-8")
    except OSError:
        return None
    return f"{module}:{function}" if found else None


@dataclass
class WebhookRelay:
    """A loopback HTTP server that invokes ``entry`` of ``target`` for every POST.

    Attributes:
        target: the connector's target (shared with the handler).
        entry: the webhook entry point, ``module:function``.
        env: the connector's environment (read at each delivery).
        deliveries: every invocation's outcome, in order.
    """

    target: Target
    entry: str
    env: dict[str, str]
    deliveries: list[CallOutcome] = field(default_factory=list)
    _server: Any = field(default=None, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """The Function URL (``WEBHOOK_URL``)."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> WebhookRelay:
        """Listen on an ephemeral loopback port."""
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=lambda: self._server.serve_forever(poll_interval=0.05),
            name="c2c-webhook-relay",
            daemon=True,
        )
        self._thread.start()
        return self

    def deliver(
        self, method: str, path: str, headers: dict[str, str], body: bytes, ip: str
    ) -> tuple[int, dict[str, str], bytes]:
        """Invoke the webhook entry point with one request; the Function URL's answer."""
        from c2c_cli.emulator.http.function_urls import function_url_answer, function_url_event

        raw_path, _, query = path.partition("?")
        event = function_url_event(method, raw_path, query, headers, body, ip)
        outcome = self.target.invoke(event, self.env, WEBHOOK_BUDGET_MS, entry=self.entry)
        self.deliveries.append(outcome)
        if outcome.outcome != "ok" or not isinstance(outcome.response, dict):
            return 502, {"Content-Type": "text/plain"}, b"the webhook function failed"
        return function_url_answer(outcome.response)

    def stop(self) -> None:
        """Stop listening."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


def _handler_class(relay: WebhookRelay) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = min(int(self.headers.get("Content-Length") or 0), _MAX_BODY)
            body = self.rfile.read(length)
            headers = dict(self.headers.items())
            status, answer_headers, data = relay.deliver(
                "POST", self.path, headers, body, self.client_address[0]
            )
            self.send_response(status)
            for key, value in answer_headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: ARG002
            return  # no access log: webhook URLs and headers may carry secrets

    return Handler
