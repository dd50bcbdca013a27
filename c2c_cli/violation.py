"""The result type of every contract and Matter check: a :class:`Violation`.

Violations are results, not exceptions (STYLE.md §3). A leaf module shared by ``contract`` and ``matter``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["ERROR", "WARNING", "Severity", "Violation", "child_path", "has_errors", "sort_violations"]

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


def has_errors(violations: Iterable[Violation]) -> bool:
    """True when any violation is an error."""
    return any(v.severity == ERROR for v in violations)


def sort_violations(violations: Iterable[Violation]) -> list[Violation]:
    """Errors first, then by path, for stable output."""
    return sorted(violations, key=lambda v: (v.severity != ERROR, v.path, v.rule))


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


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
