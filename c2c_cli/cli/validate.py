"""``c2c validate``: check any contract payload and report every violation.

``--json`` shape: one source -> ``{"kind", "valid", "violations": [...]}``; several -> ``{"valid": bool,
"documents": [{"source", "kind", "valid", "violations"} | {"source", "valid": false, "error"}]}``.
Exit code: 0 all valid, 3 violations in any document, 2 when any source cannot be read or parsed (an
input that could not be checked outranks one that failed its check).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from c2c_cli.cli.options import Json
from c2c_cli.cli.output import out, print_error, print_json
from c2c_cli.cli.render import violations_table
from c2c_cli.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from c2c_cli.contract import Report
    from c2c_cli.violation import Violation

app = typer.Typer()

Kind = Annotated[
    str | None,
    typer.Option(
        help="Document kind (default: auto-detect): activate-user|discover-devices|send-command|deactivate-user"
        ".request|.response, response, event.device-discovery|device-command-response|device-event|"
        "device-command-request, or api.<Operation> for any API request.",
    ),
]


@app.command()
def validate(
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="FILE|-", help="JSON files, or - for stdin (the default).", show_default=False
        ),
    ] = None,
    kind: Kind = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat every warning as an error.")] = False,
    lenient: Annotated[
        bool, typer.Option("--lenient", help="Relax unknown-shape errors (contract §5.4).")
    ] = False,
    as_json: Json = False,
) -> None:
    """Validate requests, ACKs or SendConnectorEvent bodies against the C2C contract (exit: worst file)."""
    from c2c_cli.contract import check_kind

    names = sources or ["-"]
    if strict and lenient:
        raise UsageError("--strict and --lenient exclude each other")
    if names.count("-") > 1:
        raise UsageError("stdin (-) can be read only once")
    check_kind(kind)
    if len(names) == 1:
        report, name = _validate_one(names[0], kind, strict, lenient)
        _show(report, name, as_json)
        code = ExitCode.OK if report.valid else ExitCode.VIOLATIONS
    else:
        code = _validate_many(names, kind, strict, lenient, as_json)
    if code:
        raise typer.Exit(int(code))


def _validate_one(source: str, kind: str | None, strict: bool, lenient: bool) -> tuple[Report, str]:
    from c2c_cli.contract import read_json, validate_document

    doc, name = read_json(source)
    return validate_document(doc, kind, strict=strict, lenient=lenient), name


def _show(report: Report, name: str, as_json: bool) -> None:
    if as_json:
        print_json(report.to_json())
        return
    if report.violations:
        out.print(violations_table(report.violations, title=f"{name}: {report.kind}"))
    verdict = "valid" if report.valid else "INVALID"
    out.print(f"{name}: {report.kind} is {verdict} ({_counts(report.violations)})", markup=False)


def _validate_many(
    names: list[str], kind: str | None, strict: bool, lenient: bool, as_json: bool
) -> ExitCode:
    """Each source in turn; an unreadable one is reported and the others still run."""
    documents: list[dict[str, Any]] = []
    codes: list[ExitCode] = []
    for source in names:
        try:
            report, name = _validate_one(source, kind, strict, lenient)
        except UsageError as exc:
            print_error(exc.message, exc.hint)
            documents.append(
                {"source": "stdin" if source == "-" else source, "valid": False, "error": exc.message}
            )
            codes.append(ExitCode.USAGE)
            continue
        if not as_json:
            _show(report, name, as_json=False)
        documents.append({"source": name, **report.to_json()})
        codes.append(ExitCode.OK if report.valid else ExitCode.VIOLATIONS)
    if as_json:
        print_json({"valid": all(d["valid"] for d in documents), "documents": documents})
    return _worst(codes)


def _worst(codes: list[ExitCode]) -> ExitCode:
    """Unreadable (2) outranks violations (3), which outrank valid (0)."""
    for code in (ExitCode.USAGE, ExitCode.VIOLATIONS):
        if code in codes:
            return code
    return ExitCode.OK


def _counts(violations: tuple[Violation, ...]) -> str:
    errors = sum(1 for v in violations if v.severity == "error")
    return f"{errors} error(s), {len(violations) - errors} warning(s)"
