"""Builders of the exact messages of the contract: Lambda requests (§2-3) and SendConnectorEvent bodies (§4).

The simulator sends what these build; ``c2c events new`` prints them. Every builder's output passes
:func:`c2c_cli.contract.validate_document` (property-tested).
"""

from __future__ import annotations

import json
import re
from typing import Any

from c2c_cli.contract.envelope import OPERATIONS
from c2c_cli.errors import UsageError

__all__ = [
    "ack",
    "apply_overrides",
    "discovery_event",
    "event",
    "general_auth",
    "oauth_auth",
    "request",
]


def oauth_auth(token: str) -> dict[str, Any]:
    """``header.auth`` for OAuth 2.0 (contract.md §2.2)."""
    return {"type": "OAuth2.0", "token": token}


def general_auth(arn: str, version_id: str) -> dict[str, Any]:
    """``header.auth`` for General Authorization (contract.md §2.2)."""
    return {"type": "GeneralAuthorization", "secretsManager": {"arn": arn, "versionId": version_id}}


def request(operation: str, auth: dict[str, Any], connector_id: str, **fields: Any) -> dict[str, Any]:
    """A Lambda invocation request as the service sends it, with the documented operationVersion (§9 #6)."""
    payload = {
        "operationName": operation,
        "operationVersion": OPERATIONS[operation],
        "connectorId": connector_id,
        **fields,
    }
    return {"header": {"auth": auth}, "payload": payload}


def ack(code: int = 200, message: str | None = None, **payload: Any) -> dict[str, Any]:
    """An ACK (contract.md §2.3); ``userId=...`` for ActivateUser."""
    body: dict[str, Any] = dict(payload)
    if message is not None:
        body["responseMessage"] = message
    return {"header": {"responseCode": code}, "payload": body}


def event(operation: str, **members: Any) -> dict[str, Any]:
    """A SendConnectorEvent body in boto3-keyword form (without ConnectorId unless given)."""
    return {"Operation": operation, "OperationVersion": "1.0", **members}


def discovery_event(
    discovery_id: str, user_id: str, devices: list[dict[str, Any]], *, final: bool = True
) -> dict[str, Any]:
    """One DEVICE_DISCOVERY page: 3xx for every page but the last, 200 on the last (contract.md §3.2)."""
    return event(
        "DEVICE_DISCOVERY",
        UserId=user_id,
        StatusCode=200 if final else 300,
        DeviceDiscoveryId=discovery_id,
        Devices=devices,
    )


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def apply_overrides(doc: dict[str, Any], assignments: list[str]) -> dict[str, Any]:
    """Apply ``PATH=VALUE`` assignments (``payload.traceId=abc``, ``Devices[0].ConnectorDeviceName=x``).

    VALUE is parsed as JSON when it parses (``200``, ``true``, ``{"a": 1}``), else taken as a string.

    Raises:
        UsageError: on a malformed assignment or a path that does not fit the document.
    """
    out: dict[str, Any] = json.loads(json.dumps(doc))
    for assignment in assignments:
        path, sep, raw = assignment.partition("=")
        if not sep or not path:
            raise UsageError(f"--set {assignment!r}: expected PATH=VALUE", hint="e.g. --set StatusCode=300")
        _assign(out, path.removeprefix("$.").removeprefix("$"), _parse_value(raw), assignment)
    return out


def _parse_value(raw: str) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


def _assign(doc: Any, path: str, value: Any, assignment: str) -> None:
    steps: list[str | int] = [
        m.group(1) if m.group(1) is not None else int(m.group(2)) for m in _STEP.finditer(path)
    ]
    if not steps:
        raise UsageError(f"--set {assignment!r}: empty path")
    target = doc
    try:
        for step in steps[:-1]:
            target = target[step]
        last = steps[-1]
        if isinstance(target, list) and isinstance(last, int) and last == len(target):
            target.append(value)
        else:
            target[last] = value
    except (KeyError, IndexError, TypeError):
        raise UsageError(f"--set {assignment!r}: the path does not exist in this sample") from None
