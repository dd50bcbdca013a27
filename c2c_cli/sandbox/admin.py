"""Admin routes under ``/_sandbox/`` (info, poke, reset, faults), guarded by the admin key."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, jsonify, request

from c2c_cli.sandbox.api import ApiError
from c2c_cli.sandbox.devices import apply_physical
from c2c_cli.sandbox.kinds import CommandRejected
from c2c_cli.sandbox.runtime import Runtime

__all__ = ["ADMIN_HEADER", "admin_blueprint"]

ADMIN_HEADER = "X-Sandbox-Admin-Key"


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_request", "Send a JSON object.")
    return body


def _poke(rt: Runtime) -> Response:
    body = _body()
    device_id, changes = str(body.get("device_id", "")), body.get("changes")
    if not isinstance(changes, dict) or not changes:
        raise ApiError(400, "invalid_request", "Send {'device_id': ..., 'changes': {attr: value}}.")
    try:
        change = apply_physical(rt, device_id, changes)
    except KeyError:
        raise ApiError(404, "not_found", f"No device {device_id!r}.") from None
    except CommandRejected as exc:
        raise ApiError(400, "invalid_change", str(exc)) from None
    rt.notify(change)
    return jsonify({"device_id": device_id, "state": change.state, "changed": change.changed})


def _faults(rt: Runtime) -> Response:
    if request.method == "PUT":
        try:
            rt.faults.update(_body())
        except (TypeError, ValueError) as exc:
            raise ApiError(400, "invalid_request", f"bad faults: {exc}") from None
    return jsonify(rt.faults.as_dict())


def admin_blueprint(rt: Runtime, info: Callable[[], dict[str, Any]], reset: Callable[[], None]) -> Blueprint:
    """The ``/_sandbox`` routes; ``info`` and ``reset`` come from the server object."""
    bp = Blueprint("admin", __name__, url_prefix="/_sandbox")
    bp.register_error_handler(ApiError, lambda exc: exc.response())

    @bp.before_request
    def guard() -> None:
        if not hmac.compare_digest(request.headers.get(ADMIN_HEADER, ""), rt.admin_key):
            raise ApiError(
                401, "invalid_admin_key", f"Send the admin key printed at start in {ADMIN_HEADER}."
            )

    def do_reset() -> Response:
        reset()
        return jsonify({"reset": True})

    bp.add_url_rule("/info", "info", lambda: jsonify(info()))
    bp.add_url_rule("/poke", "poke", lambda: _poke(rt), methods=["POST"])
    bp.add_url_rule("/reset", "reset", do_reset, methods=["POST"])
    bp.add_url_rule("/faults", "faults", lambda: _faults(rt), methods=["GET", "PUT"])
    return bp
