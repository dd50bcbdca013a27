"""The root Typer app, the error boundary, lazy command loading and ``run()``.

The root group lists its commands from the static table (:mod:`c2c_cli.cli.commands`) and imports a
command module only when one of its commands is run or asked for help: ``c2c validate --help`` loads typer
and ``cli/validate.py``, not the emulator, the sandbox or oauth. Every loaded parameter converts its value
without pydantic (:mod:`c2c_cli.cli.coerce`).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator, MutableMapping
from typing import Annotated, Any

import typer
from typer._click import Command, Context, HelpFormatter
from typer.core import TyperGroup
from typer.exceptions import TyperException
from typer.main import get_group_from_info
from typer.models import TyperInfo

from c2c_cli import __version__
from c2c_cli.cli.coerce import go_native
from c2c_cli.cli.commands import COMMANDS, DEBUG_HELP, ROOT_HELP, VERSION_HELP
from c2c_cli.cli.output import CLOSED_PIPE, closed_pipe, is_debug, print_error, set_debug
from c2c_cli.errors import C2CError, ExitCode

__all__ = ["CLOSED_PIPE", "C2CGroup", "app", "load_module", "run"]

HELP_NAMES = ["-h", "--help"]
_ROWS = {name: (module, is_group) for name, module, is_group, _ in COMMANDS}


def load_module(module_name: str) -> dict[str, Command]:
    """The click commands that ``cli/<module_name>.py`` adds to the root, built as ``add_typer`` would."""
    module = importlib.import_module(f"c2c_cli.cli.{module_name}")
    sub: typer.Typer = module.app
    group_name = next((name for name, (m, is_group) in _ROWS.items() if m == module_name and is_group), None)
    group = get_group_from_info(
        TyperInfo(sub) if group_name is None else TyperInfo(sub, name=group_name),
        pretty_exceptions_short=app.pretty_exceptions_short,
        rich_markup_mode=app.rich_markup_mode,
        suggest_commands=app.suggest_commands,
    )
    commands: dict[str, Command] = {group_name: group} if group_name else dict(group.commands)
    for command in commands.values():
        _native_everywhere(command)
    return commands


def _native_everywhere(command: Command) -> None:
    # click makes -h/--help on first use, cached; made here (with the names every c2c context inherits
    # from the root's context_settings) it converts natively like the rest.
    help_option = command.get_help_option(Context(command, help_option_names=HELP_NAMES))
    go_native([*command.params, *([help_option] if help_option else [])])
    for sub in getattr(command, "commands", {}).values():
        _native_everywhere(sub)


class _LazyCommands(MutableMapping[str, Command]):
    """The root's commands: names from the static table, each module imported on first look-up."""

    def __init__(self) -> None:
        self._loaded: dict[str, Command] = {}
        self._names = list(_ROWS)

    def __getitem__(self, name: str) -> Command:
        if name not in self._loaded:
            if name not in _ROWS:
                raise KeyError(name)
            self._loaded.update(load_module(_ROWS[name][0]))
        return self._loaded[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self._loaded[name] = command
        if name not in self._names:
            self._names.append(name)

    def __delitem__(self, name: str) -> None:
        self._names.remove(name)
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._names))

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._names


class C2CGroup(TyperGroup):
    """The one boundary that turns errors into ``Error:``/``Hint:`` on stderr and an exit code."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**{**kwargs, "commands": _LazyCommands()})
        go_native(self.params)  # C2C_DEBUG=1 is converted without pydantic too

    def get_help_option(self, ctx: Context) -> Any:
        """Click's -h/--help, made on first use, converted natively like every other parameter."""
        option = super().get_help_option(ctx)
        if option is not None:
            go_native([option])
        return option

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:  # noqa: ARG002
        """The table's one-line helps, whole (click would cut them at the width): no module is imported."""
        rows = [(name, summary) for name, _, _, summary in COMMANDS if name in self.commands]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        """Parse the root options; ``c2c --help | head -1`` closes the pipe while the help is written."""
        try:
            return super().make_context(*args, **kwargs)
        except BrokenPipeError:
            raise typer.Exit(closed_pipe()) from None

    def invoke(self, ctx: Any) -> Any:
        """Run the command; translate C2CError (and stray exceptions) into exit codes."""
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # Library code translates its own sockets' errors at its edge (STYLE.md §3), so a bare
            # BrokenPipeError here is stdout (or stderr) closed by the reader, e.g. `| head -1`.
            ctx.exit(closed_pipe())
        except C2CError as exc:
            _maybe_traceback(exc)
            print_error(exc.message, exc.hint)
            ctx.exit(int(exc.exit_code))
        except KeyboardInterrupt:
            print_error("interrupted")
            ctx.exit(130)
        except (typer.Exit, typer.Abort, TyperException):
            raise
        except Exception as exc:
            _maybe_traceback(exc)
            print_error(
                f"unexpected {type(exc).__name__}: {exc}",
                "Re-run with --debug for the traceback and report it.",
            )
            ctx.exit(int(ExitCode.FAILURE))


def _maybe_traceback(exc: BaseException) -> None:
    if is_debug():
        import traceback

        # traceback.print_exception never prints frame locals, which may hold tokens (STYLE.md §3).
        traceback.print_exception(exc, file=sys.stderr)


app = typer.Typer(
    cls=C2CGroup,
    name="c2c",
    help=ROOT_HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Click's plain help (inherited by every command): option names are never cut, flags show no
    # "<bool>" metavar, text wraps at words at any width, and usage errors read "Error: ..." like ours.
    rich_markup_mode=None,
    add_completion=False,
    context_settings={"help_option_names": HELP_NAMES},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"c2c {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", envvar="C2C_DEBUG", help=DEBUG_HELP)] = False,
    _show_version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help=VERSION_HELP)
    ] = False,
) -> None:
    """Build, test and register C2C connectors for Managed integrations for AWS IoT Device Management."""
    set_debug(debug)


def run(argv: list[str] | None = None) -> int:
    """Run the app and return its exit code (``c2c_cli.cli.main`` answers --version and --help before)."""
    code: int = 0
    try:
        app(args=argv, prog_name="c2c", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    try:
        sys.stdout.flush()  # what is still buffered fails here, not in the interpreter's exit
    except BrokenPipeError:
        return closed_pipe()
    return code
