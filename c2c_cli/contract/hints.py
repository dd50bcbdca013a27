"""Messages and fix hints for model constraint failures (STYLE.md §3: what failed, where, what to do)."""

from __future__ import annotations

import json
import re
from typing import Any

from c2c_cli.redaction import MARKER

__all__ = ["describe"]

_JSON_TYPES = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    type(None): "null",
}


def json_type(value: Any) -> str:
    """The JSON type name of a Python value."""
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _show(value: Any, sensitive: bool) -> str:
    if sensitive:
        return MARKER
    text = json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def describe(
    keyword: str, expected: Any, instance: Any, schema: dict[str, Any], *, sensitive: bool = False
) -> tuple[str, str]:
    """(message, hint) for one failed JSON Schema keyword of a model shape."""
    shape = schema.get("x-shape", "the model")
    builder = _BUILDERS.get(keyword)
    if builder is None:
        return (f"fails {keyword} of {shape}", f"see the {shape} shape in the model")
    result: tuple[str, str] = builder(expected, instance, schema, shape, _show(instance, sensitive))
    return result


def _type(expected: Any, instance: Any, _s: dict[str, Any], shape: str, shown: str) -> tuple[str, str]:
    words = " or ".join(expected) if isinstance(expected, list) else str(expected)
    return (f"expected {words}, got {json_type(instance)} {shown}", f"send a JSON {words} ({shape})")


def _enum(expected: Any, _i: Any, _s: dict[str, Any], _shape: str, shown: str) -> tuple[str, str]:
    options = ", ".join(map(str, expected))
    return (f"{shown} is not one of {options}", f"use one of: {options}")


def _pattern(expected: Any, instance: Any, schema: dict[str, Any], shape: str, shown: str) -> tuple[str, str]:
    model_pattern = schema.get("x-model-pattern", expected)
    bad = _offending_characters(model_pattern, instance)
    what = f"contains {bad}, not allowed by" if bad else "does not match"
    return (
        f"{shown} {what} the {shape} pattern {model_pattern}",
        f"the whole value must match {model_pattern}",
    )


def _offending_characters(model_pattern: str, value: Any) -> str:
    """For character-class patterns like ``[a-z0-9]+``: the characters outside the class."""
    match = re.fullmatch(r"(\[[^\]]+\])\+", model_pattern)
    if not match or not isinstance(value, str):
        return ""
    try:
        cls = re.compile(match.group(1))
    except re.error:
        return ""
    bad = sorted({c for c in value if not cls.fullmatch(c)})
    return " ".join(json.dumps(c) for c in bad[:10])


def _bound(kind: str, unit: str) -> Any:
    def build(expected: Any, instance: Any, _s: dict[str, Any], shape: str, shown: str) -> tuple[str, str]:
        size = len(instance) if isinstance(instance, (list, dict, str)) else shown
        low = kind == "min"
        words = "below the minimum" if low else "above the maximum"
        amount = "at least" if low else "at most"
        if unit == "value":
            return (
                f"{shown} is {words} {expected}",
                f"use a value {'>=' if low else '<='} {expected} ({shape})",
            )
        return (f"{size} {unit}, {words} {expected}", f"use {amount} {expected} {unit} ({shape})")

    return build


_BUILDERS: dict[str, Any] = {
    "type": _type,
    "enum": _enum,
    "pattern": _pattern,
    "maxLength": _bound("max", "characters"),
    "minLength": _bound("min", "characters"),
    "maximum": _bound("max", "value"),
    "minimum": _bound("min", "value"),
    "maxItems": _bound("max", "items"),
    "minItems": _bound("min", "items"),
    "maxProperties": _bound("max", "entries"),
    "minProperties": _bound("min", "entries"),
}
