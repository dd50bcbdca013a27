"""The command line: the only package that imports typer and rich.

How it works: ``app`` is the root Typer; each command group lives in its own module with its own
``typer.Typer()`` and is joined here with ``add_typer``. Commands are thin: parse options, call one core
function, render its result with :mod:`c2c_cli.cli.output`. Every ``C2CError`` is turned into an exit code
and an ``Error:``/``Hint:`` message in exactly one place, :class:`c2c_cli.cli.app.C2CGroup`.
"""

from c2c_cli.cli.app import app, main

__all__ = ["app", "main"]
