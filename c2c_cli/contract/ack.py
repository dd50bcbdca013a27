"""ACKs: the connector's synchronous answer to a Lambda invocation (contract.md §2.3-2.4).

``{"header": {"responseCode": 200}, "payload": {...}}``; ``AWS.ActivateUser``'s ACK carries the ``userId``
the service echoes as ``UserId`` (model shape ``ThirdPartyUserId``).
"""

from __future__ import annotations

from typing import Any

from c2c_cli.contract.model import validate_shape
from c2c_cli.contract.rules import violation
from c2c_cli.violation import Violation

__all__ = ["check_ack"]


def check_ack(doc: Any, operation: str | None = None) -> list[Violation]:
    """Every violation of an ACK (synchronous response), contract.md §2.3-2.4.

    Args:
        doc: the parsed response.
        operation: the operation it answers (``AWS.ActivateUser`` requires ``userId``); ``None`` = generic.
    """
    if not isinstance(doc, dict) or not isinstance(doc.get("header"), dict):
        return [
            violation(
                "ack.shape",
                "$",
                'expected {"header": {"responseCode": 200}, "payload": {...}}',
                "return the ACK envelope",
            )
        ]
    payload = doc.get("payload", {})
    if not isinstance(payload, dict):
        return [violation("ack.shape", "$.payload", "payload must be an object", "return a payload object")]
    code = doc["header"].get("responseCode")
    out = _check_code(code, payload)
    message = payload.get("responseMessage")
    if message is not None and not isinstance(message, str):
        out.append(
            violation(
                "ack.response-message-type",
                "$.payload.responseMessage",
                "responseMessage must be a string",
                "send a plain-text message",
            )
        )
    if operation == "AWS.ActivateUser" and code == 200:
        out.extend(_check_user_id(payload))
    return out


def _check_code(code: Any, payload: dict[str, Any]) -> list[Violation]:
    path = "$.header.responseCode"
    if isinstance(code, bool) or not isinstance(code, int):
        return [
            violation(
                "ack.response-code-type",
                path,
                f"responseCode must be a JSON integer, got {code!r}",
                'return e.g. 200, not "200" or true',
            )
        ]
    if not 100 <= code <= 599:
        return [
            violation(
                "ack.response-code-range", path, f"{code} is outside 100-599", "use an HTTP status code"
            )
        ]
    out = []
    if 200 < code < 300:
        out.append(violation("ack.response-code-2xx", path, f"{code} is not 200", "use 200 for accepted"))
    if code != 200 and not payload.get("responseMessage"):
        out.append(
            violation(
                "ack.error-message",
                "$.payload.responseMessage",
                f"a {code} ACK without a responseMessage",
                "say what went wrong",
            )
        )
    return out


def _check_user_id(payload: dict[str, Any]) -> list[Violation]:
    if "userId" not in payload:
        return [
            violation(
                "ack.user-id-required",
                "$.payload.userId",
                "AWS.ActivateUser must return userId",
                "return the third-party user id (JWT sub or the vendor's /me)",
            )
        ]
    problems = validate_shape("ThirdPartyUserId", payload["userId"], "$.payload.userId")
    return [
        violation("ack.user-id-echoable", p.path, f"userId cannot be echoed as UserId: {p.message}", p.hint)
        for p in problems
    ]
