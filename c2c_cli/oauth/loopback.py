"""The loopback redirect server (RFC 8252 §7.3) and the parsing of authorization responses.

The server (a tiny WSGI app on :class:`~c2c_cli.serving.BackgroundServer`) binds 127.0.0.1 (or
``::1``), answers only ``GET`` on its callback path (anything else is a 404), and hands the first
callback whose ``state`` matches to ``deliver`` as an :data:`Outcome`; it then answers further
callbacks with 400. A callback with a wrong or missing ``state`` is answered 400 and otherwise ignored
(issue 13 §5): anyone on the machine can reach the port, and such a request must not end a pending
login. It never logs request lines: they carry the authorization code.
"""

from __future__ import annotations

import hmac
import html
import threading
from collections.abc import Callable, Iterable
from http import HTTPStatus
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from c2c_cli.errors import AuthError, UsageError
from c2c_cli.serving import BackgroundServer, quiet_handler

__all__ = ["CALLBACK_PATH", "LoopbackServer", "Outcome", "StateMismatch", "evaluate_callback"]

CALLBACK_PATH = "/callback"

#: an authorization code, or the error that ends the login.
Outcome = str | AuthError

_SUCCESS_PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>c2c: signed in</title></head>"
    "<body><h1>Signed in</h1><p>c2c received the authorization. You can close this window "
    "and return to the terminal.</p></body></html>"
)
_ERROR_PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>c2c: sign-in failed</title></head>"
    "<body><h1>Sign-in failed</h1><p>{message}</p><p>See the terminal for details.</p></body></html>"
)


class StateMismatch(AuthError):
    """An authorization response whose ``state`` is not the request's (RFC 6749 §10.12: possible CSRF)."""


def evaluate_callback(url_or_query: str, expected_state: str) -> Outcome | None:
    """Turn an authorization response (RFC 6749 §4.1.2 / §4.1.2.1) into an :data:`Outcome`.

    Args:
        url_or_query: the redirect URL, or just its query string.
        expected_state: the ``state`` sent with the authorization request.

    Returns:
        The code; an :class:`AuthError` for a provider error, a :class:`StateMismatch`; ``None`` when the
        text carries none of ``code``, ``error`` and ``state`` (not an authorization response).
    """
    text = url_or_query.strip()
    query = urlsplit(text).query if "://" in text or text.startswith("/") else text.lstrip("?")
    params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
    if not params.keys() & {"code", "error", "state"}:
        return None
    # RFC 6749 §10.12 (CSRF): compare in constant time so the state cannot be guessed byte by byte.
    state = params.get("state", "")
    if not hmac.compare_digest(state.encode("utf-8"), expected_state.encode("utf-8")):
        return StateMismatch(
            "the authorization response has a different 'state' than the request (possible CSRF)",
            hint="Start the login again and complete it in the browser window it opens.",
        )
    if "error" in params:
        return _provider_error(params)
    if not params.get("code"):
        return AuthError("the authorization response has no 'code'")
    return params["code"]


def _provider_error(params: dict[str, str]) -> AuthError:
    error = params["error"] or "unknown_error"
    description = params.get("error_description", "")
    detail = f": {description}" if description else ""
    hints = {
        "access_denied": "Consent was refused at the provider; run the login again and allow access.",
        "invalid_scope": "Check oauth.scopes in c2c.yaml (or --scope) against the provider's scopes.",
        "unauthorized_client": "Check the client registration at the provider (grant types, redirect URIs).",
    }
    return AuthError(f"the provider returned error '{error}'{detail}", hint=hints.get(error))


class _Callback:
    """The callback's WSGI app: answers only ``GET <path>``, hands the first outcome to ``deliver``."""

    def __init__(self, expected_state: str, deliver: Callable[[Outcome], None], path: str) -> None:
        self.expected_state, self.deliver, self.callback_path = expected_state, deliver, path
        self.done = False
        self._lock = threading.Lock()  # concurrent callbacks: exactly one is delivered

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        status, body, outcome = self._answer(
            str(environ.get("REQUEST_METHOD")), str(environ.get("RAW_URI") or "/")
        )
        data = body.encode("utf-8")
        start_response(
            f"{status} {HTTPStatus(status).phrase}", [*_HEADERS, ("Content-Length", str(len(data)))]
        )
        # Deliver once the page is written (WSGI calls close() after the body): the login may stop
        # this server as soon as it has the outcome, and the browser must still get its page.
        return _ThenDeliver([data], lambda: self.deliver(outcome) if outcome is not None else None)

    def _answer(self, method: str, raw_uri: str) -> tuple[int, str, Outcome | None]:
        """Answer the callback path; 404 for everything else (favicon, probes)."""
        url = urlsplit(raw_uri)
        if url.path != self.callback_path or method != "GET":
            return 404, "<p>Not found</p>", None
        outcome = evaluate_callback(url.query, self.expected_state)
        if outcome is None or isinstance(outcome, StateMismatch):
            # Not this login's response (issue 13 §5): anyone on the machine can reach this port, so
            # answer it and keep waiting for the one that is.
            return 400, _ERROR_PAGE.format(message="The request is not this sign-in's response."), None
        with self._lock:
            first, self.done = not self.done, True
        if not first:
            return 400, _ERROR_PAGE.format(message="This sign-in has already completed."), None
        if isinstance(outcome, AuthError):
            return 400, _ERROR_PAGE.format(message=html.escape(outcome.message)), outcome
        return 200, _SUCCESS_PAGE, outcome


_HEADERS = (
    ("Content-Type", "text/html; charset=utf-8"),
    ("Cache-Control", "no-store"),
    ("Referrer-Policy", "no-referrer"),
)


class _ThenDeliver(list[bytes]):
    def __init__(self, body: list[bytes], then: Callable[[], None]) -> None:
        super().__init__(body)
        self._then = then

    def close(self) -> None:
        self._then()


def _silent_handler() -> type[Any]:
    """Never log (request lines carry the authorization code); drop idle speculative connections."""

    class Silent(quiet_handler()):  # type: ignore[misc]
        # A speculative browser connection that never sends a request must not hold a thread forever.
        timeout = 10

        def log_message(self, format: str, *args: Any) -> None:  # noqa: ARG002
            return

    return Silent


class LoopbackServer:
    """A one-shot callback server, started on ``__enter__`` and stopped on ``__exit__``.

    Args:
        expected_state: the ``state`` of the authorization request.
        deliver: receives the first :data:`Outcome` (called on a server thread).
        port: 0 for a random free port (the default, RFC 8252 §7.3), else that exact port.
        path: the callback path.
        host: ``127.0.0.1`` or ``::1``.
    """

    def __init__(
        self,
        expected_state: str,
        deliver: Callable[[Outcome], None],
        *,
        port: int = 0,
        path: str = CALLBACK_PATH,
        host: str = "127.0.0.1",
    ) -> None:
        self._app = _Callback(expected_state, deliver, path)
        self._where = (host, port)
        self._server: BackgroundServer | None = None

    @property
    def redirect_uri(self) -> str:
        """``http://127.0.0.1:<port><path>`` of the bound server."""
        if self._server is None:
            raise RuntimeError("the server is not started")
        return f"{self._server.url}{self._app.callback_path}"

    def __enter__(self) -> LoopbackServer:
        host, port = self._where
        try:
            self._server = BackgroundServer(
                self._app, host, port, name="c2c-oauth-loopback", request_handler=_silent_handler()
            )
        except UsageError as exc:
            raise UsageError(exc.message, hint=_BIND_HINT) from None
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._server is not None:
            self._server.stop()


_BIND_HINT = (
    "Stop what is listening there, or pick another --port registered at the provider "
    "(or omit --port for a random one)."
)
