"""``c2c demo``: the offline lifecycle, start to finish, with a summary table."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from c2c_cli.cli.options import Json
from c2c_cli.cli.output import err, out, print_json, stderr_is_tty, success
from c2c_cli.errors import UsageError

app = typer.Typer()


@app.command()
def demo(
    keep: Annotated[
        Path | None,
        typer.Option(metavar="DIR", help="Keep the project and c2c home in DIR (default: a temp dir)."),
    ] = None,
    auth: Annotated[
        str,
        typer.Option(
            help="oauth: the whole lifecycle; general: a short General Authorization leg (API key secret, "
            "link --material, a command)."
        ),
    ] = "oauth",
    as_json: Json = False,
) -> None:
    """Run the whole lifecycle offline: sandbox, emulator, init, oauth, simulate, test, register, link."""
    from c2c_cli.demo import run_demo

    if auth not in ("oauth", "general"):
        raise UsageError(f"--auth {auth!r}: use oauth or general")

    workdir = keep.resolve() if keep else Path(tempfile.mkdtemp(prefix="c2c-demo-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        if stderr_is_tty():
            with err.status("Starting…") as status:
                result = run_demo(
                    workdir, lambda m: status.update(Text(m + "…")), keep_servers=keep is not None, auth=auth
                )
        else:
            result = run_demo(
                workdir, lambda m: err.print(f"- {m}", markup=False), keep_servers=keep is not None, auth=auth
            )
    finally:
        if keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    if as_json:
        print_json(result.to_json())
        return
    table = Table("step", "command", "seconds", "result", title=Text(f"c2c demo: {result.seconds:.1f} s"))
    for step in result.steps:
        table.add_row(Text(step.title), Text(step.command), f"{step.seconds:.2f}", Text(step.result))
    out.print(table)
    if keep:
        servers = result.servers
        err.print(
            f"Kept: project {result.project_dir}, C2C_HOME={workdir / 'home'}, sandbox {servers['sandbox']}, "
            f"emulator {servers['emulator']} (stop them with: kill -INT {servers['pids']})",
            markup=False,
        )
    where = f"The project is in {result.project_dir}." if keep else "Everything it made is cleaned up."
    success(f"Demo finished in {result.seconds:.1f} s. {where}", "c2c init my-connector")
