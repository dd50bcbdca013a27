"""The C2C connector contract (contract.md): every message, every constraint, every rule.

How it works: ``schemas/model.schema.json`` is generated from botocore's ``iot-managed-integrations``
model (``scripts/gen_contract_schemas.py``, drift-tested) and holds the model's full constraint set;
:mod:`.model` validates any value against any shape with whole-value patterns. :mod:`.envelope` checks the
Lambda requests and :mod:`.ack` their ACKs (neither is in the model), :mod:`.events` the per-event-type rules of
``SendConnectorEvent`` plus the Matter lint, and :mod:`.document` recognises a document's kind and applies
``--strict`` / ``--lenient``; :mod:`.reading` is the one strict JSON reader of the commands that take a
document. Every check returns :class:`~c2c_cli.violation.Violation` values, never raises.
"""

from __future__ import annotations

from typing import Any

from c2c_cli.contract.ack import check_ack
from c2c_cli.contract.document import KINDS, Report, check_kind, detect_kind, validate_document
from c2c_cli.contract.envelope import OPERATIONS, check_request
from c2c_cli.contract.events import EVENT_OPERATIONS, check_event
from c2c_cli.contract.model import model, operation, validate_input, validate_shape
from c2c_cli.contract.reading import parse_json, read_json
from c2c_cli.contract.rules import RULES, Rule
from c2c_cli.violation import Violation

__all__ = [
    "EVENT_OPERATIONS",
    "KINDS",
    "OPERATIONS",
    "RULES",
    "Report",
    "Rule",
    "check_ack",
    "check_event",
    "check_kind",
    "check_request",
    "detect_kind",
    "model",
    "operation",
    "parse_json",
    "read_json",
    "validate_document",
    "validate_event",
    "validate_input",
    "validate_shape",
]


def validate_event(params: Any, *, strict: bool = False, lenient: bool = False) -> list[Violation]:
    """A ``SendConnectorEvent`` input (boto3 keywords, ``ConnectorId`` included): model + rules + Matter lint.

    Args:
        params: the input as boto3 sends it (path parameter ``ConnectorId`` merged in).
        strict: every warning becomes an error.
        lenient: relax the unknown-shape errors of contract.md §5.4.

    Returns:
        All violations; callers reject on ``severity == "error"`` only.
    """
    found = check_event(params, lenient=lenient, path_connector_id=True)
    return [v.as_error() for v in found] if strict else found
