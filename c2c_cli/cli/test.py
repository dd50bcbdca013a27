"""``c2c test``: the conformance suite a team can gate its CI on (exit 0 = conforms, 3 = violations)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from c2c_cli.cli.output import err, out, print_json
from c2c_cli.cli.simulate import (
    Auth,
    Profile,
    Project,
    Retries,
    SandboxDevices,
    SecretArn,
    SecretFile,
    SecretVersion,
    Shape,
    Token,
    Wait,
)
from c2c_cli.errors import ExitCode

if TYPE_CHECKING:
    from c2c_cli.simulate.suite.report import SuiteResult

app = typer.Typer()

_STYLE = {"pass": "green", "fail": "bold red", "skip": "yellow"}


@app.command()
def test(
    project: Project = Path(),
    token: Token = None,
    profile: Profile = None,
    auth: Auth = None,
    secret_arn: SecretArn = None,
    secret_version: SecretVersion = None,
    secret_file: SecretFile = None,
    sandbox: Annotated[
        bool,
        typer.Option("--sandbox", help="Start a local sandbox vendor: zero-setup credentials and devices."),
    ] = False,
    sandbox_devices: SandboxDevices = 11,
    in_process: Annotated[
        bool, typer.Option("--in-process", help="Import the handler into this process (faster, less real).")
    ] = False,
    pattern: Annotated[
        list[str] | None, typer.Option("-k", help="Run only cases whose id matches (repeatable).")
    ] = None,
    junit_xml: Annotated[
        Path | None, typer.Option("--junit-xml", help="Also write JUnit XML to FILE.")
    ] = None,
    wait: Wait = 5.0,
    retries: Retries = 5,
    shape: Shape = "list",
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Run the conformance suite: the whole lifecycle, negative cases and robustness checks."""
    from dataclasses import replace

    from c2c_cli.cli.simulate import _options
    from c2c_cli.simulate.suite.junit import write_junit
    from c2c_cli.simulate.suite.runner import run_conformance

    options = _options(
        token=token, profile=profile, auth=auth, secret_arn=secret_arn, secret_version=secret_version,
        secret_file=secret_file,
        sandbox=sandbox, sandbox_devices=sandbox_devices, isolated=not in_process, function=None,
        aws_profile=None, region=None, wait=wait, repeat=1, retries=retries, shape=shape,
    )  # fmt: skip
    with err.status("Running the conformance suite...") if err.is_terminal else _nothing():
        result = run_conformance(project, replace(options, isolated=not in_process), tuple(pattern or ()))
    if junit_xml is not None:
        write_junit(junit_xml, result)
    if as_json:
        print_json(result.to_json())
    else:
        _render(result)
    if not result.ok:
        raise typer.Exit(int(ExitCode.VIOLATIONS))


def _nothing() -> Any:
    import contextlib

    return contextlib.nullcontext()


def _render(result: SuiteResult) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(f"c2c test: {result.project} ({result.auth}, {result.target})"))
    for column in ("status", "case", "evidence", "failed rules"):
        table.add_column(column, overflow="fold")
    for case in result.cases:
        rules = sorted({v.rule for v in case.violations if v.severity == "error"})
        table.add_row(
            Text(case.status.upper(), style=_STYLE[case.status]),
            Text(case.case_id),
            Text(case.evidence),
            Text(", ".join(rules)),
        )
    out.print(table)
    for case in result.cases:
        for v in case.violations:
            if case.status == "fail" and v.severity == "error":
                out.print(Text(f"  {case.case_id}: [{v.rule}] {v.path}: {v.message}", style="red"))
    counts = result.counts()
    summary = f"{counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped in {result.duration_ms / 1000:.1f} s"
    out.print(Text(summary, style="green" if result.ok else "bold red"))
