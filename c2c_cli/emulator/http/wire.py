"""The API path's request and answer, read from and written to WSGI directly (issue 15's profile).

werkzeug's ``Request``/``Response`` objects (header views rebuilt at each access, response
finalisation) were a sixth of the emulator's time per ``SendConnectorEvent``; the API needs only the
method, the raw path and query, the headers and a bounded body. The admin endpoints keep werkzeug.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

__all__ = ["Answer", "Headers", "WireRequest"]


class Headers(dict[str, str]):
    """Request headers keyed by lower-case name; :meth:`get` takes a name in any case."""

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        """The header's value (``default`` when absent)."""
        return super().get(name.lower(), default)


class WireRequest:
    """What the API path and :func:`~c2c_cli.emulator.http.bodies.read_body` read of a WSGI request.

    Attributes:
        environ: the WSGI environ.
        method: HTTP method.
        path: the decoded path (``PATH_INFO``).
        headers: every request header.
        host: the ``Host`` header (else ``SERVER_NAME:SERVER_PORT``).
        content_length: ``Content-Length`` as an int, None when absent or not a number.
    """

    def __init__(self, environ: dict[str, Any]) -> None:
        self.environ = environ
        self.method: str = environ["REQUEST_METHOD"].upper()
        self.path: str = environ.get("PATH_INFO") or "/"
        headers = Headers()
        for key, value in environ.items():
            if key.startswith("HTTP_"):
                headers[key[5:].replace("_", "-").lower()] = value
        for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            if environ.get(key):
                headers[key.replace("_", "-").lower()] = environ[key]
        self.headers = headers
        self.host: str = headers.get("host") or f"{environ.get('SERVER_NAME')}:{environ.get('SERVER_PORT')}"
        length = headers.get("content-length")
        self.content_length: int | None = int(length) if length and length.isdigit() else None

    @property
    def stream(self) -> Any:
        """The body stream, bounded by ``Content-Length`` (werkzeug's rules for a WSGI input)."""
        from werkzeug.wsgi import get_input_stream

        return get_input_stream(self.environ)

    def raw_target(self) -> str:
        """The request target as sent (``RAW_URI``), or rebuilt from the environ by werkzeug."""
        raw = self.environ.get("RAW_URI") or self.environ.get("REQUEST_URI")
        if raw:
            return str(raw)
        from werkzeug.wrappers import Request

        return str(Request(self.environ).full_path)


class Answer:
    """A WSGI answer: status, headers and a body, sent with its ``Content-Length`` (none for 204/304)."""

    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:  # noqa: ARG002
        """WSGI: start the response and return the body."""
        headers = list(self.headers.items())
        if self.status not in (204, 304):  # neither may carry a body or its length (RFC 9110 §8.6)
            headers.append(("Content-Length", str(len(self.body))))
        start_response(f"{self.status} {HTTPStatus(self.status).phrase}", headers)
        return [self.body]
