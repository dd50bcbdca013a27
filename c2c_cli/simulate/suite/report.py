"""What the suite reports: one :class:`CaseResult` per case, one :class:`SuiteResult` per run (``--json``)."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Any

from c2c_cli.violation import Violation, sort_violations

__all__ = ["CaseResult", "SuiteResult", "matches"]


@dataclass(frozen=True)
class CaseResult:
    """One conformance case.

    Attributes:
        case_id: stable id, e.g. ``lifecycle.discover`` (``-k`` matches it).
        title: what the case proves.
        rules: the rule ids the case checks.
        status: ``pass``, ``fail`` or ``skip``.
        violations: everything found (warnings do not fail a case).
        evidence: one line: the ACK code, events, times, or why it was skipped.
        duration_ms: wall time of the case.
    """

    case_id: str
    title: str
    rules: tuple[str, ...]
    status: str
    violations: tuple[Violation, ...] = ()
    evidence: str = ""
    duration_ms: float = 0.0

    @property
    def group(self) -> str:
        """``lifecycle``, ``negative`` or ``robustness``."""
        return self.case_id.split(".", 1)[0]

    def to_json(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "id": self.case_id,
            "title": self.title,
            "rules": list(self.rules),
            "status": self.status,
            "evidence": self.evidence,
            "duration_ms": round(self.duration_ms, 1),
            "violations": [v.to_json() for v in sort_violations(self.violations)],
        }


@dataclass(frozen=True)
class SuiteResult:
    """The whole run: every case, and what was tested how."""

    cases: tuple[CaseResult, ...]
    project: str
    target: str
    auth: str
    sandbox: bool
    duration_ms: float = 0.0

    @property
    def ok(self) -> bool:
        """No case failed."""
        return all(c.status != "fail" for c in self.cases)

    def counts(self) -> dict[str, int]:
        """Cases per status."""
        return {s: sum(1 for c in self.cases if c.status == s) for s in ("pass", "fail", "skip")}

    def failed_rules(self) -> list[str]:
        """Every rule id with an error in a failed case, sorted."""
        return sorted(
            {v.rule for c in self.cases if c.status == "fail" for v in c.violations if v.severity == "error"}
        )

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form (``c2c test --json``)."""
        return {
            "ok": self.ok,
            "project": self.project,
            "target": self.target,
            "auth": self.auth,
            "sandbox": self.sandbox,
            "duration_ms": round(self.duration_ms, 1),
            "counts": self.counts(),
            "failed_rules": self.failed_rules(),
            "cases": [c.to_json() for c in self.cases],
        }


def matches(case_id: str, patterns: tuple[str, ...]) -> bool:
    """``-k``: no pattern selects all; else a substring or a glob of the case id."""
    if not patterns:
        return True
    return any(p in case_id or fnmatch.fnmatchcase(case_id, p) for p in patterns)
