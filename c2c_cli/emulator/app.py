"""The WSGI application: SigV4 → route → faults → parse → validate → idempotency → handler → rest-json.

Every answer carries ``x-amzn-RequestId``; errors carry ``x-amzn-ErrorType`` and ``{"Message": ...}``
(contract.md §8.2). Handlers raise only error codes the model lists for their operation; anything else
becomes InternalServerException so a bug cannot leak an unmodeled code. Every API request is written to
the request log (with boto3's ``amz-sdk-request`` attempt counter), so client retries are observable.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from c2c_cli.emulator import admin
from c2c_cli.emulator.apierrors import SIGNATURE_ERRORS, ApiError
from c2c_cli.emulator.context import Context, Handler
from c2c_cli.emulator.events import log_event, send_connector_event, validation_error
from c2c_cli.emulator.routes import Route, error_status, find_route, parse_params
from c2c_cli.emulator.service import Service
from c2c_cli.emulator.sigv4 import SignedRequest, verify

__all__ = ["REQUEST_LOG", "EmulatorApp"]

REQUEST_LOG = "request"
_LOG = logging.getLogger("c2c.emulator")
_JSON = "application/json"


@dataclass
class _Call:
    """What is known about one API request as it goes through the pipeline."""

    request: Any
    request_id: str
    received: float
    raw_path: str
    raw_query: str
    body: bytes
    route: Route | None = None
    ctx: Context | None = None
    params: dict[str, Any] = field(default_factory=dict)
    fault: str | None = None


class EmulatorApp:
    """A WSGI callable over a :class:`~c2c_cli.emulator.service.Service`."""

    def __init__(self, service: Service) -> None:
        self.service = service

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        """WSGI entry point."""
        from werkzeug.wrappers import Request

        request = Request(environ)
        if request.path.startswith("/_emulator/"):
            response = admin.handle(self.service, request)
        else:
            response = self._api(request)
        return response(environ, start_response)  # type: ignore[no-any-return]

    def _api(self, request: Any) -> Any:
        raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or request.full_path
        raw_path, _, raw_query = raw.partition("?")
        call = _Call(
            request, str(uuid.uuid4()), self.service.clock(), raw_path, raw_query, request.get_data()
        )
        error: ApiError | None = None
        try:
            status, output = self._dispatch(call)
            response = _json_response(status, output, call.request_id)
        except ApiError as exc:
            status, error = self._status_of(exc, call.route), exc
            response = _error_response(status, exc, call.request_id)
        except Exception:
            _LOG.exception("emulator bug while handling %s %s", request.method, raw_path)
            status, error = 500, ApiError("InternalServerException", "internal error in the c2c emulator")
            response = _error_response(status, error, call.request_id)
        self._log(call, status, error)
        return response

    def _dispatch(self, call: _Call) -> tuple[int, dict[str, Any] | None]:
        svc, request = self.service, call.request
        call.route = _try_route(request.method, call.raw_path)  # known before auth: logs name the operation
        url = f"http://{request.host}{call.raw_path}" + (f"?{call.raw_query}" if call.raw_query else "")
        signed = SignedRequest(request.method, url, dict(request.headers), call.body)
        account = verify(
            signed, svc.account_for_key, now=call.received, max_skew=svc.settings.max_skew_seconds
        )
        route = call.route or find_route(request.method, call.raw_path)  # raises UnknownOperationException
        call.ctx = svc.context(account, _access_key(request) or "", call.received, call.request_id)
        try:
            call.fault = svc.faults.inject(route.operation)
        except ApiError as exc:
            call.fault = exc.code
            raise
        call.params = parse_params(route, call.raw_path, call.raw_query, call.body)
        if route.operation == "SendConnectorEvent":
            return route.status, self._send_event(call.ctx, route, call)
        handler = svc.handlers.get(route.operation)
        if handler is None:
            raise ApiError(
                "UnknownOperationException",
                f"{route.operation} is not emulated by c2c (docs/emulator.md lists the emulated operations)",
            )
        _validate(route, call.params)
        output = _run_idempotent(call.ctx, route, call.params, handler)
        for work in call.ctx.deferred:  # after the commit: the connector may call back (lifecycle.py)
            work(svc.lifecycle)
        return route.status, output

    def _send_event(self, ctx: Context, route: Route, call: _Call) -> dict[str, Any]:
        try:
            output, violations = send_connector_event(
                ctx,
                call.params,
                strict=self.service.settings.strict_events,
                on_accept=lambda params: self.service.lifecycle.on_event(params, call.received),
            )
        except ApiError as exc:
            status = self._status_of(exc, route)
            log_event(
                ctx.store,
                ctx,
                call.params,
                status=status,
                error=exc,
                violations=exc.violations,
                received_at=call.received,
                request_id=call.request_id,
            )
            exc.logged = True
            raise
        log_event(
            ctx.store,
            ctx,
            call.params,
            status=route.status,
            violations=violations,
            received_at=call.received,
            request_id=call.request_id,
        )
        return output

    def _status_of(self, exc: ApiError, route: Route | None) -> int:
        if exc.code in SIGNATURE_ERRORS:
            return SIGNATURE_ERRORS[exc.code]
        status = error_status(exc.code)
        if status is None or (route is not None and exc.code not in route.errors):
            _LOG.error("unmodeled error %s for %s: %s", exc.code, route and route.operation, exc.message)
            exc.code, exc.message, exc.fields = "InternalServerException", "internal error", {}
            return 500
        return status

    def _log(self, call: _Call, status: int, error: ApiError | None) -> None:
        ctx, route = call.ctx, call.route
        record = {
            "received_at": call.received,
            "request_id": call.request_id,
            "operation": route.operation if route else None,
            "method": call.request.method,
            "path": call.raw_path,
            "account_id": ctx.account.account_id if ctx else None,
            "access_key_id": _access_key(call.request),
            "attempt": _attempt(call.request.headers.get("amz-sdk-request")),
            "http_status": status,
            "error_code": error.code if error else None,
            "fault": call.fault,
            "duration_ms": round((self.service.clock() - call.received) * 1000, 3),
        }
        self.service.store.append_log(REQUEST_LOG, record)
        if (
            error is not None
            and route is not None
            and route.operation == "SendConnectorEvent"
            and not error.logged
        ):
            match = route.pattern.fullmatch(call.raw_path)
            params = call.params or (match.groupdict() if match else {})
            log_event(
                self.service.store,
                ctx,
                params,
                status=status,
                error=error,
                received_at=call.received,
                request_id=call.request_id,
            )


def _try_route(method: str, path: str) -> Route | None:
    try:
        return find_route(method, path)
    except ApiError:
        return None


def _validate(route: Route, params: dict[str, Any]) -> None:
    from c2c_cli.contract import validate_input

    violations = validate_input(route.operation, params)
    if any(v.severity == "error" for v in violations):
        raise validation_error(violations)


def _run_idempotent(
    ctx: Context, route: Route, params: dict[str, Any], handler: Handler
) -> dict[str, Any] | None:
    """Run a handler in one transaction; a repeated ClientToken replays or conflicts (contract.md §7.2)."""
    token = params.get("ClientToken")
    with ctx.store.transaction():
        if token is None:
            return handler(ctx, params)
        digest = _body_hash(params)
        seen = ctx.store.idempotent(ctx.account.account_id, route.operation, token)
        if seen is not None:
            if seen[0] != digest:
                raise ApiError("ConflictException", "ClientToken was already used with a different request")
            replay: dict[str, Any] | None = seen[1]["output"]
            return replay
        out = handler(ctx, params)
        ctx.store.remember(ctx.account.account_id, route.operation, token, digest, {"output": out})
        return out


def _body_hash(params: dict[str, Any]) -> str:
    rest = {k: v for k, v in params.items() if k != "ClientToken"}
    return hashlib.sha256(json.dumps(rest, sort_keys=True).encode()).hexdigest()


def _attempt(sdk_request: str | None) -> int | None:
    """The attempt number from boto3's ``amz-sdk-request: ttl=...; attempt=2; max=3`` header."""
    for part in (sdk_request or "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == "attempt" and value.isdigit():
            return int(value)
    return None


def _access_key(request: Any) -> str | None:
    auth = request.headers.get("Authorization", "")
    if "Credential=" not in auth:
        return None
    return str(auth.split("Credential=", 1)[1].split("/", 1)[0])


def _json_response(status: int, output: dict[str, Any] | None, request_id: str) -> Any:
    from werkzeug.wrappers import Response

    body = b"" if output is None or status == 204 else json.dumps(output).encode()
    return Response(body, status=status, headers={"Content-Type": _JSON, "x-amzn-RequestId": request_id})


def _error_response(status: int, exc: ApiError, request_id: str) -> Any:
    from werkzeug.wrappers import Response

    headers = {"Content-Type": _JSON, "x-amzn-RequestId": request_id, "x-amzn-ErrorType": exc.code}
    return Response(json.dumps(exc.body()).encode(), status=status, headers=headers)
