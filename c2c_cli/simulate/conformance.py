"""``c2c test``: the conformance suite, run as the service would drive a connector over its life.

The cases (``cases``) run in lifecycle order on one simulator: activate → discover (and with a filter)
→ every advertised command of every device with catalog values (list form; one in map form) → ReadState
and UpdateState → the same SendCommand delivered twice → negative requests the connector must refuse
with a non-200 ``responseCode`` and a message → a budget summary → deactivate → no events afterwards.
Each case has an id (``-k`` selects by substring or glob), a title, the rule ids it exercises, a status
and evidence. A connector that hangs on every attempt stops the suite: later cases are skipped.
"""

from __future__ import annotations

import fnmatch
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from c2c_cli.violation import Violation, has_errors, sort_violations

__all__ = ["CaseResult", "SuiteResult", "SuiteRun", "matches"]


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


@dataclass
class SuiteRun:
    """Collects case results while the cases run; knows when the connector stopped answering."""

    patterns: tuple[str, ...] = ()
    results: list[CaseResult] = field(default_factory=list)
    dead: str = ""

    def run(
        self,
        case_id: str,
        title: str,
        rules: tuple[str, ...],
        body: Callable[[], tuple[list[Violation], str]],
        *,
        required: bool = False,
    ) -> bool:
        """Run one case (or skip it); ``required`` cases run even when deselected (later cases need them).

        Returns:
            Whether the case passed.
        """
        selected = matches(case_id, self.patterns)
        if not (selected or required):
            return True
        if self.dead:
            self._add(selected, CaseResult(case_id, title, rules, "skip", (), f"skipped: {self.dead}"))
            return False
        started = time.perf_counter()
        found, evidence = body()
        elapsed = (time.perf_counter() - started) * 1000
        status = "fail" if has_errors(found) else "pass"
        self._add(selected, CaseResult(case_id, title, rules, status, tuple(found), evidence, elapsed))
        return status == "pass"

    def skip(self, case_id: str, title: str, rules: tuple[str, ...], reason: str) -> None:
        """Record a case that cannot run here (e.g. needs --sandbox)."""
        if matches(case_id, self.patterns):
            self.results.append(CaseResult(case_id, title, rules, "skip", (), f"skipped: {reason}"))

    def _add(self, selected: bool, result: CaseResult) -> None:
        if selected:
            self.results.append(result)
