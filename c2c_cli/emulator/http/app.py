"""The WSGI application: SigV4 → route → faults → parse → the backend's operation → rest-json.

Every answer carries ``x-amzn-RequestId``; errors carry ``x-amzn-ErrorType`` and ``{"Message": ...}``
(contract.md §8.2). Errors the operation does not model become InternalServerException
(:func:`~c2c_cli.emulator.http.routes.status_of`). Every API request is written to the request log
(with boto3's ``amz-sdk-request`` attempt counter), so client retries are observable. What an operation
does is the backend's business (:class:`~c2c_cli.emulator.http.backend.Backend`).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from c2c_cli.emulator.http.admin import handle as handle_admin
from c2c_cli.emulator.http.backend import ApiCall, Backend
from c2c_cli.emulator.http.bodies import read_body
from c2c_cli.emulator.http.errors import ApiError
from c2c_cli.emulator.http.lambda_api import handle_lambda, is_lambda_path
from c2c_cli.emulator.http.routes import Route, find_route, parse_params, status_of
from c2c_cli.emulator.http.sigv4 import SignedRequest, check_headers, verify
from c2c_cli.emulator.http.store import REQUEST_LOG
from c2c_cli.emulator.http.wire import Answer, WireRequest

__all__ = ["EmulatorApp", "access_key_of", "attempt_of"]

_LOG = logging.getLogger("c2c.emulator")
_JSON = "application/json"


class EmulatorApp:
    """A WSGI callable over a :class:`~c2c_cli.emulator.http.backend.Backend`."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        """WSGI entry point."""
        if (environ.get("PATH_INFO") or "").startswith("/_emulator/"):
            from werkzeug.wrappers import Request

            response = handle_admin(self.backend, Request(environ))
        elif is_lambda_path(environ.get("PATH_INFO") or ""):
            request = WireRequest(environ)
            raw_path, _, raw_query = request.raw_target().partition("?")
            response = handle_lambda(self.backend, request, raw_path, raw_query)
        else:
            response = self._api(WireRequest(environ))
        return response(environ, start_response)  # type: ignore[no-any-return]

    def _api(self, request: WireRequest) -> Answer:
        raw_path, _, raw_query = request.raw_target().partition("?")
        call = ApiCall(request, str(uuid.uuid4()), self.backend.clock(), raw_path, raw_query)
        error: ApiError | None = None
        try:
            status, output = self._dispatch(call)
            response = _json_response(status, output, call.request_id)
        except ApiError as exc:
            status, error = status_of(exc, call.route), exc
            response = _error_response(status, exc, call.request_id)
            if status == 413:
                response.headers["Connection"] = "close"  # the unread body cannot be skipped
        except Exception:
            _LOG.exception("emulator bug while handling %s %s", request.method, raw_path)
            status, error = 500, ApiError("InternalServerException", "internal error in the c2c emulator")
            response = _error_response(status, error, call.request_id)
        self._log(call, status, error)
        return response

    def _dispatch(self, call: ApiCall) -> tuple[int, dict[str, Any] | None]:
        backend, request = self.backend, call.request
        call.route = _try_route(request.method, call.raw_path)  # known before auth: logs name the operation
        skew, lookup = backend.settings.max_skew_seconds, backend.account_for_key
        check_headers(request.headers, lookup, now=call.received, max_skew=skew)  # before the body
        call.body = read_body(request)
        url = f"http://{request.host}{call.raw_path}" + (f"?{call.raw_query}" if call.raw_query else "")
        signed = SignedRequest(request.method, url, request.headers, call.body)
        call.account = verify(signed, lookup, now=call.received, max_skew=skew)
        call.access_key_id = access_key_of(request.headers) or ""
        route = call.route or find_route(request.method, call.raw_path)  # raises UnknownOperationException
        try:
            call.fault = backend.faults.inject(route.operation)
        except ApiError as exc:
            call.fault = exc.code
            raise
        call.params = parse_params(route, call.raw_path, call.raw_query, call.body)
        return route.status, backend.dispatch(call)

    def _log(self, call: ApiCall, status: int, error: ApiError | None) -> None:
        record = {
            "received_at": call.received,
            "request_id": call.request_id,
            "operation": call.route.operation if call.route else None,
            "method": call.request.method,
            "path": call.raw_path,
            "account_id": call.account.account_id if call.account else None,
            "access_key_id": access_key_of(call.request.headers),
            "attempt": attempt_of(call.request.headers.get("amz-sdk-request")),
            "server": "emulator",
            "http_status": status,
            "error_code": error.code if error else None,
            "fault": call.fault,
            "duration_ms": round((self.backend.clock() - call.received) * 1000, 3),
        }
        self.backend.store.append_log(REQUEST_LOG, record)
        if error is not None and not error.logged:
            self.backend.rejected(call, status, error)


def _try_route(method: str, path: str) -> Route | None:
    try:
        return find_route(method, path)
    except ApiError:
        return None


def attempt_of(sdk_request: str | None) -> int | None:
    """The attempt number from boto3's ``amz-sdk-request: ttl=...; attempt=2; max=3`` header."""
    for part in (sdk_request or "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == "attempt" and value.isdigit():
            return int(value)
    return None


def access_key_of(headers: Any) -> str | None:
    """The access key id of a SigV4 ``Authorization`` header, None without one."""
    auth = headers.get("Authorization", "")
    if "Credential=" not in auth:
        return None
    return str(auth.split("Credential=", 1)[1].split("/", 1)[0])


def _json_response(status: int, output: dict[str, Any] | None, request_id: str) -> Answer:
    body = b"" if output is None or status == 204 else json.dumps(output).encode()
    return Answer(status, {"Content-Type": _JSON, "x-amzn-RequestId": request_id}, body)


def _error_response(status: int, exc: ApiError, request_id: str) -> Answer:
    headers = {"Content-Type": _JSON, "x-amzn-RequestId": request_id, "x-amzn-ErrorType": exc.code}
    return Answer(status, headers, json.dumps(exc.body()).encode())
