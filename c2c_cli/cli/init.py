"""``c2c init``: create a connector project from a template."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from c2c_cli.cli.options import Json
from c2c_cli.cli.output import err, escape, out, print_json, success
from c2c_cli.errors import UsageError

if TYPE_CHECKING:
    from rich.tree import Tree

    from c2c_cli.scaffold import RenderResult, TemplateInfo

app = typer.Typer()


def _print_templates(templates: list[TemplateInfo], as_json: bool) -> None:
    if as_json:
        print_json([t.to_json() for t in templates])
        return
    from rich.table import Table

    table = Table("template", "auth", "description", box=None)
    for t in templates:
        table.add_row(
            escape(t.name + (" (default)" if t.default else "")), escape(t.auth), escape(t.description)
        )
    out.print(table)


def _ask(label: str, default: str | None, problem: Callable[[str], str | None]) -> str:
    """Prompt on stderr until ``problem`` accepts the answer."""
    while True:
        answer = str(typer.prompt(label, default=default, err=True)).strip()
        message = problem(answer)
        if message is None:
            return answer
        err.print(f"[red]{escape(message)}[/]")


def _template_problem(choices: list[str]) -> Callable[[str], str | None]:
    return lambda answer: None if answer in choices else f"choose one of: {', '.join(choices)}"


def _resolve(
    directory: Path | None, name: str | None, template: str | None, vendor_url: str | None, interactive: bool
) -> tuple[Path, str, str | None, str]:
    """Fill what the flags left out: prompts on a terminal, defaults with --no-input."""
    from c2c_cli.config import validate_connector_name
    from c2c_cli.scaffold import DEFAULT_VENDOR_URL, get_template, list_templates, vendor_url_problem

    if template is not None:
        get_template(template)  # an unknown template fails before any prompt
    if name is None:
        default = directory.resolve().name if directory is not None else None
        if interactive:
            name = _ask("Connector name", default, validate_connector_name)
        elif default is None:
            raise UsageError(
                "give a project directory or --name", hint="e.g. c2c init acme-connector --no-input"
            )
        else:
            name = default
    if template is None and interactive:
        names = [t.name for t in list_templates()]
        template = _ask(f"Template ({', '.join(names)})", names[0], _template_problem(names))
    if vendor_url is None and interactive:
        vendor_url = _ask("Vendor API URL", DEFAULT_VENDOR_URL, vendor_url_problem)
    return directory or Path(name), name, template, vendor_url or DEFAULT_VENDOR_URL


def _tree(result: RenderResult, label: str) -> Tree:
    from rich.tree import Tree

    root = Tree(escape(label))
    nodes: dict[str, Tree] = {"": root}
    for file in result.files:
        parts = file.split("/")
        for depth in range(1, len(parts)):
            key = "/".join(parts[:depth])
            if key not in nodes:
                nodes[key] = nodes["/".join(parts[: depth - 1])].add(escape(parts[depth - 1] + "/"))
        nodes["/".join(parts[:-1])].add(escape(parts[-1]))
    return root


def _display(path: Path) -> str:
    try:
        return "./" + path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


@app.command("init")
def init(
    directory: Annotated[
        Path | None, typer.Argument(metavar="[DIR]", help="Project directory (default: ./NAME).")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Connector name (default: DIR's name).")] = None,
    template: Annotated[str | None, typer.Option(help="oauth2 (default) or general-auth.")] = None,
    vendor_url: Annotated[
        str | None, typer.Option(help="Vendor API base URL (default: the c2c sandbox).")
    ] = None,
    no_input: Annotated[bool, typer.Option("--no-input", help="Never prompt; use defaults.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Write into a non-empty DIR.")] = False,
    list_only: Annotated[bool, typer.Option("--list-templates", help="List the templates and exit.")] = False,
    as_json: Json = False,
) -> None:
    """Create a connector project (Lambda handler, Matter mapping, SAM template, tests) from a template."""
    from c2c_cli.scaffold import check_destination, list_templates, render_project

    if list_only:
        _print_templates(list_templates(), as_json)
        return
    if directory is not None:
        check_destination(directory.expanduser().resolve(), force=force)  # before any prompt
    interactive = not no_input and sys.stdin.isatty()
    dest, name, template, vendor_url = _resolve(directory, name, template, vendor_url, interactive)
    result = render_project(template, dest, name=name, vendor_url=vendor_url, force=force)
    shown = _display(result.dest)
    if as_json:
        print_json(result.to_json())
    else:
        out.print(_tree(result, shown))
    # issue 13 §7: a fresh project has no tokens yet; --sandbox signs a throwaway sandbox user in.
    success(f"Created {shown}.", f"cd {shlex.quote(shown.removeprefix('./'))} && c2c test --sandbox")
