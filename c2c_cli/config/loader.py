"""A composed YAML node tree walked into frozen dataclasses, collecting every problem (not just the first).

Generic over dataclasses: a field's type says how to convert its node (nested dataclass, ``tuple[...]``,
``Literal``, ``str``/``int``/``bool``/``float``, ``X | None``), its ``check`` metadata validates the value,
and ``internal`` metadata keeps it out of the file. Each problem names its key path and line.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, Literal, get_args, get_origin

import yaml

__all__ = ["Loader"]


class Loader:
    """Walks a composed YAML node tree into dataclasses, collecting every problem."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self._constructor = yaml.SafeLoader("")

    def problem(self, node: yaml.Node | None, path: str, message: str) -> None:
        """Record one problem at ``path`` (and the node's line, when there is a node)."""
        where = f" (line {node.start_mark.line + 1})" if node is not None else ""
        self.problems.append(f"{path}: {message}{where}")

    def build(self, cls: type[Any], node: yaml.Node | None, path: str) -> Any:
        """The dataclass ``cls`` from a mapping node, or None when a problem makes it impossible."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, path or "(top level)", "must be a mapping")
            return None
        entries = self._mapping(node, path)
        hints = typing.get_type_hints(cls)
        fields = {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("internal")}
        for key, (key_node, _) in entries.items():
            if key not in fields:
                known = ", ".join(sorted(fields))
                self.problem(key_node, _join(path, key), f"unknown key (known: {known})")
        values: dict[str, Any] = {}
        for name, f in fields.items():
            sub = _join(path, name)
            if name in entries:
                value = self.convert(hints[name], entries[name][1], sub)
                check = f.metadata.get("check")
                if value is not None and check is not None and (msg := check(value)):
                    self.problem(entries[name][1], sub, msg)
                values[name] = value
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                if _optional_type(hints[name]) is None:
                    self.problem(node, sub, "missing required key")
        try:
            return cls(**{k: v for k, v in values.items() if v is not None or _is_optional(hints[k])})
        except TypeError:
            return None

    def _mapping(self, node: yaml.MappingNode, path: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = str(self._constructor.construct_object(key_node))
            if key in out:
                self.problem(key_node, _join(path, key), "duplicate key")
            out[key] = (key_node, value_node)
        return out

    def convert(self, tp: Any, node: yaml.Node, path: str) -> Any:
        """The value of type ``tp`` from ``node``, or None (with a problem recorded)."""
        inner = _optional_type(tp)
        if inner is not None:
            if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
                return None
            tp = inner
        if dataclasses.is_dataclass(tp):
            return self.build(tp, node, path)  # type: ignore[arg-type]
        if get_origin(tp) is tuple:
            if not isinstance(node, yaml.SequenceNode):
                self.problem(node, path, "must be a list")
                return None
            item_tp = get_args(tp)[0]
            items = [self.convert(item_tp, n, f"{path}[{i}]") for i, n in enumerate(node.value)]
            return tuple(items)
        return self._scalar(tp, node, path)

    def _scalar(self, tp: Any, node: yaml.Node, path: str) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, path, f"must be {_describe(tp)}")
            return None
        value = self._constructor.construct_object(node)
        if get_origin(tp) is Literal:
            allowed = get_args(tp)
            if value not in allowed:
                self.problem(node, path, f"must be one of {', '.join(map(str, allowed))} (got {value!r})")
                return None
            return value
        if tp is str and isinstance(value, str) and value != "":
            return value
        if tp is str and isinstance(value, int) and not isinstance(value, bool):
            return str(value)  # ids written unquoted (client_id: 12345, account_id: 123456789012)
        if tp is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if tp is bool and isinstance(value, bool):
            return value
        if tp is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        self.problem(node, path, f"must be {_describe(tp)} (got {value!r})")
        return None


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _optional_type(tp: Any) -> Any:
    if get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(get_args(tp)) == 2:
            return args[0]
    return None


def _is_optional(tp: Any) -> bool:
    return _optional_type(tp) is not None


def _describe(tp: Any) -> str:
    names = {str: "a non-empty string", int: "an integer", bool: "true or false", float: "a number"}
    if get_origin(tp) is Literal:
        return "one of " + ", ".join(map(str, get_args(tp)))
    return names.get(tp, "a mapping" if dataclasses.is_dataclass(tp) else str(tp))
