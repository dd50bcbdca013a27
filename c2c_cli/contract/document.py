"""Validate any contract document: recognise its kind, run every check, apply ``--strict``/``--lenient``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from c2c_cli.contract.ack import check_ack
from c2c_cli.contract.envelope import check_request
from c2c_cli.contract.events import check_event
from c2c_cli.contract.model import model, validate_input
from c2c_cli.contract.rules import violation
from c2c_cli.errors import UsageError
from c2c_cli.violation import Violation, has_errors, sort_violations

__all__ = ["KINDS", "Report", "check_kind", "detect_kind", "validate_document"]

_OPS = {
    "activate-user": "AWS.ActivateUser",
    "discover-devices": "AWS.DiscoverDevices",
    "send-command": "AWS.SendCommand",
    "deactivate-user": "AWS.DeactivateUser",
}
_EVENTS = {
    "event.device-discovery": "DEVICE_DISCOVERY",
    "event.device-command-response": "DEVICE_COMMAND_RESPONSE",
    "event.device-event": "DEVICE_EVENT",
    "event.device-command-request": "DEVICE_COMMAND_REQUEST",
}
# "response" is the generic ACK of DiscoverDevices / SendCommand / DeactivateUser, used when a response's
# operation cannot be told from the document (only ActivateUser's ACK carries userId).
KINDS: tuple[str, ...] = (
    *(f"{op}.{part}" for op in _OPS for part in ("request", "response")),
    *_EVENTS,
    "response",
)


@dataclass(frozen=True)
class Report:
    """The outcome of validating one document."""

    kind: str
    violations: tuple[Violation, ...]

    @property
    def valid(self) -> bool:
        """No error-severity violation (warnings allowed)."""
        return not has_errors(self.violations)

    def to_json(self) -> dict[str, Any]:
        """The documented ``--json`` shape of ``c2c validate``."""
        return {"kind": self.kind, "valid": self.valid, "violations": [v.to_json() for v in self.violations]}


def detect_kind(doc: Any) -> str | None:
    """The kind of a document, or ``None`` when it is none of :data:`KINDS`."""
    if not isinstance(doc, dict):
        return None
    if "Operation" in doc:
        by_op = {op: kind for kind, op in _EVENTS.items()}
        return by_op.get(str(doc["Operation"]), "event.device-event")
    payload: dict[str, Any] = doc["payload"] if isinstance(doc.get("payload"), dict) else {}
    header: dict[str, Any] = doc["header"] if isinstance(doc.get("header"), dict) else {}
    if "operationName" in payload or "auth" in header:
        by_name = {name: f"{slug}.request" for slug, name in _OPS.items()}
        return by_name.get(str(payload.get("operationName")), "send-command.request")
    if "responseCode" in header:
        return "activate-user.response" if "userId" in payload else "response"
    return None


def validate_document(
    doc: Any, kind: str | None = None, *, strict: bool = False, lenient: bool = False
) -> Report:
    """Validate a parsed document of any kind.

    Args:
        doc: the parsed JSON.
        kind: one of :data:`KINDS`; ``None`` auto-detects.
        strict: turn every warning into an error.
        lenient: relax the unknown-shape errors of contract.md §5.4 to warnings.
    """
    check_kind(kind)
    detected = kind or detect_kind(doc)
    if detected is None:
        found = [
            violation(
                "input.kind",
                "$",
                "not a request, response or SendConnectorEvent body",
                "pass --kind KIND (c2c validate --help lists the kinds)",
            )
        ]
        return Report("unknown", tuple(found))
    found = _check(doc, detected, lenient)
    if strict:
        found = [v.as_error() for v in found]
    return Report(detected, tuple(sort_violations(found, doc)))


def check_kind(kind: str | None) -> None:
    """Refuse a ``--kind`` that is none of :data:`KINDS` nor ``api.<Operation>``.

    Raises:
        UsageError: naming the kinds there are.
    """
    if kind is not None and kind not in KINDS and not _is_api_kind(kind):
        raise UsageError(
            f"unknown kind {kind!r}",
            hint=f"use one of: {', '.join(KINDS)}, or api.<Operation> (e.g. api.CreateCloudConnector)",
        )


def _is_api_kind(kind: str) -> bool:
    return kind.startswith("api.") and kind[4:] in model()["x-operations"]


def _check(doc: Any, kind: str, lenient: bool) -> list[Violation]:
    if kind.startswith("api."):
        # Any API request of the service in boto3-keyword form (registration payloads, contract.md §7).
        return validate_input(kind[4:], doc)
    if kind in _EVENTS:
        found = check_event(doc, lenient=lenient, path_connector_id=False)
        expected = _EVENTS[kind]
        if isinstance(doc, dict) and "Operation" in doc and doc["Operation"] != expected:
            found.append(
                violation(
                    "request.operation-mismatch",
                    "$.Operation",
                    f"expected {expected}, got {doc['Operation']}",
                    "validate with the right --kind",
                )
            )
        return found
    if kind == "response":
        return check_ack(doc)
    slug, part = kind.split(".")
    operation = _OPS[slug]
    if part == "request":
        return check_request(doc, operation, lenient=lenient)
    return check_ack(doc, operation)
