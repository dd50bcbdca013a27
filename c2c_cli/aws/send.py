"""``c2c events send``: build or read a ``SendConnectorEvent``, validate it strictly, send it with boto3.

The request is SigV4-signed by boto3 with the caller's credentials; only the account that registered the
connector may send (contract.md §4.1). ``ConnectorId`` is the URI parameter: one found in a body is moved
there (§9 #7, with a warning). boto3 skips maximums, patterns and enums (§4.3), so the toolkit enforces
the whole model plus the per-event rules first (§9 #27); ``--no-validate`` bypasses that.

Simulation capture format (``--from-simulation FILE``, written by ``c2c simulate``)::

    {"events": [{"body": {<SendConnectorEvent input, ConnectorId optional>}, ...}, ...]}

Each item may carry other keys (e.g. ``"at"``); only ``body`` is read. Events are replayed in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from c2c_cli.aws.session import call
from c2c_cli.errors import ContractError, UsageError

if TYPE_CHECKING:
    from c2c_cli.aws.session import IotClient

__all__ = [
    "KIND_ALIASES",
    "PreparedEvent",
    "SentEvent",
    "build_event",
    "collect_events",
    "load_simulation",
    "prepare_event",
    "resolve_kind",
    "send_event",
]

KIND_ALIASES = {
    "discovery": "event.device-discovery",
    "command-response": "event.device-command-response",
    "device-event": "event.device-event",
    "command-request": "event.device-command-request",
}
_CONNECTOR_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True)
class PreparedEvent:
    """One event ready to send.

    Attributes:
        kind: its contract kind (``event.device-discovery``...).
        params: boto3 keywords, ``ConnectorId`` included.
        warnings: notes for stderr (e.g. ConnectorId moved out of the body).
    """

    kind: str
    params: dict[str, Any] = field(repr=False)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class SentEvent:
    """The service's answer to one event."""

    kind: str
    operation: str
    connector_id: str
    http_status: int
    request_id: str

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` form."""
        return {
            "kind": self.kind,
            "operation": self.operation,
            "connector_id": self.connector_id,
            "http_status": self.http_status,
            "request_id": self.request_id,
        }


def resolve_kind(kind: str) -> str:
    """``discovery`` → ``event.device-discovery``; full event kinds pass through.

    Raises:
        UsageError: for anything but a SendConnectorEvent kind.
    """
    full = KIND_ALIASES.get(kind, kind)
    if full not in KIND_ALIASES.values():
        choices = ", ".join([*KIND_ALIASES, *KIND_ALIASES.values()])
        raise UsageError(f"unknown event kind {kind!r}", hint=f"use one of: {choices}")
    return full


def build_event(
    kind: str,
    *,
    document: dict[str, Any] | None = None,
    assignments: list[str] | None = None,
    devices: int = 1,
) -> dict[str, Any]:
    """A sample event of ``kind`` (or ``document``) with ``--set`` overrides applied."""
    from c2c_cli.contract.builders import apply_overrides
    from c2c_cli.contract.samples import new_sample

    base = document if document is not None else new_sample(kind, devices=devices)
    return apply_overrides(base, assignments or [])


def prepare_event(body: Any, kind: str, connector_id: str | None, *, validate: bool = True) -> PreparedEvent:
    """Move ``ConnectorId`` to the path parameter, then validate strictly.

    Args:
        body: the event body (a file's or a sample's).
        kind: its contract kind.
        connector_id: ``--connector-id`` (wins over the body's) or the registered one.
        validate: refuse an invalid event (``--no-validate`` turns it off).

    Raises:
        UsageError: no usable connector id, or a body that is not a JSON object.
        ContractError: the event breaks the model or the contract's rules (every violation listed).
    """
    if not isinstance(body, dict):
        raise UsageError("the event must be a JSON object")
    rest = {k: v for k, v in body.items() if k != "ConnectorId"}
    warnings = []
    if "ConnectorId" in body:
        warnings.append("ConnectorId in the body moved to the URI parameter (contract.md §9 #7)")
    chosen = connector_id or body.get("ConnectorId")
    if not chosen:
        raise UsageError(
            "no connector id", hint="Pass --connector-id, or run 'c2c register' in this project first."
        )
    if not _CONNECTOR_ID.fullmatch(str(chosen)):
        raise UsageError(f"connector id {chosen!r} is not 1-64 of [A-Za-z0-9-_] (contract.md §4.2)")
    if validate:
        _check(rest, kind)
    return PreparedEvent(kind, {"ConnectorId": str(chosen), **rest}, tuple(warnings))


def _check(body: dict[str, Any], kind: str) -> None:
    from c2c_cli.contract import validate_document

    report = validate_document(body, kind, strict=True)
    if report.valid:
        return
    lines = [f"{v.path}: {v.message} [{v.rule}]" for v in report.violations if v.severity == "error"]
    count = len(lines)
    raise ContractError(
        f"refusing to send an invalid {kind} ({count} violation{'s' if count != 1 else ''}):\n"
        + "\n".join(f"  - {line}" for line in lines),
        hint="Fix the event (c2c validate shows hints), or pass --no-validate to send it anyway.",
    )


def send_event(iot: IotClient, event: PreparedEvent) -> SentEvent:
    """Send one event with boto3's ``send_connector_event``.

    Raises:
        AwsError: the service refused it; an access-denied answer means the signer is not the account
            that registered the connector.
    """
    from c2c_cli.errors import AwsError

    try:
        answer = call(iot.send_connector_event, **event.params)
    except AwsError as exc:
        if exc.code == "AccessDeniedException":
            exc.hint = (
                "SendConnectorEvent must be signed with credentials of the account that registered the "
                "connector (contract.md §4.1); check --profile / AWS_PROFILE."
            )
        raise
    meta = answer.get("ResponseMetadata", {})
    return SentEvent(
        event.kind,
        str(event.params.get("Operation")),
        str(answer.get("ConnectorId") or event.params["ConnectorId"]),
        int(meta.get("HTTPStatusCode", 0)),
        str(meta.get("RequestId", "")),
    )


def load_simulation(path: Path) -> list[dict[str, Any]]:
    """The bodies of a simulation capture (format in the module docstring).

    Raises:
        UsageError: unreadable file or wrong shape.
    """
    from c2c_cli.contract import read_json

    data, _name = read_json(path)
    events = data.get("events") if isinstance(data, dict) else None
    if not isinstance(events, list) or not all(
        isinstance(e, dict) and isinstance(e.get("body"), dict) for e in events
    ):
        raise UsageError(
            f"{path} is not a simulation capture",
            hint='Expected {"events": [{"body": {...}}, ...]} as written by c2c simulate.',
        )
    return [e["body"] for e in events]


def collect_events(
    kind: str,
    *,
    connector_id: str | None,
    file: Path | None = None,
    assignments: list[str] | None = None,
    from_simulation: Path | None = None,
    validate: bool = True,
    devices: int = 1,
) -> list[PreparedEvent]:
    """The events one ``c2c events send`` invocation sends, each prepared and validated.

    Args:
        kind: an event kind or alias.
        connector_id: the connector to send for (None: each body's own ``ConnectorId``).
        file: a JSON body to send instead of a sample.
        assignments: ``--set PATH=VALUE`` overrides.
        from_simulation: replay the captured events of ``kind`` from a simulation capture.
        validate: strict validation first (``--no-validate`` turns it off).
        devices: devices in a sample DEVICE_DISCOVERY.

    Raises:
        UsageError: conflicting sources, unreadable files, no events of ``kind`` in the capture.
        ContractError: an invalid event (nothing is sent).
    """
    from c2c_cli.contract import detect_kind, read_json

    full = resolve_kind(kind)
    if file is not None and from_simulation is not None:
        raise UsageError("use --file or --from-simulation, not both")
    if from_simulation is None:
        document = read_json(file)[0] if file is not None else None
        body = build_event(full, document=document, assignments=assignments, devices=devices)
        return [prepare_event(body, full, connector_id, validate=validate)]
    bodies = [b for b in load_simulation(from_simulation) if detect_kind(b) == full]
    if not bodies:
        raise UsageError(f"{from_simulation} holds no {full} events")
    return [
        prepare_event(
            build_event(full, document=b, assignments=assignments), full, connector_id, validate=validate
        )
        for b in bodies
    ]
