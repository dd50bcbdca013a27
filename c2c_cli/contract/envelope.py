"""Lambda invocation requests, service -> connector (contract.md §2-§3); their ACKs are in :mod:`.ack`.

The envelope is not in the botocore model; values that map onto model shapes (``connectorId`` ->
``ConnectorId``, ``traceId`` -> ``TraceId``, ``userId`` -> ``ThirdPartyUserId``, ``secretsManager`` ->
``SecretsManager``) are checked against those shapes.
"""

from __future__ import annotations

import re
from typing import Any

from c2c_cli.contract.model import validate_shape
from c2c_cli.contract.rules import violation
from c2c_cli.violation import Violation

__all__ = ["OPERATIONS", "check_request"]

# contract.md §2.2: the four operations and the documented operationVersion values (§9 #6).
OPERATIONS: dict[str, str] = {
    "AWS.ActivateUser": "1.0.0",
    "AWS.DiscoverDevices": "1.0",
    "AWS.SendCommand": "1.0",
    "AWS.DeactivateUser": "1.0",
}

_COMMON = ("operationName", "operationVersion", "connectorId")
# contract.md §3: per-operation payload fields: name -> (required, model shape or JSON type)
_FIELDS: dict[str, dict[str, tuple[bool, str]]] = {
    "AWS.ActivateUser": {},
    "AWS.DeactivateUser": {},
    "AWS.DiscoverDevices": {
        "deviceDiscoveryId": (True, "DeviceDiscoveryId"),
        "connectorDeviceIdList": (False, "ConnectorDeviceIdList"),
    },
    "AWS.SendCommand": {
        "connectorDeviceId": (True, "ConnectorDeviceId"),
        "traceId": (True, "TraceId"),
        "endpoints": (True, "matter"),
    },
}
# contract.md §6.1 #6: Base64 / Base64url alphabet plus '=' padding and '.' (JWT separators).
_TOKEN_CHARS = re.compile(r"[A-Za-z0-9+/_\-=.]+")


def check_request(doc: Any, operation: str | None = None, *, lenient: bool = False) -> list[Violation]:
    """Every violation of a Lambda request envelope.

    Args:
        doc: the parsed request.
        operation: the expected ``operationName``; ``None`` takes it from the document.
        lenient: relax Matter shape errors (contract.md §5.4).
    """
    if (
        not isinstance(doc, dict)
        or not isinstance(doc.get("header"), dict)
        or not isinstance(doc.get("payload"), dict)
    ):
        return [
            violation(
                "request.shape",
                "$",
                'expected {"header": {...}, "payload": {...}}',
                "wrap the request in header and payload objects",
            )
        ]
    out = _check_auth(doc["header"].get("auth"))
    payload = doc["payload"]
    name = payload.get("operationName")
    out.extend(_check_common(payload, operation))
    if name in _FIELDS:
        out.extend(_check_fields(payload, str(name), lenient))
    return out


def _check_auth(auth: Any) -> list[Violation]:
    path = "$.header.auth"
    if not isinstance(auth, dict):
        return [
            violation(
                "request.auth-type",
                path,
                "header.auth is missing or not an object",
                'add {"type": "OAuth2.0", "token": "..."}',
            )
        ]
    kind = auth.get("type")
    if kind == "OAuth2.0":
        return _check_oauth(auth, path)
    if kind == "GeneralAuthorization":
        return _check_general(auth, path)
    return [
        violation(
            "request.auth-type",
            f"{path}.type",
            f"{kind!r} is not a known auth type",
            "use exactly OAuth2.0 or GeneralAuthorization",
        )
    ]


def _check_oauth(auth: dict[str, Any], path: str) -> list[Violation]:
    out = []
    token = auth.get("token")
    if not isinstance(token, str) or not token:
        out.append(
            violation(
                "request.auth-token",
                f"{path}.token",
                "OAuth2.0 auth needs a non-empty token",
                "pass the end user's access token",
            )
        )
    elif not _TOKEN_CHARS.fullmatch(token):
        out.append(
            violation(
                "request.token-format",
                f"{path}.token",
                "token has characters outside the Base64/Base64url alphabet",
                "issue Base64-encoded tokens (contract.md §6.1 #6)",
            )
        )
    if "secretsManager" in auth:
        out.append(
            violation(
                "request.auth-exclusive",
                f"{path}.secretsManager",
                "secretsManager must be absent with OAuth2.0",
                "remove secretsManager",
            )
        )
    return out


def _check_general(auth: dict[str, Any], path: str) -> list[Violation]:
    out = []
    ref = auth.get("secretsManager")
    if not isinstance(ref, dict):
        out.append(
            violation(
                "request.auth-secret",
                f"{path}.secretsManager",
                "GeneralAuthorization needs secretsManager {arn, versionId}",
                "add the secret's ARN and versionId",
            )
        )
    else:
        out.extend(validate_shape("SecretsManager", ref, f"{path}.secretsManager"))
    if "token" in auth:
        out.append(
            violation(
                "request.auth-exclusive",
                f"{path}.token",
                "token must be absent with GeneralAuthorization",
                "remove token",
            )
        )
    return out


def _check_common(payload: dict[str, Any], operation: str | None) -> list[Violation]:
    out = []
    for field in _COMMON:
        if field not in payload:
            out.append(
                violation(
                    "request.missing-field",
                    f"$.payload.{field}",
                    f"{field} is missing",
                    f"add payload.{field} (contract.md §2.2)",
                )
            )
    name = payload.get("operationName")
    if "operationName" in payload and name not in OPERATIONS:
        out.append(
            violation(
                "request.operation-name",
                "$.payload.operationName",
                f"{name!r} is not an operation",
                f"use one of {', '.join(OPERATIONS)}",
            )
        )
    elif operation is not None and name is not None and name != operation:
        out.append(
            violation(
                "request.operation-mismatch",
                "$.payload.operationName",
                f"expected {operation}, got {name}",
                "validate with the right --kind",
            )
        )
    version = payload.get("operationVersion")
    if "operationVersion" in payload and not (isinstance(version, str) and re.fullmatch(r"[0-9.]+", version)):
        out.append(
            violation(
                "request.operation-version",
                "$.payload.operationVersion",
                f"{version!r} is not a version string",
                'use e.g. "1.0"',
            )
        )
    if "connectorId" in payload:
        out.extend(validate_shape("ConnectorId", payload["connectorId"], "$.payload.connectorId"))
    return out


def _check_fields(payload: dict[str, Any], name: str, lenient: bool) -> list[Violation]:
    out = []
    fields = _FIELDS[name]
    for field, (required, shape) in fields.items():
        path = f"$.payload.{field}"
        if field not in payload:
            if required:
                out.append(
                    violation(
                        "request.missing-field",
                        path,
                        f"{name} needs {field}",
                        f"add payload.{field} (contract.md §3)",
                    )
                )
        elif shape == "matter":
            from c2c_cli.matter import lint_command_endpoints

            out.extend(lint_command_endpoints(payload[field], path, lenient=lenient))
        else:
            out.extend(validate_shape(shape, payload[field], path))
    for field in payload:
        if field not in fields and field not in _COMMON:
            out.append(
                violation(
                    "request.unknown-field",
                    f"$.payload.{field}",
                    f"{name} defines no {field}",
                    "connectors ignore unknown fields; remove it",
                )
            )
    return out
