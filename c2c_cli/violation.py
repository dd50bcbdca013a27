"""The result type of every contract and Matter check: a :class:`Violation`.

Violations are results, not exceptions (STYLE.md §3). A leaf module shared by ``contract`` and ``matter``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "ERROR",
    "HERE",
    "WARNING",
    "Severity",
    "Violation",
    "child_path",
    "has_errors",
    "path_of",
    "sort_violations",
]

Severity = Literal["error", "warning"]
ERROR: Severity = "error"
WARNING: Severity = "warning"


@dataclass(frozen=True)
class Violation:
    """One failed rule.

    Attributes:
        path: JSON path of the failing value, e.g. ``$.Devices[3].CapabilityReport.version``.
        message: what is wrong, in one sentence.
        rule: stable rule id: a model shape name (``ThirdPartyUserId``) or a toolkit rule (``C2C-EVT-003``).
        severity: ``error`` or ``warning``.
        hint: what to do about it.
        value: the offending value (may be redacted for sensitive members).
    """

    path: str
    message: str
    rule: str
    severity: Severity = ERROR
    hint: str = ""
    value: Any = field(default=None, compare=False)

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form used by ``--json`` output."""
        return {
            "path": self.path,
            "message": self.message,
            "rule": self.rule,
            "severity": self.severity,
            "hint": self.hint,
        }

    def as_error(self) -> Violation:
        """The same violation with severity ``error`` (``--strict``)."""
        return Violation(self.path, self.message, self.rule, ERROR, self.hint, self.value)

    def under(self, prefix: str) -> Violation:
        """The same violation found in a value checked at the relative root ``""``, moved to ``prefix``."""
        return Violation(prefix + self.path, self.message, self.rule, self.severity, self.hint, self.value)


def has_errors(violations: Iterable[Violation]) -> bool:
    """True when any violation is an error."""
    return any(v.severity == ERROR for v in violations)


def sort_violations(violations: Iterable[Violation], document: Any = None) -> list[Violation]:
    """Errors first, then in document order, for stable output.

    Document order: array indexes by number (``$.Devices[2]`` before ``$.Devices[10]``), object members
    in the order ``document`` holds them (by name when no document is given or the member is absent, e.g.
    a missing required member, which sorts after the members present).
    """
    return sorted(violations, key=lambda v: (v.severity != ERROR, _order(v.path, document), v.rule))


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# One step of a child_path spelling: .name, [3] or ["any key"].
_STEP = re.compile(r'\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]')
_ABSENT = 1 << 62


def _order(path: str, document: Any) -> tuple[tuple[int, int, str], ...]:
    """A sort key for one JSON path: each step as (0, position, name); text that is no step sorts last."""
    key: list[tuple[int, int, str]] = []
    node, at = document, 1 if path.startswith("$") else 0
    for match in _STEP.finditer(path, at):
        if match.start() != at:
            break
        at = match.end()
        step, node = _step(match, node)
        key.append(step)
    if at < len(path):
        key.append((1, 0, path[at:]))
    return tuple(key)


def _step(match: re.Match[str], node: Any) -> tuple[tuple[int, int, str], Any]:
    """One step's key and the document node it leads to (None once the path leaves the document)."""
    name, index, quoted = match.groups()
    if index is not None:
        child = node[int(index)] if isinstance(node, list) and int(index) < len(node) else None
        return (0, int(index), ""), child
    if quoted is not None:
        try:
            name = str(json.loads(quoted))
        except ValueError:
            name = quoted
    if not isinstance(node, dict) or name not in node:
        return (0, _ABSENT, name), None
    return (0, list(node).index(name), name), node[name]


def child_path(path: str, key: Any) -> str:
    """``path`` plus one step, the one JSON-path spelling of every violation.

    ``$.a`` + ``"b"`` -> ``$.a.b``; + ``"0x0000"`` -> ``$.a["0x0000"]``; + ``3`` -> ``$.a[3]``.
    """
    if isinstance(key, int) and not isinstance(key, bool):
        return f"{path}[{key}]"
    key = str(key)
    if _IDENTIFIER.fullmatch(key):
        return f"{path}.{key}"
    return f"{path}[{json.dumps(key)}]"


#: The ``key`` of a lazy path that names its parent itself (the root of a walk).
HERE: Any = object()


def path_of(parent: Any, key: Any = HERE) -> str:
    """Render a lazy path: the JSON path of the value at ``key`` of ``parent``.

    Validators walk with ``(parent, key)`` instead of strings and render only when they report. A lazy
    ``parent`` is a rendered path (``"$"``, ``"$.MatterEndpoint"``) or a ``(parent, key)`` pair of the same
    kind; ``key`` is a member name, a list index, or :data:`HERE` for ``parent`` itself. Rendering uses
    :func:`child_path`, so a lazy path spells exactly what building strings step by step did.
    """
    keys = [] if key is HERE else [key]
    node = parent
    while type(node) is tuple:
        node, step = node
        if step is not HERE:
            keys.append(step)
    path = str(node)
    for step in reversed(keys):
        path = child_path(path, step)
    return path
