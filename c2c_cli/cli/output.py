"""Rendering helpers: results to stdout, everything else to stderr (STYLE.md §4).

Nothing here imports rich at load: ``err`` and ``out`` build their Rich console at first use (rich costs
tens of milliseconds that ``--help``, ``--json`` and most errors never need; issue 15).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

__all__ = [
    "CLOSED_PIPE",
    "closed_pipe",
    "err",
    "escape",
    "is_debug",
    "out",
    "print_error",
    "print_json",
    "progress_status",
    "set_debug",
    "show_url",
    "stderr_is_tty",
    "success",
]

#: what a shell reports for a process ended by SIGPIPE (128 + 13): the reader stopped reading.
CLOSED_PIPE = 141


def closed_pipe() -> int:
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


def _console(stderr: bool) -> Console:
    from rich.console import Console

    class _Console(Console):
        """A Rich console that leaves a closed pipe to the CLI boundary (``root.C2CGroup``)."""

        def on_broken_pipe(self) -> None:
            """Raise instead of Rich's own ``SystemExit(1)``: the boundary exits quietly with 141."""
            self.quiet = True
            raise BrokenPipeError

    # Console() resolves sys.stdout / sys.stderr at write time, so CliRunner's capture works.
    if stderr:
        return _Console(stderr=True, highlight=False, emoji=False, soft_wrap=True)
    # Piped output keeps tables readable instead of folding them at Rich's 80-column default.
    width = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", "160"))
    return _Console(highlight=False, emoji=False, width=width)


class _LazyConsole:
    """Stands for a Rich console, built at first use (once per stream kind and ``COLUMNS``)."""

    def __init__(self, stderr: bool) -> None:
        self._stderr = stderr
        self._built: dict[tuple[bool, str | None], Console] = {}

    def _get(self) -> Console:
        key = (self._stderr or sys.stdout.isatty(), os.environ.get("COLUMNS"))
        console = self._built.get(key)
        if console is None:
            console = self._built[key] = _console(self._stderr)
        return console

    def __getattr__(self, name: str) -> Any:
        return getattr(self._get(), name)


err: Console = _LazyConsole(stderr=True)  # type: ignore[assignment]
out: Console = _LazyConsole(stderr=False)  # type: ignore[assignment]


def escape(markup: str) -> str:
    """Rich's ``escape``: data shown in a markup string is never parsed as markup."""
    from rich.markup import escape as rich_escape

    return rich_escape(markup)


_debug = False
_OFF = ("", "0", "f", "false", "n", "no", "off")


def set_debug(enabled: bool) -> None:
    """Turn ``--debug`` on for this process."""
    global _debug
    _debug = enabled


def is_debug() -> bool:
    """Whether ``--debug`` or ``C2C_DEBUG=1`` is in force."""
    # the words the --debug option reads as false (C2C_DEBUG=off is off here too)
    return _debug or os.environ.get("C2C_DEBUG", "").strip().lower() not in _OFF


def print_json(data: Any) -> None:
    """Write a result as stable JSON to stdout, without Rich."""
    # what typer.echo does for text: one write plus a newline, then flush
    sys.stdout.write(json.dumps(data, indent=2, sort_keys=True, default=str) + "\n")
    sys.stdout.flush()


def print_error(message: str, hint: str | None = None) -> None:
    """``Error: ...`` and an optional ``Hint: ...`` on stderr; data is never parsed as markup."""
    if _plain_stderr():  # what Rich would print there, without importing it (a script's error path)
        sys.stderr.write(f"Error: {message}\n" + (f"Hint: {hint}\n" if hint else ""))
        sys.stderr.flush()
        return
    err.print(f"[bold red]Error:[/] {escape(message)}")
    if hint:
        err.print(f"[yellow]Hint:[/] {escape(hint)}")


def _plain_stderr() -> bool:
    """Whether Rich would write stderr without colour: not a terminal, and no variable forcing colour."""
    forced = any(os.environ.get(name) for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"))
    return not forced and not sys.stderr.isatty()


def success(message: str, next_step: str | None = None) -> None:
    """One success line plus the next step, on stderr (stdout carries results only)."""
    text = f"[green]{escape(message)}[/]"
    if next_step:
        text += f" Next: {escape(next_step)}"
    err.print(text)


def stderr_is_tty() -> bool:
    """Progress is shown only on a terminal."""
    return sys.stderr.isatty()


def show_url(browser: bool) -> Callable[[str], None]:
    """An opener for an authorization URL: printed on stderr, and opened in a browser on a terminal."""

    def show(url: str) -> None:
        err.print("Open this URL to link an end-user account:", markup=False)
        err.print(url, markup=False, soft_wrap=True)
        if browser and stderr_is_tty():
            import webbrowser

            webbrowser.open(url)

    return show


@contextmanager
def progress_status(first: str) -> Iterator[Callable[[str], None]]:
    """A Rich status line on a terminal stderr, updated by each message; silent otherwise (STYLE.md §4)."""
    if not stderr_is_tty():
        yield lambda _message: None
        return
    with err.status(escape(first) + "…") as spinner:
        yield lambda message: spinner.update(escape(message) + "…")
