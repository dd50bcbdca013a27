"""``c2c test``: the conformance suite a team can gate its CI on (exit 0 = conforms, 3 = violations)."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from c2c_cli.cli.options import Json, Project
from c2c_cli.cli.output import err, out, print_json
from c2c_cli.cli.simulate_options import SimulateOptions, simulate_options
from c2c_cli.errors import ExitCode

if TYPE_CHECKING:
    from c2c_cli.simulate.suite.report import CaseResult, SuiteResult

app = typer.Typer()

_STYLE = {"pass": "green", "fail": "bold red", "skip": "yellow"}
#: a table needs room for the status, the id (never folded: it is copied into -k) and readable evidence.
_TABLE_EXTRA = 13 + len("status") + 20 + 12  # borders and padding, status, evidence, rules

InProcess = Annotated[
    bool,
    typer.Option(
        "--in-process",
        help="Import the handler into this process (debuggable; a hung call is abandoned, not killed).",
    ),
]
Select = Annotated[
    list[str] | None,
    typer.Option(
        "-k",
        "--select",
        metavar="PATTERN",
        help="Run only cases whose id contains PATTERN or matches it as a glob (repeatable).",
    ),
]
JunitXml = Annotated[Path | None, typer.Option("--junit-xml", help="Also write JUnit XML to FILE.")]


@app.command()
@simulate_options("isolated", "function", "aws_profile", "region", "event", "repeat")
def test(
    *,
    project: Project = Path(),
    options: SimulateOptions,
    in_process: InProcess = False,
    pattern: Select = None,
    junit_xml: JunitXml = None,
    as_json: Json = False,
) -> None:
    """Run the conformance suite: the whole lifecycle, negative cases and robustness checks."""
    from c2c_cli.simulate.suite.junit import write_junit
    from c2c_cli.simulate.suite.runner import run_conformance

    session = replace(options, isolated=not in_process).session()
    with err.status("Running the conformance suite...") if err.is_terminal else contextlib.nullcontext():
        result = run_conformance(project, session, tuple(pattern or ()))
    if junit_xml is not None:
        write_junit(junit_xml, result)
    if as_json:
        print_json(result.to_json())
    else:
        render_suite(out, result)
    if not result.ok:
        raise typer.Exit(int(ExitCode.VIOLATIONS))


def render_suite(console: Any, result: SuiteResult) -> None:
    """The cases (a table, or one block per case when the console is too narrow), failures, a summary."""
    from rich.text import Text

    longest = max((len(c.case_id) for c in result.cases), default=0)
    if console.width >= longest + _TABLE_EXTRA:
        console.print(_table(result))
    else:
        console.print(Text(_title(result), style="bold"), no_wrap=True, overflow="ignore", crop=False)
        _blocks(console, result.cases)
    for case in result.cases:
        for v in case.violations:
            if case.status == "fail" and v.severity == "error":
                console.print(Text(f"  {case.case_id}: [{v.rule}] {v.path}: {v.message}", style="red"))
    counts = result.counts()
    summary = f"{counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped in {result.duration_ms / 1000:.1f} s"
    console.print(Text(summary, style="green" if result.ok else "bold red"))


def _title(result: SuiteResult) -> str:
    return f"c2c test: {result.project} ({result.auth}, {result.target})"


def _failed_rules(case: CaseResult) -> str:
    return ", ".join(sorted({v.rule for v in case.violations if v.severity == "error"}))


def _table(result: SuiteResult) -> Any:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(_title(result)))
    table.add_column("status", no_wrap=True)
    table.add_column("case", no_wrap=True)  # ids are copied into -k: never folded
    table.add_column("evidence", overflow="fold")
    table.add_column("failed rules", overflow="fold")
    for case in result.cases:
        status = Text(case.status.upper(), style=_STYLE[case.status])
        table.add_row(status, Text(case.case_id), Text(case.evidence), Text(_failed_rules(case)))
    return table


def _blocks(console: Any, cases: tuple[CaseResult, ...]) -> None:
    """Narrow consoles: the id on its own line, never wrapped (a terminal soft-wraps it, copy keeps it whole)."""
    from rich.text import Text

    for case in cases:
        line = Text(f"{case.status.upper():<4} ", style=_STYLE[case.status]) + Text(case.case_id)
        console.print(line, no_wrap=True, overflow="ignore", crop=False)
        rules = _failed_rules(case)
        console.print(Text(f"     {case.evidence}" + (f" [{rules}]" if rules else ""), style="dim"))
