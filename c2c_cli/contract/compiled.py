"""A compiled validator for the JSON Schema subset that ``model.schema.json`` uses.

jsonschema is the reference implementation (the differential test in
``tests/unit/contract/test_contract_compiled.py`` runs it); on a 10,000-device discovery event it spends most
of its time resolving ``$ref``s. This module compiles each ``$defs`` entry once into a closure with the same
semantics and the same violations (a differential property test keeps the two equal). Supported keywords:
type, properties, required, additionalProperties, items, propertyNames, min/maxItems, min/maxLength,
min/maxProperties, minimum, maximum, enum, pattern (whole-value, contract.md §4.2), $ref; ``x-*``
annotations carry the shape name.

Speed without losing strictness: a check is ``check(value, parent, key, out)`` where the value's JSON path is
the *lazy* pair ``(parent, key)`` (:func:`~c2c_cli.violation.path_of` renders it only when a violation is
reported, and a container allocates one pair for all its children); a string shape remembers the strings
that passed all its constraints (:mod:`.memo`), so a repeated id costs one set lookup instead of a regex;
an integer within its bounds returns at once. Everything that fails takes the full path and reports every
violation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from c2c_cli.contract.hints import describe
from c2c_cli.contract.memo import MEMOISED, Extra, memoised, shortcut
from c2c_cli.contract.schema import model
from c2c_cli.redaction import MARKER
from c2c_cli.violation import Violation, path_of

__all__ = ["Check", "compiled_shape"]

#: ``check(value, parent, key, out)``: append the violations of the value at ``(parent, key)`` to ``out``.
Check = Callable[[Any, Any, Any, list[Violation]], None]
_Fail = Callable[[str, Any, Any, Any, Any], Violation]


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
    def __init__(self, defs: dict[str, Any], extras: Mapping[str, Extra]) -> None:
        self.defs = defs
        self.extras = extras
        self.done: dict[str, Check] = {}

    def shape(self, name: str) -> Check:
        if name not in self.done:
            slot: list[Check] = []
            self.done[name] = lambda v, p, k, out: slot[0](v, p, k, out)  # late binding for recursive shapes
            check = self._build(self.defs[name])
            if name in MEMOISED or name in self.extras:
                check = memoised(check, self.extras.get(name))
            slot.append(check)
            self.done[name] = check
        return self.done[name]

    def ref(self, schema: dict[str, Any]) -> Check:
        return self.shape(schema["$ref"].rsplit("/", 1)[-1])

    def _build(self, schema: dict[str, Any]) -> Check:
        kind = schema.get("type")
        if kind is None:
            return _accept
        kinds = kind if isinstance(kind, list) else [kind]
        mistyped: list[Check] = []  # an object or array check hands a value of another type to `check`
        body = self._body(schema, kinds[0], mistyped) if len(kinds) == 1 else _accept
        enum = schema.get("enum")
        fail = _failure(schema)
        bounded = kinds == ["integer"]
        is_type = _type_test(kinds)

        def check(value: Any, parent: Any, key: Any, out: list[Violation]) -> None:
            if not is_type(value):
                out.append(fail("type", kind, value, parent, key))
                if enum is not None and value not in enum:
                    out.append(fail("enum", enum, value, parent, key))
                if bounded and isinstance(value, (int, float)) and not isinstance(value, bool):
                    body(value, parent, key, out)  # 0.5 for an integer >= 100: both are wrong, report both
                return
            body(value, parent, key, out)

        mistyped.append(check)
        if kinds in (["object"], ["array"]) and enum is None:
            return body  # tests the type itself: one call per container
        return shortcut(schema, kinds, check)

    def _body(self, schema: dict[str, Any], kind: str, mistyped: list[Check]) -> Check:
        if kind == "object" and "properties" in schema:
            return self._structure(schema, mistyped)
        if kind == "object":
            return self._map(schema, mistyped)
        if kind == "array":
            return self._list(schema, mistyped)
        if kind == "string":
            return _string(schema)
        if kind in ("integer", "number"):
            return _bounds(schema, "minimum", "maximum", lambda v: v)
        return _accept

    def _structure(self, schema: dict[str, Any], mistyped: list[Check]) -> Check:
        members = {name: self.ref(sub) for name, sub in schema["properties"].items()}
        required = schema.get("required", [])
        needed = frozenset(required)
        shape = schema.get("x-shape", "model")
        known = ", ".join(sorted(members))

        def check(value: dict[str, Any], parent: Any, key: Any, out: list[Violation]) -> None:
            if not isinstance(value, dict):
                mistyped[0](value, parent, key, out)
                return
            node = (parent, key)
            if not needed <= value.keys():
                for name in required:
                    if name not in value:
                        ref = schema["properties"][name]["$ref"].rsplit("/", 1)[-1]
                        message = f"required member {name} is missing"
                        out.append(Violation(path_of(node, name), message, shape, hint=f"add {name} ({ref})"))
            for name, item in value.items():
                member = members.get(name)
                if member is not None:
                    member(item, node, name, out)
                    continue
                hint = f"remove it, or fix its spelling (members: {known})"
                out.append(
                    Violation(path_of(node, name), f"unknown member {name} of {shape}", shape, hint=hint)
                )

        return check

    def _map(self, schema: dict[str, Any], mistyped: list[Check]) -> Check:
        key_check = self.ref(schema["propertyNames"]) if "propertyNames" in schema else None
        extra = schema.get("additionalProperties")
        value_check = self.ref(extra) if isinstance(extra, dict) else None
        size = _bounds(schema, "minProperties", "maxProperties", len)

        def check(value: dict[str, Any], parent: Any, key: Any, out: list[Violation]) -> None:
            if not isinstance(value, dict):
                mistyped[0](value, parent, key, out)
                return
            size(value, parent, key, out)
            node = (parent, key)
            for name, item in value.items():
                if key_check is not None:
                    # A key's violations are found at the map's path, then moved onto the key itself.
                    before = len(out)
                    key_check(name, parent, key, out)
                    if len(out) > before:
                        out[before:] = [_as_key(v, node, name) for v in out[before:]]
                if value_check is not None:
                    value_check(item, node, name, out)

        return check

    def _list(self, schema: dict[str, Any], mistyped: list[Check]) -> Check:
        item_check = self.ref(schema["items"]) if "items" in schema else _accept
        size = _bounds(schema, "minItems", "maxItems", len)

        def check(value: list[Any], parent: Any, key: Any, out: list[Violation]) -> None:
            if not isinstance(value, list):
                mistyped[0](value, parent, key, out)
                return
            size(value, parent, key, out)
            node = (parent, key)
            for i, item in enumerate(value):
                item_check(item, node, i, out)

        return check


def _as_key(v: Violation, node: Any, key: str) -> Violation:
    return Violation(path_of(node, key), f"key {v.message}", v.rule, v.severity, v.hint, v.value)


def _accept(_value: Any, _parent: Any, _key: Any, _out: list[Violation]) -> None:
    return None


def _failure(schema: dict[str, Any]) -> _Fail:
    shape = schema.get("x-shape", "model")
    sensitive = bool(schema.get("x-sensitive"))

    def fail(keyword: str, expected: Any, value: Any, parent: Any, key: Any) -> Violation:
        message, hint = describe(keyword, expected, value, schema, sensitive=sensitive)
        return Violation(
            path_of(parent, key), message, shape, hint=hint, value=MARKER if sensitive else value
        )

    return fail


def _string(schema: dict[str, Any]) -> Check:
    length = _bounds(schema, "minLength", "maxLength", len)
    enum = schema.get("enum")
    pattern = re.compile(schema["pattern"]) if "pattern" in schema else None
    fail = _failure(schema)

    def check(value: str, parent: Any, key: Any, out: list[Violation]) -> None:
        length(value, parent, key, out)
        if enum is not None and value not in enum:
            out.append(fail("enum", enum, value, parent, key))
        if pattern is not None and not pattern.fullmatch(value):
            out.append(fail("pattern", schema["pattern"], value, parent, key))

    return check


def _bounds(schema: dict[str, Any], low: str, high: str, measure: Callable[[Any], Any]) -> Check:
    lo, hi = schema.get(low), schema.get(high)
    fail = _failure(schema)
    if lo is None and hi is None:
        return _accept

    def check(value: Any, parent: Any, key: Any, out: list[Violation]) -> None:
        n = measure(value)
        if lo is not None and n < lo:
            out.append(fail(low, lo, value, parent, key))
        if hi is not None and n > hi:
            out.append(fail(high, hi, value, parent, key))

    return check


@cache
def _compiler(extras: tuple[tuple[str, Extra], ...]) -> _Compiler:
    return _Compiler(model()["$defs"], dict(extras))


def compiled_shape(name: str, extras: tuple[tuple[str, Extra], ...] = ()) -> Check:
    """The compiled check of one model shape: ``check(value, parent, key, out)`` appends to ``out``.

    Args:
        name: the model shape.
        extras: ``(shape, extra)`` pairs: ``extra(value, path)`` runs on every object value of that shape
            after its model check, memoised with it (e.g. the Matter lint of each capability report). Each
            distinct tuple compiles its own validator once.

    Raises:
        KeyError: when the model has no such shape.
    """
    return _compiler(extras).shape(name)
