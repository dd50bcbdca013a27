"""The structure issue 14 asks for, checked on the whole package: no import cycle, small modules.

Every import statement counts, wherever it stands (module level, inside a function, under
``TYPE_CHECKING``): a lazy import that closes a loop is still a loop a reader has to untangle.
The emulator's own layer order is checked in ``test_emulator_layers.py``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[3] / "c2c_cli"
MAX_LINES = 300


def _module_name(file: Path) -> str:
    parts = list(file.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(f): f for f in PACKAGE.rglob("*.py")}


def _targets(module: str, file: Path) -> set[str]:
    """The c2c_cli modules ``module`` imports (a ``from x import y`` of a submodule counts as x.y)."""
    package = module if file.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {t for t in found if t in MODULES and t != module}


GRAPH = {m: _targets(m, f) for m, f in MODULES.items()}


def _related(a: str, b: str) -> bool:
    # a package and its own submodules: importing c2c_cli.x.y runs c2c_cli.x first by design
    return a.startswith(b + ".") or b.startswith(a + ".")


def _reaches(start: str, goal: str, graph: dict[str, set[str]]) -> bool:
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        fresh = graph[node] - seen
        seen |= fresh
        todo += sorted(fresh)
    return False


def _cycles(graph: dict[str, set[str]] | None = None) -> list[tuple[str, str]]:
    """Each import ``a -> b`` (of unrelated modules) from which ``b`` leads back to ``a``.

    The way back may pass through a package's ``__init__`` (``from c2c_cli.x import y`` runs it):
    that is a real loop at import time even when no two leaf modules name each other.
    """
    graph = GRAPH if graph is None else graph
    return [
        (a, b)
        for a in sorted(graph)
        for b in sorted(graph[a])
        if not _related(a, b) and _reaches(b, a, graph)
    ]


def test_no_import_cycle_anywhere() -> None:
    assert _cycles() == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_is_small(module: str) -> None:
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{MODULES[module]} has {lines} lines (STYLE.md §6: under ~{MAX_LINES})"


def test_the_checks_can_fail() -> None:
    # The cycle finder sees a loop, also one through a package __init__ (guards the test itself).
    assert _cycles({"p.a": {"p.b"}, "p.b": {"p"}, "p": {"p.a"}}) == [("p.a", "p.b")]
    assert _cycles({"p.a": {"p.b"}, "p.b": set(), "p": {"p.a"}}) == []
