"""Emulator-only endpoints under ``/_emulator/`` (outside the AWS routes; docs/emulator.md).

``GET /_emulator/info``, ``GET /_emulator/events?connector=&after=&limit=``,
``GET /_emulator/requests?after=&limit=``, ``GET /_emulator/commands``, ``POST /_emulator/reset``,
``POST /_emulator/device-discoveries`` (``{"ConnectorId"}`` → a ``RUNNING`` run for hand-sent events). Each
needs the admin token (``X-C2C-Emulator-Token`` header, from the 0600 state file) or a valid SigV4
signature of a known account. Two endpoints are public, as their AWS counterparts are:
``/_emulator/oauth/callback`` (the service's OAuth redirect URI, ``linking``) and
``/_emulator/function-url/<function>`` (an attached project's Lambda Function URL, ``AuthType NONE``).
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from c2c_cli.emulator.http.backend import Backend
from c2c_cli.emulator.http.bodies import read_body
from c2c_cli.emulator.http.errors import SIGNATURE_ERRORS, ApiError
from c2c_cli.emulator.http.function_urls import FUNCTION_URL_PATH, function_url_answer, function_url_event
from c2c_cli.emulator.http.sigv4 import SignedRequest, check_headers, verify
from c2c_cli.emulator.http.store import COMMAND, EVENT_LOG, REQUEST_LOG

__all__ = ["CALLBACK_PATH", "TOKEN_HEADER", "handle"]

TOKEN_HEADER = "X-C2C-Emulator-Token"
CALLBACK_PATH = "/_emulator/oauth/callback"


def _authorize(svc: Backend, request: Any) -> None:
    token = request.headers.get(TOKEN_HEADER)
    if token is not None:
        if not hmac.compare_digest(token.encode(), svc.admin_token.encode()):
            raise ApiError("UnrecognizedClientException", "wrong emulator admin token")
        return
    skew, lookup = svc.settings.max_skew_seconds, svc.account_for_key
    check_headers(request.headers, lookup, now=svc.clock(), max_skew=skew)  # before the body
    raw = request.environ.get("RAW_URI") or request.full_path
    url = f"http://{request.host}{raw}".rstrip("?")
    signed = SignedRequest(request.method, url, dict(request.headers), read_body(request))
    verify(signed, lookup, now=svc.clock(), max_skew=skew)


def _int_arg(request: Any, name: str, default: int) -> int:
    value = request.args.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ApiError("ValidationException", f"query parameter {name} must be an integer") from None


def _route(svc: Backend, request: Any) -> tuple[int, Any]:
    path, method = request.path.rstrip("/"), request.method
    if path == "/_emulator/info" and method == "GET":
        return 200, svc.info()
    if path == "/_emulator/events" and method == "GET":
        records = svc.store.read_log(
            EVENT_LOG,
            after=_int_arg(request, "after", 0),
            connector_id=request.args.get("connector") or None,
            limit=_int_arg(request, "limit", 1000),
        )
        return 200, {"events": records}
    if path == "/_emulator/requests" and method == "GET":
        records = svc.store.read_log(
            REQUEST_LOG, after=_int_arg(request, "after", 0), limit=_int_arg(request, "limit", 1000)
        )
        return 200, {"requests": records}
    if path == "/_emulator/device-discoveries" and method == "POST":
        body = json.loads(read_body(request) or b"{}")
        connector = str(body.get("ConnectorId") or "") if isinstance(body, dict) else ""
        did = svc.open_discovery(connector)
        return 201, {"DeviceDiscoveryId": did}
    if path == "/_emulator/commands" and method == "GET":
        return 200, {"commands": [data for _, data in svc.store.all_of(COMMAND)]}
    if path == "/_emulator/reset" and method == "POST":
        svc.store.reset()
        return 200, {"reset": True}
    raise ApiError("UnknownOperationException", f"no emulator endpoint {method} {path}")


def _public(svc: Backend, request: Any) -> Any:
    """The OAuth callback and Function URLs (no admin token: browsers and vendors call them)."""
    from werkzeug.wrappers import Response

    if request.path == CALLBACK_PATH and request.method == "GET":
        status, headers, html = svc.oauth_callback(dict(request.args.items()))
        return Response(html, status=status, headers=headers, content_type="text/html; charset=utf-8")
    if request.path.startswith(FUNCTION_URL_PATH):
        name, _, rest = request.path[len(FUNCTION_URL_PATH) :].partition("/")
        event = function_url_event(
            request.method,
            "/" + rest,
            request.query_string.decode(),
            dict(request.headers.items()),
            read_body(request),
            request.remote_addr or "127.0.0.1",
        )
        answer = svc.function_url(name, event)
        if answer is None:
            return Response(json.dumps({"Message": "Forbidden"}), status=403, content_type="application/json")
        status, headers, body = function_url_answer(answer)
        return Response(body, status=status, headers=headers)
    return None


def handle(svc: Backend, request: Any) -> Any:
    """Answer one ``/_emulator/`` request with JSON."""
    from werkzeug.wrappers import Response

    try:
        public = _public(svc, request)
        if public is not None:
            return public
        _authorize(svc, request)
        status, body = _route(svc, request)
        headers = {"Content-Type": "application/json"}
    except ApiError as exc:
        status = exc.status or SIGNATURE_ERRORS.get(exc.code, 400)
        body, headers = exc.body(), {"Content-Type": "application/json", "x-amzn-ErrorType": exc.code}
        if status == 413:
            headers["Connection"] = "close"  # the unread body cannot be skipped
    return Response(json.dumps(body, default=str), status=status, headers=headers)
