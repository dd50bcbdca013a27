"""Running one API operation: validate the input, one transaction, ClientToken idempotency (contract.md §7.2)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from c2c_cli.emulator.http.errors import ApiError
from c2c_cli.emulator.http.routes import Route
from c2c_cli.emulator.operations.context import Context, Handler
from c2c_cli.emulator.operations.events import validation_error

__all__ = ["run_operation"]


def run_operation(
    ctx: Context, route: Route, params: dict[str, Any], handler: Handler
) -> dict[str, Any] | None:
    """Validate ``params`` against the model, then run the handler; its queued work runs after the commit.

    Raises:
        ApiError: ValidationException listing every error, or the handler's error.
    """
    _validate(route, params)
    output = _run_idempotent(ctx, route, params, handler)
    for work in ctx.deferred:  # after the commit: the connector may call back (driver/lifecycle.py)
        if ctx.lifecycle is not None:
            work(ctx.lifecycle)
    return output


def _validate(route: Route, params: dict[str, Any]) -> None:
    from c2c_cli.contract import validate_input

    violations = validate_input(route.operation, params)
    if any(v.severity == "error" for v in violations):
        raise validation_error(violations)


def _run_idempotent(
    ctx: Context, route: Route, params: dict[str, Any], handler: Handler
) -> dict[str, Any] | None:
    """Run a handler in one transaction; a repeated ClientToken replays or conflicts."""
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
