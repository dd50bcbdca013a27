"""``c2c doctor``: check this machine and project."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from c2c_cli.cli.options import Json, Project
from c2c_cli.cli.output import out, print_json
from c2c_cli.errors import ExitCode

app = typer.Typer()

_STYLE = {"pass": "green", "warn": "yellow", "fail": "red"}


@app.command()
def doctor(
    project: Project = Path(),
    online: Annotated[
        bool, typer.Option("--online", help="Also call AWS STS to check the credentials.")
    ] = False,
    as_json: Json = False,
) -> None:
    """Check Python, packages, AWS credentials, token store, loopback ports and the project's c2c.yaml."""
    from c2c_cli.doctor import run_doctor
    from c2c_cli.paths import c2c_home

    report = run_doctor(project=project, home=c2c_home(), online=online)
    if as_json:
        print_json(report.to_json())
    else:
        table = Table("check", "status", "detail", "hint")
        for check in report.checks:
            table.add_row(
                check.id, Text(check.status, style=_STYLE[check.status]), Text(check.detail), Text(check.hint)
            )
        out.print(table)
    if not report.ok:
        raise typer.Exit(int(ExitCode.FAILURE))
