"""The command line: the only package that imports typer and rich.

How it works: ``main()`` (the console script) answers ``--version`` and the root help from the static
command table (:mod:`c2c_cli.cli.commands`) before importing typer at all; anything else goes to the root
Typer in :mod:`c2c_cli.cli.root`, which imports only the command module it runs. Each command group lives
in its own module with its own ``typer.Typer()``. Commands are thin: parse options, call one core
function, render its result with :mod:`c2c_cli.cli.output`. Every ``C2CError`` is turned into an exit code
and an ``Error:``/``Hint:`` message in exactly one place, :class:`c2c_cli.cli.root.C2CGroup`.

This module is on the path of every ``c2c`` run: it imports nothing at load but ``sys``.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads this name alike)
if TYPE_CHECKING:
    from typing import TextIO

    import typer

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point: run c2c with ``argv`` (default ``sys.argv[1:]``), return its exit code."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args == ["--version"]:
        from c2c_cli import __version__

        return _write(sys.stdout, f"c2c {__version__}\n", 0)
    if args in ([], ["-h"], ["--help"]):
        from c2c_cli.cli.commands import root_help, terminal_width

        text = root_help(terminal_width()) + "\n"
        # like click: asked for, the help goes to stdout (exit 0); with no arguments, to stderr (exit 2)
        return _write(sys.stdout, text, 0) if args else _write(sys.stderr, text, 2)
    from c2c_cli.cli.root import run

    return run(args)


def _write(stream: TextIO, text: str, code: int) -> int:
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:  # `c2c --help | head -1`: quietly, as the typer path does
        from c2c_cli.cli.output import closed_pipe

        return closed_pipe()
    return code


def __getattr__(name: str) -> typer.Typer:
    """``from c2c_cli.cli import app``: the root Typer, imported (with typer) on first use."""
    if name == "app":
        from c2c_cli.cli.root import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
