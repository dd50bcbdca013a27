"""Where every command module is joined to the root app (one line per module)."""

from __future__ import annotations

import importlib

import typer

__all__ = ["register_all"]

# (module under c2c_cli.cli, group name or None to merge its commands at the top level)
_MODULES: tuple[tuple[str, str | None], ...] = (
    # In the order a connector developer meets them (c2c --help lists them so).
    ("init", None),
    ("validate", None),
    ("events", "events"),
    ("oauth", "oauth"),
    ("simulate", "simulate"),
    ("test", None),
    ("sandbox", "sandbox"),
    ("emulator", "emulator"),
    ("register", None),
    ("link", None),
    ("demo", None),
    ("doctor", None),
)


def register_all(app: typer.Typer) -> None:
    """Import each command module and add its Typer app."""
    for module_name, group in _MODULES:
        module = importlib.import_module(f"c2c_cli.cli.{module_name}")
        sub: typer.Typer = module.app
        if group is None:
            app.add_typer(sub)
        else:
            app.add_typer(sub, name=group)
