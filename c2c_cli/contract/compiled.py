"""A compiled validator for the JSON Schema subset that ``model.schema.json`` uses.

jsonschema is the reference implementation (the differential test in
``tests/unit/contract/test_contract_compiled.py`` runs it); on a 10,000-device discovery event it spends most
of its time resolving ``$ref``s. This module compiles each ``$defs`` entry once into a
closure with the same semantics and the same violations (a differential property test keeps the two equal),
about an order of magnitude faster. Supported keywords: type, properties, required,
additionalProperties, items, propertyNames, min/maxItems, min/maxLength, min/maxProperties, minimum,
maximum, enum, pattern (whole-value, contract.md §4.2), $ref; ``x-*`` annotations carry the shape name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from c2c_cli.contract.hints import describe
from c2c_cli.contract.schema import model
from c2c_cli.redaction import MARKER
from c2c_cli.violation import Violation, child_path

__all__ = ["child_path", "compiled_shape"]

Check = Callable[[Any, str, list[Violation]], None]


def _type_test(kinds: list[str]) -> Callable[[Any], bool]:
    """A fast predicate for the common single-kind cases, falling back to :func:`_is_type`."""
    simple = {"object": dict, "array": list, "string": str}
    if len(kinds) == 1 and kinds[0] in simple:
        python_type = simple[kinds[0]]
        return lambda value: isinstance(value, python_type)
    return lambda value: any(_is_type(value, k) for k in kinds)


def _is_type(value: Any, kind: str) -> bool:
    # Mirrors jsonschema's Draft 2020-12 type checker (bool is never a number; 1.0 is an integer).
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if kind == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    return kind == "number" and isinstance(value, (int, float))


class _Compiler:
    def __init__(self, defs: dict[str, Any]) -> None:
        self.defs = defs
        self.done: dict[str, Check] = {}

    def shape(self, name: str) -> Check:
        if name not in self.done:
            slot: list[Check] = []
            self.done[name] = lambda v, p, out: slot[0](v, p, out)  # late binding for recursive shapes
            slot.append(self._build(self.defs[name]))
            self.done[name] = slot[0]
        return self.done[name]

    def ref(self, schema: dict[str, Any]) -> Check:
        return self.shape(schema["$ref"].rsplit("/", 1)[-1])

    def _build(self, schema: dict[str, Any]) -> Check:
        kind = schema.get("type")
        if kind is None:
            return _accept
        kinds = kind if isinstance(kind, list) else [kind]
        body = self._body(schema, kinds[0]) if len(kinds) == 1 else _accept
        enum = schema.get("enum")
        fail = _failure(schema)

        is_type = _type_test(kinds)
        bounded = kinds == ["integer"]

        def check(value: Any, path: str, out: list[Violation]) -> None:
            if not is_type(value):
                out.append(fail("type", kind, value, path))
                if enum is not None and value not in enum:
                    out.append(fail("enum", enum, value, path))
                if bounded and isinstance(value, (int, float)) and not isinstance(value, bool):
                    body(value, path, out)  # 0.5 for an integer >= 100: both are wrong, report both
                return
            body(value, path, out)

        return check

    def _body(self, schema: dict[str, Any], kind: str) -> Check:
        if kind == "object" and "properties" in schema:
            return self._structure(schema)
        if kind == "object":
            return self._map(schema)
        if kind == "array":
            return self._list(schema)
        if kind == "string":
            return _string(schema)
        if kind in ("integer", "number"):
            return _bounds(schema, "minimum", "maximum", lambda v: v)
        return _accept

    def _structure(self, schema: dict[str, Any]) -> Check:
        members = {name: (self.ref(sub), child_path("", name)) for name, sub in schema["properties"].items()}
        required = schema.get("required", [])
        shape = schema.get("x-shape", "model")
        known = ", ".join(sorted(members))

        def check(value: dict[str, Any], path: str, out: list[Violation]) -> None:
            for name in required:
                if name not in value:
                    ref = schema["properties"][name]["$ref"].rsplit("/", 1)[-1]
                    out.append(
                        Violation(
                            child_path(path, name),
                            f"required member {name} is missing",
                            shape,
                            hint=f"add {name} ({ref})",
                        )
                    )
            for key, item in value.items():
                member = members.get(key)
                if member is None:
                    hint = f"remove it, or fix its spelling (members: {known})"
                    out.append(
                        Violation(child_path(path, key), f"unknown member {key} of {shape}", shape, hint=hint)
                    )
                else:
                    member[0](item, path + member[1], out)

        return check

    def _map(self, schema: dict[str, Any]) -> Check:
        key_check = self.ref(schema["propertyNames"]) if "propertyNames" in schema else None
        extra = schema.get("additionalProperties")
        value_check = self.ref(extra) if isinstance(extra, dict) else None
        size = _bounds(schema, "minProperties", "maxProperties", len)

        def check(value: dict[str, Any], path: str, out: list[Violation]) -> None:
            size(value, path, out)
            for key, item in value.items():
                if key_check is not None:
                    found: list[Violation] = []
                    key_check(key, path, found)
                    out.extend(_as_key(v, path, key) for v in found)
                if value_check is not None:
                    value_check(item, child_path(path, key), out)

        return check

    def _list(self, schema: dict[str, Any]) -> Check:
        item_check = self.ref(schema["items"]) if "items" in schema else _accept
        size = _bounds(schema, "minItems", "maxItems", len)

        def check(value: list[Any], path: str, out: list[Violation]) -> None:
            size(value, path, out)
            for i, item in enumerate(value):
                item_check(item, f"{path}[{i}]", out)

        return check


def _as_key(v: Violation, path: str, key: str) -> Violation:
    return Violation(child_path(path, key), f"key {v.message}", v.rule, v.severity, v.hint, v.value)


def _accept(_value: Any, _path: str, _out: list[Violation]) -> None:
    return None


def _failure(schema: dict[str, Any]) -> Callable[[str, Any, Any, str], Violation]:
    shape = schema.get("x-shape", "model")
    sensitive = bool(schema.get("x-sensitive"))

    def fail(keyword: str, expected: Any, value: Any, path: str) -> Violation:
        message, hint = describe(keyword, expected, value, schema, sensitive=sensitive)
        return Violation(path, message, shape, hint=hint, value=MARKER if sensitive else value)

    return fail


def _string(schema: dict[str, Any]) -> Check:
    length = _bounds(schema, "minLength", "maxLength", len)
    enum = schema.get("enum")
    pattern = re.compile(schema["pattern"]) if "pattern" in schema else None
    fail = _failure(schema)

    def check(value: str, path: str, out: list[Violation]) -> None:
        length(value, path, out)
        if enum is not None and value not in enum:
            out.append(fail("enum", enum, value, path))
        if pattern is not None and not pattern.fullmatch(value):
            out.append(fail("pattern", schema["pattern"], value, path))

    return check


def _bounds(schema: dict[str, Any], low: str, high: str, measure: Callable[[Any], Any]) -> Check:
    lo, hi = schema.get(low), schema.get(high)
    fail = _failure(schema)
    if lo is None and hi is None:
        return _accept

    def check(value: Any, path: str, out: list[Violation]) -> None:
        n = measure(value)
        if lo is not None and n < lo:
            out.append(fail(low, lo, value, path))
        if hi is not None and n > hi:
            out.append(fail(high, hi, value, path))

    return check


@cache
def _compiler() -> _Compiler:
    return _Compiler(model()["$defs"])


def compiled_shape(name: str) -> Check:
    """The compiled check of one model shape: ``check(value, path, out)`` appends violations to ``out``.

    Raises:
        KeyError: when the model has no such shape.
    """
    return _compiler().shape(name)
