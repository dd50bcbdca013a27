"""The device API (``/v1``): bearer tokens scoped to one user, or an ``X-Api-Key`` for several."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, NoReturn
from urllib.parse import urlsplit

from authlib.integrations.flask_oauth2 import ResourceProtector
from flask import Blueprint, Response, jsonify, request

import c2c_cli.sandbox.devices as dev
from c2c_cli.network import is_loopback
from c2c_cli.sandbox.kinds import CommandRejected
from c2c_cli.sandbox.oauth_models import Token
from c2c_cli.sandbox.runtime import Runtime

__all__ = ["ApiError", "api_blueprint"]

_MAX_LIMIT = 200


class ApiError(Exception):
    """A JSON error response ``{"error", "error_description"}``."""

    def __init__(
        self, status: int, error: str, description: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(description)
        self.status, self.error, self.description, self.headers = status, error, description, headers or {}

    def response(self) -> Response:
        """As a Flask response."""
        response = jsonify({"error": self.error, "error_description": self.description})
        response.status_code = self.status
        response.headers.update(self.headers)
        return response


def _fail(status: int, error: str, description: str) -> NoReturn:
    raise ApiError(status, error, description)


def _principal(rt: Runtime, protector: ResourceProtector, scope: str) -> dev.Principal:
    api_key = request.headers.get("X-Api-Key")
    if api_key is not None:
        row = rt.store.one("SELECT id, users FROM api_keys WHERE api_key = ?", (api_key,))
        if row is None:
            raise ApiError(
                401, "invalid_token", "Unknown API key.", {"WWW-Authenticate": 'ApiKey realm="sandbox"'}
            )
        return dev.Principal("key:" + row["id"], tuple(json.loads(row["users"])), is_api_key=True)
    if not request.headers.get("Authorization"):
        # The contract answers every missing credential with invalid_token (docs/sandbox-api.md).
        raise ApiError(401, "invalid_token", "Send Authorization: Bearer <token> or X-Api-Key.",
                       {"WWW-Authenticate": 'Bearer realm="sandbox"'})  # fmt: skip
    with protector.acquire() as acquired:
        token: Token = acquired
    if scope not in token.scope.split():
        _fail(403, "insufficient_scope", f"This call needs the {scope!r} scope.")
    return dev.Principal("user:" + token.user_id, (token.user_id,), token.scope)


def _limit() -> int:
    raw = request.args.get("limit", "50")
    if not raw.isdigit() or not 1 <= int(raw) <= _MAX_LIMIT:
        _fail(400, "invalid_request", f"limit must be an integer 1..{_MAX_LIMIT}")
    return int(raw)


def _list(rt: Runtime, who: dev.Principal) -> Response:
    limit = _limit()
    try:
        after = dev.decode_cursor(request.args["cursor"]) if request.args.get("cursor") else ""
    except ValueError:
        _fail(400, "invalid_request", "cursor is not one this server issued")
    page = dev.list_devices(rt, who.users, after, limit + 1)
    more = len(page) > limit
    page = page[:limit]
    next_cursor = dev.encode_cursor(page[-1]["id"]) if more else None
    return jsonify({"devices": page, "next_cursor": next_cursor})


def _device(rt: Runtime, who: dev.Principal, device_id: str) -> dict[str, Any]:
    found = dev.find_device(rt, device_id, who.users)
    if found is None:
        _fail(404, "not_found", f"No device {device_id!r} for this caller.")
    return found


def _command(rt: Runtime, who: dev.Principal, device_id: str) -> Response:
    device = _device(rt, who, device_id)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        _fail(400, "invalid_request", "Send a JSON object {'command': ..., 'params': {...}}.")
    try:
        command_id, created = dev.queue_command(rt, who, device, body, request.headers.get("Idempotency-Key"))
    except CommandRejected as exc:
        _fail(400, "invalid_command", str(exc))
    except LookupError as exc:
        _fail(409, "idempotency_conflict", str(exc))
    if created:
        rt.submit(command_id)
    response = jsonify({"command_id": command_id, "status": "accepted"})
    response.status_code = 202
    return response


def _add_webhook(rt: Runtime, who: dev.Principal) -> Response:
    body = request.get_json(silent=True)
    url = body.get("url") if isinstance(body, dict) else None
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        _fail(400, "invalid_request", "Send {'url': 'http(s)://...'}.")
    if not (is_loopback(str(url)) or rt.settings.allow_public):
        _fail(400, "invalid_request", "Webhook URLs must be loopback unless the sandbox allows public hosts.")
    response = jsonify(dev.add_webhook(rt, who, str(url)))
    response.status_code = 201
    return response


def _me(rt: Runtime, who: dev.Principal) -> Response:  # noqa: ARG001 - uniform handler signature
    if who.is_api_key:
        _fail(400, "invalid_request", "An API key acts for several users; /v1/me needs a user token.")
    return jsonify({"user_id": who.users[0]})


def _get_device(rt: Runtime, who: dev.Principal, device_id: str) -> Response:
    return jsonify(_device(rt, who, device_id))


def _command_status(rt: Runtime, who: dev.Principal, command_id: str) -> Response:
    found = dev.command_json(rt, command_id, who)
    if found is None:
        _fail(404, "not_found", f"No command {command_id!r}.")
    return jsonify(found)


def _list_webhooks(rt: Runtime, who: dev.Principal) -> Response:
    return jsonify({"webhooks": dev.list_webhooks(rt, who)})


def _delete_webhook(rt: Runtime, who: dev.Principal, hook_id: str) -> Response:
    if not dev.delete_webhook(rt, who, hook_id):
        _fail(404, "not_found", f"No webhook {hook_id!r}.")
    return Response(status=204)


Handler = Callable[..., Response]
_READ, _WRITE = "devices:read", "devices:write"
_ROUTES: tuple[tuple[str, str, str, Handler], ...] = (
    ("/me", "GET", _READ, _me),
    ("/devices", "GET", _READ, _list),
    ("/devices/<device_id>", "GET", _READ, _get_device),
    ("/devices/<device_id>/commands", "POST", _WRITE, _command),
    ("/commands/<command_id>", "GET", _READ, _command_status),
    ("/webhooks", "GET", _READ, _list_webhooks),
    ("/webhooks", "POST", _READ, _add_webhook),
    ("/webhooks/<hook_id>", "DELETE", _READ, _delete_webhook),
)


def _view(rt: Runtime, protector: ResourceProtector, scope: str, handler: Handler) -> Handler:
    def view(**params: str) -> Response:
        return handler(rt, _principal(rt, protector, scope), **params)

    return view


def api_blueprint(rt: Runtime, protector: ResourceProtector) -> Blueprint:
    """The ``/v1`` routes: each authenticates the caller, checks the scope, then runs its handler."""
    bp = Blueprint("api", __name__, url_prefix="/v1")
    bp.register_error_handler(ApiError, lambda exc: exc.response())
    for rule, method, scope, handler in _ROUTES:
        endpoint = f"{handler.__name__.strip('_')}_{method.lower()}"
        bp.add_url_rule(rule, endpoint, _view(rt, protector, scope, handler), methods=[method])
    return bp
