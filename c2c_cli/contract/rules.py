"""The toolkit's contract rules beyond the model, each with a stable id (docs are generated from this table).

Model violations use the model shape name as their rule (e.g. ``ThirdPartyUserId``); Matter rules live in
:data:`c2c_cli.matter.RULES`. A rule id never changes meaning once published.
"""

from __future__ import annotations

from typing import NamedTuple

from c2c_cli.violation import ERROR, WARNING, Severity, Violation

__all__ = ["RULES", "Rule", "violation"]


class Rule(NamedTuple):
    """One contract rule: default severity, what it checks, where the spec says so."""

    severity: Severity
    summary: str
    section: str


RULES: dict[str, Rule] = {
    # Lambda request envelope, contract.md §2.2
    "request.shape": Rule(ERROR, "a request is an object with header and payload objects", "§2.2"),
    "request.auth-type": Rule(ERROR, "header.auth.type is OAuth2.0 or GeneralAuthorization", "§2.2"),
    "request.auth-token": Rule(ERROR, "OAuth2.0 requests carry a non-empty token", "§2.2"),
    "request.auth-secret": Rule(
        ERROR, "GeneralAuthorization requests carry secretsManager {arn, versionId}", "§2.2"
    ),
    "request.auth-exclusive": Rule(ERROR, "header.auth carries only the member of its type", "§2.2"),
    "request.token-format": Rule(WARNING, "token strings are Base64/Base64url (JWTs pass)", "§6.1 #6"),
    "request.operation-name": Rule(ERROR, "operationName is one of the four operations", "§2.2"),
    "request.operation-mismatch": Rule(ERROR, "operationName matches the kind being validated", "§2.2"),
    "request.operation-version": Rule(ERROR, "operationVersion is a string of [0-9.]+", "§2.2, §9 #6"),
    "request.missing-field": Rule(ERROR, "the operation's required payload fields are present", "§3"),
    "request.unknown-field": Rule(WARNING, "payload fields the operation does not define", "§2.2"),
    "request.field-type": Rule(ERROR, "payload fields have the documented JSON type", "§3"),
    # ACK, contract.md §2.3-2.4
    "ack.shape": Rule(ERROR, "an ACK is an object with header (and optional payload) objects", "§2.3"),
    "ack.response-code-type": Rule(
        ERROR, "header.responseCode is a JSON integer (not bool or string)", "§2.3"
    ),
    "ack.response-code-range": Rule(ERROR, "responseCode is 100-599", "§2.4"),
    "ack.response-code-2xx": Rule(WARNING, "a 2xx other than 200 is unusual; 200 means accepted", "§2.4"),
    "ack.error-message": Rule(WARNING, "a non-200 ACK explains itself in payload.responseMessage", "§2.4"),
    "ack.response-message-type": Rule(ERROR, "payload.responseMessage is a string", "§2.3"),
    "ack.user-id-required": Rule(ERROR, "AWS.ActivateUser's 200 ACK carries payload.userId", "§2.3, §3.1"),
    "ack.user-id-echoable": Rule(ERROR, "userId fits ThirdPartyUserId (it is echoed as UserId)", "§2.3"),
    # SendConnectorEvent beyond the model, contract.md §4.4-4.7
    "event.connector-id-in-body": Rule(
        WARNING, "ConnectorId is a path parameter, not a body member", "§4.1, §9 #7"
    ),
    "event.required-member": Rule(ERROR, "members the event type requires (§4.4 'req.')", "§4.4"),
    "event.recommended-member": Rule(WARNING, "members the event type should carry (§4.4 'rec.')", "§4.4"),
    "event.unexpected-member": Rule(WARNING, "members the event type does not use (§4.4 '—')", "§4.4"),
    "event.connector-device-id": Rule(
        WARNING, "command responses and device events name the device (API examples omit it)", "§4.4"
    ),
    "event.discovery-status": Rule(
        ERROR, "DEVICE_DISCOVERY StatusCode is 200 (final), 3xx (more) or >= 400", "§3.2, §9 #19"
    ),
    "event.empty-discovery": Rule(WARNING, "a final discovery page with no devices", "§3.2"),
    "event.duplicate-device": Rule(ERROR, "a ConnectorDeviceId appears once per discovery event", "§4.5"),
    "event.status-code": Rule(WARNING, "StatusCode 200 means success; others report a failure", "§4.4"),
    "event.attribute-id": Rule(
        ERROR, "every capability-report attribute carries an id (toolkit rule)", "§4.5"
    ),
    "event.command-request-undocumented": Rule(
        WARNING, "DEVICE_COMMAND_REQUEST has no documented payload: model-only checks", "§4.4, §9 #18"
    ),
    "event.commands-list-shape": Rule(
        ERROR, "event commands/events are maps, not lists (boto3 rejects lists)", "§5.4, §9 #1"
    ),
    # Correlation, checked by the simulator and emulator, contract.md §3, §4.7
    "correlation.discovery-id": Rule(
        ERROR, "DeviceDiscoveryId equals the request's deviceDiscoveryId", "§3.2"
    ),
    "correlation.trace-id": Rule(ERROR, "a command response carries the request's traceId", "§3.3"),
    "correlation.user-id": Rule(WARNING, "UserId equals ActivateUser's userId", "§4.7, §9 #9"),
    "correlation.device-filter": Rule(
        ERROR, "discovery with a filter reports only the listed devices", "§3.2"
    ),
    "input.json": Rule(ERROR, "the document is valid JSON", "-"),
    "input.kind": Rule(ERROR, "the document's kind can be recognised", "-"),
}


def violation(
    rule: str, path: str, message: str, hint: str = "", *, severity: Severity | None = None
) -> Violation:
    """A violation of a registered rule, with the rule's default severity."""
    return Violation(path, message, rule, severity or RULES[rule].severity, hint)
