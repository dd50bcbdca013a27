"""The static command table: every command's name, module and one-line help, and the root help drawn from it.

``c2c --help`` and ``c2c --version`` are answered from this module without importing typer or any command
module (``c2c_cli.cli.main``); ``c2c <name> ...`` imports typer and only the module that defines ``<name>``
(``c2c_cli.cli.root.C2CGroup``). ``tests/cli/test_app.py`` keeps each row identical to its module's real
help, checks that every command module is listed, and that :func:`root_help` prints what click prints.

This module imports nothing but ``os`` and ``sys`` at load (``textwrap``, and with it ``re``, only to draw
the help): it is on the path of every ``c2c`` run.
"""

from __future__ import annotations

import os
import sys

__all__ = ["COMMANDS", "DEBUG_HELP", "ROOT_HELP", "VERSION_HELP", "modules", "root_help", "terminal_width"]

#: (command name, module under c2c_cli.cli, whether the module's app is the group ``name``, one-line help),
#: in the order a connector developer meets them (``c2c --help`` lists them so). A module whose app is no
#: group has one row per command it defines (``register`` defines register, status and unregister). The
#: help is the first line of the command's (or group's) own help; a test keeps them identical.
COMMANDS: tuple[tuple[str, str, bool, str], ...] = (
    (
        "init",
        "init",
        False,
        "Create a connector project (Lambda handler, Matter mapping, SAM template, tests) from a template.",
    ),
    (
        "validate",
        "validate",
        False,
        "Validate requests, ACKs or SendConnectorEvent bodies against the C2C contract (exit: worst file).",
    ),
    (
        "events",
        "events",
        True,
        "Create (and send) contract payloads: requests, ACKs and SendConnectorEvent bodies.",
    ),
    (
        "oauth",
        "oauth",
        True,
        "Link an account at the vendor's OAuth server, manage its tokens, check the provider.",
    ),
    (
        "simulate",
        "simulate",
        True,
        "Run one operation of the service against the connector, locally, and check it.",
    ),
    (
        "test",
        "test",
        False,
        "Run the conformance suite: the whole lifecycle, negative cases and robustness checks.",
    ),
    ("sandbox", "sandbox", True, "Run a local third-party device cloud with a real OAuth 2.0 server."),
    (
        "emulator",
        "emulator",
        True,
        "Run the local managed-integrations emulator (plus moto) and watch connector events.",
    ),
    (
        "register",
        "register",
        False,
        "Register the connector: Lambda permission, KMS key, secret, cloud connector, destination.",
    ),
    ("status", "register", False, "Show what is registered and how it differs from c2c.yaml."),
    ("unregister", "register", False, "Remove what c2c register created, in reverse order."),
    (
        "link",
        "link",
        False,
        "Link an end-user account, discover its devices, optionally onboard them (the customer's side).",
    ),
    (
        "demo",
        "demo",
        False,
        "Run the whole lifecycle offline: sandbox, emulator, init, oauth, simulate, test, register, link.",
    ),
    (
        "doctor",
        "doctor",
        False,
        "Check Python, packages, AWS credentials, token store, loopback ports and the project's c2c.yaml.",
    ),
)

ROOT_HELP = "Build, test and register C2C connectors for Managed integrations for AWS IoT Device Management."
DEBUG_HELP = "Show tracebacks (secrets stay redacted)."
VERSION_HELP = "Print the version."
#: the root options as click lists them (typer appends the env var; click adds -h/--help).
_ROOT_OPTIONS = (
    ("--debug", f"{DEBUG_HELP}  [env var: C2C_DEBUG]"),
    ("--version", VERSION_HELP),
    ("-h, --help", "Show this message and exit."),
)


def modules() -> list[str]:
    """The command modules, each once, in table order."""
    return list(dict.fromkeys(module for _, module, _, _ in COMMANDS))


def terminal_width() -> int:
    """The width click's HelpFormatter draws at: the terminal's (``COLUMNS`` first), at most 78, at least 50."""
    # shutil.get_terminal_size's own steps, without importing shutil (and fnmatch, collections...)
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return max(min(columns or 80, 80) - 2, 50)


def root_help(width: int) -> str:
    """``c2c --help`` at ``width`` columns, as click's plain formatter draws it (a test compares the two)."""
    from textwrap import TextWrapper

    def fill(text: str, width: int, indent: str = "", subsequent: str | None = None) -> str:
        later = indent if subsequent is None else subsequent
        return TextWrapper(
            width, initial_indent=indent, subsequent_indent=later, replace_whitespace=False
        ).fill(text)

    def dl(rows: tuple[tuple[str, str], ...]) -> list[str]:
        first_col = min(max(len(first) for first, _ in rows), 30) + 2
        lines = []
        for first, second in rows:
            wrapped = fill(second, max(width - first_col - 2, 10)).splitlines()
            if len(first) <= first_col - 2:
                lines.append(f"  {first:<{first_col}}{wrapped[0]}")
            else:
                lines += [f"  {first}", f"  {'':<{first_col}}{wrapped[0]}"]
            lines += [f"  {'':<{first_col}}{line}" for line in wrapped[1:]]
        return lines

    commands = tuple((name, summary) for name, _, _, summary in COMMANDS)
    return "\n".join(
        [
            fill("[OPTIONS] COMMAND [ARGS]...", width, "Usage: c2c ", " " * len("Usage: c2c ")),
            "",
            fill(ROOT_HELP, width, "  "),
            "",
            "Options:",
            *dl(_ROOT_OPTIONS),
            "",
            "Commands:",
            *dl(commands),
        ]
    )
