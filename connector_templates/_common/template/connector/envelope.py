"""The Lambda request envelope and the ACK the service reads back.

Request: ``{"header": {"auth": {...}}, "payload": {"operationName", "operationVersion", "connectorId",
...}}``. ACK: ``{"header": {"responseCode": 200}, "payload": {"responseMessage": ...}}``. A discovery
that continues in its own asynchronous invocation adds a top-level ``c2cContinuation`` (see
:mod:`connector.continuation`). Failures are
ACKs with an HTTP-style ``responseCode`` and a message saying what went wrong; nothing here raises past
the handler.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

OPERATIONS = ("AWS.ActivateUser", "AWS.DiscoverDevices", "AWS.SendCommand", "AWS.DeactivateUser")
AUTH_TYPES = ("OAuth2.0", "GeneralAuthorization")

CONNECTOR_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
DISCOVERY_ID = re.compile(r"[A-Za-z0-9]{1,200}")
TRACE_ID = re.compile(r"[a-zA-Z0-9:=_-]{1,128}")
DEVICE_ID = re.compile(r"[a-zA-Z0-9_.,@-]{1,256}")
USER_ID = re.compile(r"[a-zA-Z0-9_.,@-]{1,64}")


class ConnectorError(Exception):
    """A failure reported to the service as a non-200 ACK.

    Args:
        code: HTTP-style status (400 malformed request, 401 credentials rejected, 404 unknown device,
            429 vendor throttling, 503 vendor unavailable, 504 out of time, 500 connector bug).
        message: what went wrong, for the customer's CONNECTOR_ERROR_REPORT.
        retry_after: seconds the vendor asked to wait (its ``Retry-After``), 0 when it did not say.
    """

    def __init__(self, code: int, message: str, retry_after: float = 0.0) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after


class Request(NamedTuple):
    """A parsed, validated invocation (a NamedTuple: no dataclasses import on the cold path)."""

    operation: str
    version: str
    connector_id: str
    auth: dict[str, Any]
    payload: dict[str, Any]
    continuation: int | None = None  # c2cContinuation.page: this connector invoked itself to go on

    def text(self, key: str, pattern: re.Pattern[str]) -> str:
        """A required string payload field matching ``pattern`` (else a 400)."""
        value = self.payload.get(key)
        if not isinstance(value, str) or not pattern.fullmatch(value):
            raise ConnectorError(400, f"payload.{key} is missing or malformed")
        return value

    def log_fields(self) -> dict[str, Any]:
        """The ids worth a log line (never tokens or user ids)."""
        return {
            "operation": self.operation,
            "connectorId": self.connector_id,
            "traceId": _str_or_none(self.payload.get("traceId")),
            "deviceDiscoveryId": _str_or_none(self.payload.get("deviceDiscoveryId")),
            "connectorDeviceId": _str_or_none(self.payload.get("connectorDeviceId")),
            **({"continuation": self.continuation} if self.continuation else {}),
        }


def _str_or_none(value: Any) -> str | None:
    return value[:256] if isinstance(value, str) else None


def _section(event: Any, name: str) -> dict[str, Any]:
    section = event.get(name) if isinstance(event, dict) else None
    if not isinstance(section, dict):
        raise ConnectorError(400, f"malformed request: '{name}' must be an object")
    return section


def parse_request(event: Any) -> Request:
    """Validate the envelope of contract §2.2.

    Raises:
        ConnectorError: 400 for a malformed envelope or an unknown operation.
    """
    header, payload = _section(event, "header"), _section(event, "payload")
    operation = payload.get("operationName")
    if operation not in OPERATIONS:
        raise ConnectorError(
            400, f"unsupported operationName {str(operation)[:64]!r}; expected one of {', '.join(OPERATIONS)}"
        )
    connector_id = payload.get("connectorId")
    if not isinstance(connector_id, str) or not CONNECTOR_ID.fullmatch(connector_id):
        raise ConnectorError(400, "payload.connectorId is missing or malformed")
    auth = header.get("auth")
    if not isinstance(auth, dict) or auth.get("type") not in AUTH_TYPES:
        raise ConnectorError(400, f"header.auth.type must be one of {', '.join(AUTH_TYPES)}")
    version = payload.get("operationVersion")
    continuation = _continuation(event, operation)
    return Request(operation, version if isinstance(version, str) else "", connector_id, auth, payload, continuation)


def _continuation(event: dict[str, Any], operation: str) -> int | None:
    """``c2cContinuation.page`` of a discovery's self-invocation (never sent by the service)."""
    if "c2cContinuation" not in event:
        return None
    section = event["c2cContinuation"]
    page = section.get("page") if isinstance(section, dict) else None
    if operation != "AWS.DiscoverDevices" or not isinstance(page, int) or isinstance(page, bool) or page < 1:
        raise ConnectorError(400, "malformed request: c2cContinuation must be {'page': n} on AWS.DiscoverDevices")
    return page


def ack(code: int = 200, message: str | None = None, **payload: Any) -> dict[str, Any]:
    """The synchronous response of contract §2.3."""
    body = {k: v for k, v in payload.items() if v is not None}
    if message:
        body["responseMessage"] = message
    return {"header": {"responseCode": code}, "payload": body}
