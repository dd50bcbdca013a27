"""Fault injection as WSGI middleware: latency, random 5xx and forced per-endpoint errors.

Admin routes (``/_sandbox/``) are exempt so tests can always turn faults off again.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from fnmatch import fnmatchcase
from typing import Any

from c2c_cli.sandbox.runtime import FaultState

__all__ = ["FaultMiddleware", "fault_response"]

StartResponse = Callable[..., Any]
Wsgi = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

_STATUS_ERRORS = {
    429: "rate_limited",
    500: "server_error",
    502: "bad_gateway",
    503: "temporarily_unavailable",
    504: "gateway_timeout",
}
_REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def fault_response(fault: str) -> tuple[int, dict[str, str], list[tuple[str, str]]]:
    """``(status, body, headers)`` for a fault name: an HTTP status (``"503"``) or an error code."""
    headers = [("Content-Type", "application/json"), ("Cache-Control", "no-store")]
    if fault.isdigit():
        status = int(fault)
        if status == 429 or status == 503:
            headers.append(("Retry-After", "1"))
        return (
            status,
            {"error": _STATUS_ERRORS.get(status, "server_error"), "error_description": "injected fault"},
            headers,
        )
    status = 401 if fault in ("invalid_client", "invalid_token") else 400
    if status == 401:
        headers.append(("WWW-Authenticate", f'Bearer error="{fault}"'))
    return status, {"error": fault, "error_description": "injected fault"}, headers


class FaultMiddleware:
    """Wraps the Flask app; reads the live :class:`FaultState` on every request."""

    def __init__(self, app: Wsgi, faults: FaultState) -> None:
        self._app = app
        self._faults = faults

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Delay, fail or pass the request through."""
        path = str(environ.get("PATH_INFO", ""))
        if path.startswith("/_sandbox/"):
            return self._app(environ, start_response)
        faults = self._faults
        if faults.latency_ms:
            time.sleep(faults.latency_ms / 1000)
        forced = next((f for pattern, f in faults.endpoints.items() if fnmatchcase(path, pattern)), None)
        if forced is None and faults.error_rate and faults.roll() < faults.error_rate:
            forced = "500" if faults.roll() < 0.5 else "503"
        if forced is None:
            return self._app(environ, start_response)
        status, body, headers = fault_response(forced)
        start_response(f"{status} {_REASONS.get(status, 'Error')}", headers)
        return [json.dumps(body).encode()]
