"""Check one JSON value against a catalogue type (contract.md §5.4 policy 1, §9 #3).

A numeric string for an integer/enum/float (the docs send FanMode as ``"3"``) is a warning and is then
checked as the number; any other wrong JSON type is an error; an integer outside the enum is an error;
``null`` is fine only where the catalogue says nullable.
"""

from __future__ import annotations

import math
import re
from typing import Any, Protocol

from c2c_cli.matter.rules import make
from c2c_cli.violation import Violation

__all__ = ["Typed", "check_value"]

_INTEGER_TYPES = ("int", "uint", "enum", "bitmap")
_NUMERIC_STRING = re.compile(r"-?[0-9]{1,20}(\.[0-9]{1,20})?")
_EXPECTED = {
    "bool": "true or false",
    "float": "a JSON number",
    "string": "a JSON string",
    "bytes": "a JSON string (encoded bytes)",
    "list": "a JSON array",
    "struct": "a JSON object",
}
_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "bool": (bool,),
    "string": (str,),
    "bytes": (str,),
    "list": (list,),
    "struct": (dict,),
}
_MAX_LISTED = 12


class Typed(Protocol):
    """What :func:`check_value` needs: an :class:`~c2c_cli.matter.catalog.Attribute` or ``Field``."""

    @property
    def name(self) -> str: ...  # noqa: D102
    @property
    def type(self) -> str: ...  # noqa: D102
    @property
    def nullable(self) -> bool: ...  # noqa: D102
    @property
    def enum_values(self) -> dict[int, str] | None: ...  # noqa: D102


def check_value(value: Any, spec: Typed, path: str, what: str) -> list[Violation]:
    """Violations of ``value`` against ``spec``; ``what`` names the element in messages (e.g. ``FanMode (0x0000)``)."""
    if value is None:
        if spec.nullable:
            return []
        return [_wrong(value, spec, path, f"{what} is not nullable")]
    if spec.type in _INTEGER_TYPES or spec.type == "float":
        return _check_number(value, spec, path, what)
    accepted = _JSON_TYPES.get(spec.type)
    if accepted is None or isinstance(value, accepted):
        return []
    return [_wrong(value, spec, path, f"{what} must be {_EXPECTED[spec.type]}")]


def _check_number(value: Any, spec: Typed, path: str, what: str) -> list[Violation]:
    out: list[Violation] = []
    number: int | float
    if isinstance(value, str) and _NUMERIC_STRING.fullmatch(value):
        number = float(value) if "." in value else int(value)
        out.append(
            make(
                "matter.numeric-string",
                path,
                f"{what} is the string {value!r}; the catalogue type is {spec.type}",
                f"send the number {value} without quotes (templates emit numbers)",
                value=value,
            )
        )
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        number = value
    else:
        return [_wrong(value, spec, path, f"{what} must be a number ({spec.type})")]
    return out + _check_integer(number, spec, path, what)


def _check_integer(number: int | float, spec: Typed, path: str, what: str) -> list[Violation]:
    if spec.type == "float":
        return [] if math.isfinite(number) else [_wrong(number, spec, path, f"{what} must be finite")]
    if isinstance(number, float):
        if not number.is_integer():
            return [_wrong(number, spec, path, f"{what} must be an integer ({spec.type})")]
        number = int(number)
    if number < 0 and spec.type != "int":
        return [_wrong(number, spec, path, f"{what} must not be negative ({spec.type})")]
    if spec.type == "enum" and spec.enum_values and number not in spec.enum_values:
        return [
            make(
                "matter.enum-value",
                path,
                f"{number} is not a value of {what}",
                f"use one of: {_list_enum(spec.enum_values)}",
                value=number,
            )
        ]
    return []


def _wrong(value: Any, spec: Typed, path: str, message: str) -> Violation:
    expected = _EXPECTED.get(spec.type, f"an integer ({spec.type})")
    if spec.type == "enum" and spec.enum_values:
        expected = f"one of {_list_enum(spec.enum_values)}"
    null = " or null" if spec.nullable else ""
    return make(
        "matter.value-type",
        path,
        f"{message}, got {_json_type(value)}",
        f"send {expected}{null}",
        value=value,
    )


def _list_enum(values: dict[int, str]) -> str:
    items = [f"{v} ({name})" for v, name in sorted(values.items())]
    more = f", … ({len(items) - _MAX_LISTED} more)" if len(items) > _MAX_LISTED else ""
    return ", ".join(items[:_MAX_LISTED]) + more


def _json_type(value: Any) -> str:
    names = {
        bool: "a boolean",
        str: "a string",
        list: "an array",
        dict: "an object",
        int: "a number",
        float: "a number",
    }
    return "null" if value is None else names.get(type(value), type(value).__name__)
