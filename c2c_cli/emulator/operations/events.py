"""``SendConnectorEvent`` (contract.md §4.1, §4.7) and the event log.

Order of checks: the body against the model and the contract's per-event rules in strict mode (every
error listed in one ValidationException), then the connector: unknown → ResourceNotFoundException,
owned by another account than the signer → AccessDeniedException (§4.1: only the registering account
may send). Every outcome, accepted or not, becomes one event-log record with the signer, the verdict and
all violations (warnings included), so ``c2c emulator events`` shows what connectors sent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from c2c_cli.emulator.http.backend import ApiCall
from c2c_cli.emulator.http.errors import ApiError
from c2c_cli.emulator.http.routes import status_of
from c2c_cli.emulator.http.store import CONNECTOR, EVENT_LOG, Store
from c2c_cli.emulator.operations.context import Context
from c2c_cli.violation import ERROR, Violation

__all__ = ["log_event", "log_rejected", "send_and_log", "send_connector_event", "validation_error"]


def validation_error(violations: list[Violation]) -> ApiError:
    """One ValidationException listing every error violation as ``path: message`` (AWS style)."""
    errors = [v for v in violations if v.severity == ERROR]
    noun = "error" if len(errors) == 1 else "errors"
    details = "; ".join(f"{v.path.removeprefix('$.')}: {v.message}" for v in errors)
    return ApiError("ValidationException", f"{len(errors)} validation {noun} detected: {details}")


def _check_event(params: dict[str, Any], strict: bool) -> list[Violation]:
    from c2c_cli.contract import validate_event

    return validate_event(params, strict=strict)


def log_event(
    store: Store,
    call: ApiCall,
    params: dict[str, Any],
    *,
    status: int,
    error: ApiError | None = None,
    violations: Sequence[Violation] = (),
) -> None:
    """Append one event-log record (verdict, signer, violations, the body as received)."""
    record = {
        "received_at": call.received,
        "request_id": call.request_id,
        "connector_id": params.get("ConnectorId"),
        "account_id": call.account.account_id if call.account else None,
        "access_key_id": call.access_key_id or None,
        "operation": params.get("Operation"),
        "verdict": "rejected" if error else "accepted",
        "http_status": status,
        "error_code": error.code if error else None,
        "error_message": error.message if error else None,
        "violations": [v.to_json() for v in violations],
        "body": {k: v for k, v in params.items() if k != "ConnectorId"},
    }
    store.append_log(EVENT_LOG, record, connector_id=str(params.get("ConnectorId") or "") or None)


def _check_owner(ctx: Context, connector_id: str) -> None:
    found = ctx.store.get(CONNECTOR, connector_id)
    if found is None:
        raise ApiError(
            "ResourceNotFoundException",
            f"CloudConnector {connector_id} not found",
            ResourceId=connector_id,
            ResourceType="CloudConnector",
        )
    if found[0] != ctx.account.account_id:
        raise ApiError(
            "AccessDeniedException",
            f"account {ctx.account.account_id} did not register connector {connector_id}; "
            "sign SendConnectorEvent with the registering account's credentials",
        )


def send_connector_event(
    ctx: Context,
    params: dict[str, Any],
    *,
    strict: bool = True,
    on_accept: Callable[[dict[str, Any]], list[Violation]] | None = None,
) -> tuple[dict[str, Any], list[Violation]]:
    """Accept or reject one event.

    Args:
        ctx: the request context.
        params: the input, ``ConnectorId`` from the path included.
        strict: the contract's strict mode (its warnings become errors, contract.md §4.4).
        on_accept: applies an accepted event to the lifecycle (discovery, state); returns extra warnings
            and may reject with ValidationException (unknown discovery id, contract.md §4.7).

    Returns:
        The 202 output ``{"ConnectorId"}`` and the (warning-only) violations.

    Raises:
        ApiError: ValidationException, ResourceNotFoundException or AccessDeniedException; the
            exception carries the violations in ``violations``.
    """
    violations = _check_event(params, strict)
    try:
        if any(v.severity == ERROR for v in violations):
            raise validation_error(violations)
        _check_owner(ctx, params["ConnectorId"])
        if on_accept is not None:
            violations = [*violations, *on_accept(params)]
    except ApiError as exc:
        exc.violations = violations
        raise
    return {"ConnectorId": params["ConnectorId"]}, violations


def send_and_log(
    ctx: Context,
    call: ApiCall,
    *,
    strict: bool,
    on_accept: Callable[[dict[str, Any]], list[Violation]],
) -> dict[str, Any]:
    """:func:`send_connector_event` plus its event-log record, accepted or rejected.

    Raises:
        ApiError: the rejection (already logged: ``logged`` is set).
    """
    try:
        output, violations = send_connector_event(ctx, call.params, strict=strict, on_accept=on_accept)
    except ApiError as exc:
        status = status_of(exc, call.route)
        log_event(ctx.store, call, call.params, status=status, error=exc, violations=exc.violations)
        exc.logged = True
        raise
    status = call.route.status if call.route else 202
    log_event(ctx.store, call, call.params, status=status, violations=violations)
    return output


def log_rejected(store: Store, call: ApiCall, status: int, error: ApiError) -> None:
    """The event-log record of a ``SendConnectorEvent`` refused before it was read (signature, fault)."""
    route = call.route
    if route is None or route.operation != "SendConnectorEvent":
        return
    match = route.pattern.fullmatch(call.raw_path)
    params = call.params or (match.groupdict() if match else {})
    log_event(store, call, params, status=status, error=error)
