"""Where every command module is joined to the root app (one line per module)."""

from __future__ import annotations

import importlib

import typer

__all__ = ["register_all"]

# (module under c2c_cli.cli, group name or None to merge its commands at the top level)
_MODULES: tuple[tuple[str, str | None], ...] = (
    ("validate", None),
    ("events", "events"),
    ("doctor", None),
    ("demo", None),
    ("emulator", "emulator"),
    ("oauth", "oauth"),
    ("sandbox", "sandbox"),
    ("register", None),
    ("simulate", "simulate"),
    ("test", None),
    ("init", None),
    ("link", None),
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
