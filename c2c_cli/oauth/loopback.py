"""The loopback redirect server (RFC 8252 §7.3) and the parsing of authorization responses.

The server binds 127.0.0.1 (or ``::1``), answers only its callback path (anything else is a 404),
and hands the first callback whose ``state`` matches to ``deliver`` as an :data:`Outcome`; it then
answers further callbacks with 400. A callback with a wrong or missing ``state`` is answered 400 and
otherwise ignored (issue 13 §5): anyone on the machine can reach the port, and such a request must not
end a pending login. It never logs request lines: they carry the authorization code.
"""

from __future__ import annotations

import errno
import hmac
import html
import socket
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from c2c_cli.errors import AuthError, UsageError

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


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    callback_path = CALLBACK_PATH
    expected_state = ""
    deliver: Callable[[Outcome], None]
    done = False
    lock = threading.Lock()  # replaced per instance in LoopbackServer; concurrent callbacks deliver once

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Drop the default traceback print: a broken browser connection is not our problem."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    # A speculative browser connection that never sends a request must not hold a thread forever.
    timeout = 10

    def do_GET(self) -> None:
        """Answer the callback path; 404 for everything else (favicon, probes)."""
        url = urlsplit(self.path)
        if url.path != self.server.callback_path:
            self._reply(404, "<p>Not found</p>")
            return
        outcome = evaluate_callback(url.query, self.server.expected_state)
        if outcome is None or isinstance(outcome, StateMismatch):
            # Not this login's response: answer it and keep waiting for the one that is.
            self._reply(400, _ERROR_PAGE.format(message="The request is not this sign-in's response."))
            return
        with self.server.lock:
            first, self.server.done = not self.server.done, True
        if not first:
            self._reply(400, _ERROR_PAGE.format(message="This sign-in has already completed."))
            return
        if isinstance(outcome, AuthError):
            self._reply(400, _ERROR_PAGE.format(message=html.escape(outcome.message)))
        else:
            self._reply(200, _SUCCESS_PAGE)
        self.server.deliver(outcome)

    def _reply(self, status: int, body: str) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Never log: request lines carry the authorization code."""


class _Server6(_Server):
    address_family = socket.AF_INET6


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
        self._config = (expected_state, deliver, port, path, host)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def redirect_uri(self) -> str:
        """``http://127.0.0.1:<port><path>`` of the bound server."""
        if self._server is None:
            raise RuntimeError("the server is not started")
        host = self._config[4]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self._server.server_address[1]}{self._server.callback_path}"

    def __enter__(self) -> LoopbackServer:
        state, deliver, port, path, host = self._config
        server_class = _Server6 if ":" in host else _Server
        try:
            server = server_class((host, port), _Handler)
        except OSError as exc:
            raise _bind_error(exc, host, port) from None
        server.expected_state, server.deliver, server.callback_path = state, deliver, path
        server.lock = threading.Lock()
        self._server = server
        # A short poll interval makes shutdown() return promptly once the callback has arrived.
        self._thread = threading.Thread(
            target=server.serve_forever, args=(0.05,), name="c2c-oauth-loopback", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


def _bind_error(exc: OSError, host: str, port: int) -> UsageError:
    if exc.errno == errno.EADDRINUSE:
        return UsageError(
            f"port {port} on {host} is already in use",
            hint="Stop what is listening there, or pick another --port registered at the provider "
            "(or omit --port for a random one).",
        )
    return UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
