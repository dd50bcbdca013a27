"""Model-level validation: any value against any shape of the botocore model (contract.md §4.2–4.3).

The constraints live in ``schemas/model.schema.json`` (:mod:`.schema`), generated from botocore's service
model by ``scripts/gen_contract_schemas.py`` (drift-tested). :func:`validate_shape` runs the compiled
validator of :mod:`.compiled`, whose ``pattern`` matches the *whole* value (contract.md §4.2 "Pattern
semantics"). A differential property test (``tests/unit/contract/test_contract_compiled.py``) keeps it
equal to jsonschema itself. Every failure is a :class:`~c2c_cli.violation.Violation` whose rule is the
model shape name.
"""

from __future__ import annotations

from typing import Any

from c2c_cli.contract.compiled import compiled_shape
from c2c_cli.contract.memo import Extra, walk
from c2c_cli.contract.schema import model, operation
from c2c_cli.violation import Violation

__all__ = ["model", "operation", "validate_input", "validate_shape"]


def validate_shape(
    shape_name: str, value: Any, path: str = "$", *, extras: tuple[tuple[str, Extra], ...] = ()
) -> list[Violation]:
    """Every model violation of ``value`` against the shape ``shape_name``.

    Args:
        shape_name: a model shape, e.g. ``SendConnectorEventRequest`` or ``ThirdPartyUserId``.
        value: any JSON value.
        path: JSON path of ``value`` in its document, prefixed to every violation's path.
        extras: ``(shape, extra)`` pairs: more checks of every object value of that shape, run in the same
            walk and memoised with it (see :func:`~c2c_cli.contract.compiled.compiled_shape`).

    Returns:
        All violations, never just the first; empty when valid.
    """
    return walk(compiled_shape(shape_name, extras), value, path)


def validate_input(operation_name: str, params: Any) -> list[Violation]:
    """Model violations of an operation's input in boto3-keyword form (path and query members included)."""
    shape = operation(operation_name)["input"]
    if shape is None:
        return []
    return validate_shape(shape, params)
