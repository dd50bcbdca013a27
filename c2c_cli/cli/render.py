"""Rich renderings shared by several commands."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.table import Table

    from c2c_cli.violation import Violation

__all__ = ["violations_table"]


def violations_table(violations: Iterable[Violation], title: str = "") -> Table:
    """A table of violations: severity, path, message, rule, hint. Data is never parsed as markup."""
    from rich.table import Table  # rich only when a table is drawn (issue 15: --help and --json skip it)
    from rich.text import Text

    table = Table(title=Text(title) if title else None, show_lines=False, expand=False)
    for column in ("severity", "path", "message", "rule", "hint"):
        table.add_column(column, overflow="fold")
    for v in violations:
        style = "red" if v.severity == "error" else "yellow"
        table.add_row(
            Text(v.severity, style=style), Text(v.path), Text(v.message), Text(v.rule), Text(v.hint)
        )
    return table
