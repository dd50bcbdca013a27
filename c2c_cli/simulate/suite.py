"""Running the conformance suite for a project: one session, every case, one :class:`SuiteResult`."""

from __future__ import annotations

import time
from pathlib import Path

from c2c_cli.simulate.conformance import SuiteResult, SuiteRun
from c2c_cli.simulate.session import SessionOptions, simulation

__all__ = ["run_conformance"]


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
    """
    from c2c_cli.simulate.cases import ConformanceCases

    started = time.perf_counter()
    run = SuiteRun(patterns)
    with simulation(project_dir, options) as simulator:
        ConformanceCases(simulator, run).execute()
        auth = simulator.environment.credentials.kind
        target = simulator.target.name
    return SuiteResult(
        cases=tuple(run.results),
        project=str(project_dir.resolve()),
        target=target,
        auth=auth,
        sandbox=options.sandbox is not None,
        duration_ms=(time.perf_counter() - started) * 1000,
    )
