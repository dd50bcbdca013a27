"""Running the table: one session, every case in order, one :class:`SuiteResult`.

Per case: a case that does not apply (``when``) leaves no row; an unmet need is a skip; a case ``-k``
deselects does not run unless ``required``; once the connector is dead (it answered no attempt in
time), every later case is skipped with that reason.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

from c2c_cli.errors import UsageError
from c2c_cli.simulate.session import SessionOptions, simulation
from c2c_cli.simulate.suite.model import Case, Context, Family
from c2c_cli.simulate.suite.report import CaseResult, SuiteResult, matches
from c2c_cli.simulate.suite.table import CASES
from c2c_cli.violation import has_errors

__all__ = ["check_patterns", "run_case", "run_cases", "run_conformance"]


def _skip(case: Case, reason: str) -> CaseResult:
    return CaseResult(case.id, case.title, case.rules, "skip", (), f"skipped: {reason}")


def run_case(case: Case, ctx: Context, patterns: tuple[str, ...] = ()) -> CaseResult | None:
    """One case: its result, or None when it leaves no row (not applicable or deselected)."""
    if not case.when(ctx):
        return None
    selected = matches(case.id, patterns)
    unmet = next((n for n in case.needs if not n.met(ctx)), None)
    if unmet is not None:
        return _skip(case, unmet.reason) if selected else None
    if not (selected or case.required):
        return None
    if ctx.dead:
        return _skip(case, ctx.dead) if selected else None
    started = time.perf_counter()
    violations, evidence = case.run(ctx)
    elapsed = (time.perf_counter() - started) * 1000
    status = "fail" if has_errors(violations) else "pass"
    result = CaseResult(case.id, case.title, case.rules, status, tuple(violations), evidence, elapsed)
    return result if selected else None


def run_cases(
    table: Iterable[Case | Family], ctx: Context, patterns: tuple[str, ...] = ()
) -> list[CaseResult]:
    """Every case of ``table`` in order; a family is expanded when it is reached."""
    results: list[CaseResult] = []
    for entry in table:
        for case in entry.cases(ctx) if isinstance(entry, Family) else (entry,):
            result = run_case(case, ctx, patterns)
            if result is not None:
                results.append(result)
    return results


def check_patterns(patterns: tuple[str, ...], results: list[CaseResult]) -> None:
    """Every ``-k`` pattern must select a case: a CI job must not pass while running nothing (issue 13 §14).

    Raises:
        UsageError: a pattern matched no case of this connector.
    """
    unused = [p for p in patterns if not any(matches(r.case_id, (p,)) for r in results)]
    if unused:
        shown = ", ".join(repr(p) for p in unused)
        raise UsageError(
            f"-k {shown} matched no case of this connector",
            hint="Case ids look like lifecycle.discover or negative.unknown-device; "
            "'c2c test --json' lists them all (.cases[].id).",
        )


def run_conformance(
    project_dir: Path, options: SessionOptions, patterns: tuple[str, ...] = ()
) -> SuiteResult:
    """Run ``c2c test`` on a project.

    Args:
        project_dir: the connector project.
        options: credentials, sandbox, target and service settings (subprocess target by default in the CLI).
        patterns: ``-k`` patterns selecting cases by id.

    Raises:
        ConfigError: bad or missing ``c2c.yaml``, or a handler that cannot be imported.
        UsageError: missing credentials.
        AuthError: no usable token.
        UsageError: a ``-k`` pattern that matches no case (after the run: ids name discovered devices).
    """
    started = time.perf_counter()
    with simulation(project_dir, options) as simulator:
        results = run_cases(CASES, Context(simulator), patterns)
        auth = simulator.environment.credentials.kind
        target = simulator.target.name
    check_patterns(patterns, results)
    return SuiteResult(
        cases=tuple(results),
        project=str(project_dir.resolve()),
        target=target,
        auth=auth,
        sandbox=options.sandbox is not None,
        duration_ms=(time.perf_counter() - started) * 1000,
    )
