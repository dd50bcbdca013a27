"""The root Typer app, the error boundary and ``main()``."""

from __future__ import annotations

import os
import sys
import traceback
from typing import Annotated, Any

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from c2c_cli import __version__
from c2c_cli.cli.commands import register_all
from c2c_cli.cli.output import is_debug, print_error, set_debug
from c2c_cli.errors import C2CError, ExitCode

__all__ = ["CLOSED_PIPE", "C2CGroup", "app", "main"]


class C2CGroup(TyperGroup):
    """The one boundary that turns errors into ``Error:``/``Hint:`` on stderr and an exit code."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        """Parse the root options; ``c2c --help | head -1`` closes the pipe while the help is written."""
        try:
            return super().make_context(*args, **kwargs)
        except BrokenPipeError:
            raise typer.Exit(_closed_pipe()) from None

    def invoke(self, ctx: Any) -> Any:
        """Run the command; translate C2CError (and stray exceptions) into exit codes."""
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # Library code translates its own sockets' errors at its edge (STYLE.md §3), so a bare
            # BrokenPipeError here is stdout (or stderr) closed by the reader, e.g. `| head -1`.
            ctx.exit(_closed_pipe())
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


#: what a shell reports for a process ended by SIGPIPE (128 + 13): the reader stopped reading.
CLOSED_PIPE = 141


def _closed_pipe() -> int:
    """Point stdout at /dev/null, so Python's exit-time flush cannot fail again, and say nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        finally:
            os.close(devnull)
    except (OSError, ValueError):  # no real file descriptor (e.g. CliRunner's capture)
        pass
    return CLOSED_PIPE


def _maybe_traceback(exc: BaseException) -> None:
    if is_debug():
        # traceback.print_exception never prints frame locals, which may hold tokens (STYLE.md §3).
        traceback.print_exception(exc, file=sys.stderr)


app = typer.Typer(
    cls=C2CGroup,
    name="c2c",
    help="Build, test and register C2C connectors for Managed integrations for AWS IoT Device Management.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Click's plain help (inherited by every command): option names are never cut, flags show no
    # "<bool>" metavar, text wraps at words at any width, and usage errors read "Error: ..." like ours.
    rich_markup_mode=None,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"c2c {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: Annotated[
        bool, typer.Option("--debug", envvar="C2C_DEBUG", help="Show tracebacks (secrets stay redacted).")
    ] = False,
    _show_version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Build, test and register C2C connectors for Managed integrations for AWS IoT Device Management."""
    set_debug(debug)


register_all(app)


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point: run the app and return its exit code."""
    code: int = 0
    try:
        app(args=argv, prog_name="c2c", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    try:
        sys.stdout.flush()  # what is still buffered fails here, not in the interpreter's exit
    except BrokenPipeError:
        return _closed_pipe()
    return code
