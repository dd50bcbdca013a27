"""Model-level validation: any value against any shape of the botocore model (contract.md §4.2–4.3).

The constraints live in ``schemas/model.schema.json``, generated from botocore's service model by
``scripts/gen_contract_schemas.py`` (drift-tested). :func:`validate_shape` runs the compiled validator of
:mod:`.compiled`; :func:`reference_violations` runs jsonschema itself with one change: ``pattern`` must match
the *whole* value (contract.md §4.2 "Pattern semantics"), where JSON Schema would search. A differential
property test keeps both equal. Every failure is a :class:`~c2c_cli.violation.Violation` whose rule is the
model shape name.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

from c2c_cli.violation import Violation, child_path

__all__ = ["json_path", "model", "operation", "reference_violations", "validate_input", "validate_shape"]

_SCHEMA_FILE = "model.schema.json"


@cache
def model() -> dict[str, Any]:
    """The generated model document (``$defs``, ``x-operations``, ``x-errors``)."""
    text = resources.files("c2c_cli.contract").joinpath("schemas", _SCHEMA_FILE).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def operation(name: str) -> dict[str, Any]:
    """The ``x-operations`` entry of one operation (http binding, shapes, errors, locations).

    Raises:
        KeyError: when the model has no such operation.
    """
    entry: dict[str, Any] = model()["x-operations"][name]
    return entry


@cache
def _validator(shape_name: str) -> Any:
    import jsonschema
    from jsonschema import validators

    def fullmatch_pattern(
        validator: Any, pattern: str, instance: Any, _schema: dict[str, Any]
    ) -> Iterator[Any]:
        if validator.is_type(instance, "string") and not _compiled(pattern).fullmatch(instance):
            yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")

    cls = validators.extend(  # type: ignore[no-untyped-call]
        jsonschema.Draft202012Validator, validators={"pattern": fullmatch_pattern}
    )
    doc = model()
    if shape_name not in doc["$defs"]:
        raise KeyError(shape_name)
    root = {"$defs": doc["$defs"], "$ref": f"#/$defs/{shape_name}"}
    return cls(root)


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def json_path(base: str, parts: Any) -> str:
    """Append jsonschema path parts to a JSON path: ``$`` + ``["a", 0, "b"]`` -> ``$.a[0].b``."""
    out = base
    for part in parts:
        out = child_path(out, part)
    return out


def validate_shape(shape_name: str, value: Any, path: str = "$") -> list[Violation]:
    """Every model violation of ``value`` against the shape ``shape_name``.

    Args:
        shape_name: a model shape, e.g. ``SendConnectorEventRequest`` or ``ThirdPartyUserId``.
        value: any JSON value.
        path: JSON path of ``value`` in its document, prefixed to every violation's path.

    Returns:
        All violations, never just the first; empty when valid.
    """
    from c2c_cli.contract.compiled import compiled_shape

    out: list[Violation] = []
    compiled_shape(shape_name)(value, path, out)
    return out


def reference_violations(shape_name: str, value: Any, path: str = "$") -> list[Violation]:
    """The same check done by jsonschema itself: the reference the compiled validator is tested against."""
    validator = _validator(shape_name)
    out: list[Violation] = []
    for error in validator.iter_errors(value):
        out.extend(_to_violations(error, path))
    return out


def validate_input(operation_name: str, params: Any) -> list[Violation]:
    """Model violations of an operation's input in boto3-keyword form (path and query members included)."""
    shape = operation(operation_name)["input"]
    if shape is None:
        return []
    return validate_shape(shape, params)


def _to_violations(error: Any, base: str) -> list[Violation]:
    from c2c_cli.contract.hints import describe

    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    shape = schema.get("x-shape", "model")
    sensitive = bool(schema.get("x-sensitive"))
    path = json_path(base, error.absolute_path)
    keyword = error.validator
    instance = error.instance
    if keyword == "required":
        # jsonschema yields one error per missing member: "'Name' is a required property".
        missing = [str(ast.literal_eval(error.message.split(" is a required property")[0]))]
        return [
            Violation(
                json_path(path, [m]),
                f"required member {m} is missing",
                shape,
                hint=f"add {m} ({_member_shape(schema, m)})",
            )
            for m in missing
        ]
    if keyword == "additionalProperties" and schema.get("additionalProperties") is False:
        known = sorted(schema.get("properties", {}))
        extra = [k for k in instance if k not in schema.get("properties", {})]
        return [
            Violation(
                json_path(path, [k]),
                f"unknown member {k} of {shape}",
                shape,
                hint=f"remove it, or fix its spelling (members: {', '.join(known)})",
            )
            for k in extra
        ]
    message, hint = describe(keyword, error.validator_value, instance, schema, sensitive=sensitive)
    if "propertyNames" in error.absolute_schema_path:
        # A map key failed: point at the key itself.
        path = json_path(path, [instance])
        message = f"key {message}"
    value = "<redacted>" if sensitive else instance
    return [Violation(path, message, shape, hint=hint, value=value)]


def _member_shape(schema: dict[str, Any], member: str) -> str:
    ref = schema.get("properties", {}).get(member, {}).get("$ref", "")
    return str(ref).rsplit("/", 1)[-1] or "see the model"
