"""``c2c validate``: check any contract payload and report every violation."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from c2c_cli.cli.output import out, print_json
from c2c_cli.cli.render import violations_table
from c2c_cli.errors import ExitCode, UsageError

app = typer.Typer()


def read_document(source: str) -> tuple[object, str]:
    """Parse JSON from a file path or ``-`` (stdin); bad input is a UsageError naming line and column."""
    from c2c_cli.contract import parse_json

    name = "stdin" if source == "-" else source
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {name}: {exc.strerror if isinstance(exc, OSError) else exc}") from None
    try:
        return parse_json(text), name
    except ValueError as exc:
        raise UsageError(f"{name}: {exc}", hint="Fix the JSON syntax first.") from None


@app.command()
def validate(
    source: Annotated[str, typer.Argument(metavar="[FILE|-]", help="JSON file, or - for stdin.")] = "-",
    kind: Annotated[
        str | None,
        typer.Option(
            help="Document kind (default: auto-detect): activate-user|discover-devices|send-command|deactivate-user"
            ".request|.response, response, event.device-discovery|device-command-response|device-event|"
            "device-command-request, or api.<Operation> for any API request.",
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat every warning as an error.")] = False,
    lenient: Annotated[
        bool, typer.Option("--lenient", help="Relax unknown-shape errors (contract §5.4).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Validate a request, ACK or SendConnectorEvent body against the C2C contract."""
    from c2c_cli.contract import validate_document

    if strict and lenient:
        raise UsageError("--strict and --lenient exclude each other")
    doc, name = read_document(source)
    report = validate_document(doc, kind, strict=strict, lenient=lenient)
    if as_json:
        print_json(report.to_json())
    else:
        if report.violations:
            out.print(violations_table(report.violations, title=f"{name}: {report.kind}"))
        verdict = "valid" if report.valid else "INVALID"
        out.print(f"{name}: {report.kind} is {verdict} ({_counts(report.violations)})", markup=False)
    if not report.valid:
        raise typer.Exit(int(ExitCode.VIOLATIONS))


def _counts(violations: tuple[object, ...]) -> str:
    errors = sum(1 for v in violations if getattr(v, "severity", "") == "error")
    return f"{errors} error(s), {len(violations) - errors} warning(s)"
