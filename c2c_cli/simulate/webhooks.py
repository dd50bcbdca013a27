"""A local Function URL for the connector's webhook entry point, so vendor webhooks reach the connector.

Deployed, a connector's webhook function (SAM ``FunctionUrlConfig``) turns the vendor's state-change
webhooks into ``DEVICE_EVENT`` s. Locally, :class:`WebhookRelay` listens on 127.0.0.1, turns each POST
into a payload-format-2.0 Function URL event and invokes the project's webhook entry point in the same
target as the handler (one container: shared module state, one invocation at a time). The connector
learns the URL from ``WEBHOOK_URL``. Every delivery is recorded, so the suite can check the webhook
function's output and that no event follows ``AWS.DeactivateUser`` (contract.md §3.4).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c2c_cli.errors import C2CError
from c2c_cli.runtime.loader import CallOutcome
from c2c_cli.runtime.targets import Target
from c2c_cli.serving import BackgroundServer

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
    _server: BackgroundServer | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """The Function URL (``WEBHOOK_URL``)."""
        if self._server is None:
            raise RuntimeError("the relay is not started")
        return f"{self._server.url}/"

    def start(self) -> WebhookRelay:
        """Listen on an ephemeral loopback port (no access log: webhook URLs and headers may hold secrets)."""
        self._server = BackgroundServer(self._wsgi, "127.0.0.1", 0, name="c2c-webhook-relay")
        return self

    def deliver(
        self, method: str, path: str, headers: dict[str, str], body: bytes, ip: str
    ) -> tuple[int, dict[str, str], bytes]:
        """Invoke the webhook entry point with one request; the Function URL's answer."""
        from c2c_cli.emulator.http.function_urls import function_url_answer, function_url_event

        raw_path, _, query = path.partition("?")
        event = function_url_event(method, raw_path, query, headers, body, ip)
        try:
            outcome = self.target.invoke(event, self.env, WEBHOOK_BUDGET_MS, entry=self.entry)
        except C2CError as exc:  # the webhook module does not load: a failed delivery, not a traceback
            outcome = CallOutcome("crashed", None, 0.0, True, exc.message)
        self.deliveries.append(outcome)
        if outcome.outcome != "ok" or not isinstance(outcome.response, dict):
            return 502, {"Content-Type": "text/plain"}, b"the webhook function failed"
        return function_url_answer(outcome.response)

    def stop(self) -> None:
        """Stop listening."""
        if self._server is not None:
            self._server.stop()

    def _wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        from werkzeug.wrappers import Request

        request = Request(environ)
        if request.method != "POST":
            start_response("405 Method Not Allowed", [("Allow", "POST"), ("Content-Length", "0")])
            return [b""]
        body = request.stream.read(min(request.content_length or 0, _MAX_BODY))
        # The request line's own bytes (werkzeug's RAW_URI), as a Function URL reports rawPath/rawQueryString.
        path = str(environ.get("RAW_URI") or request.path)
        status, headers, data = self.deliver(
            "POST", path, dict(request.headers.items()), body, request.remote_addr or ""
        )
        start_response(f"{status} {_reason(status)}", [*headers.items(), ("Content-Length", str(len(data)))])
        return [data]


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
