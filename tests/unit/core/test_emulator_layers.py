"""The emulator's three layers (issue 14 §1): ``operations -> driver -> http``, no import cycle.

The import graph is computed with ``ast`` from every import statement, module level and inside
functions (``TYPE_CHECKING`` blocks included: a layer that needs a name from above for its types
is as tangled as one that imports it at run time).
"""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

EMULATOR = Path(__file__).resolve().parents[3] / "c2c_cli" / "emulator"
ROOT = EMULATOR.parents[1]
# Each layer may import only the layers after it in this list.
LAYERS = ("operations", "driver", "http")


def _module(file: Path) -> str:
    parts = file.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _known() -> set[str]:
    return {_module(f) for f in EMULATOR.rglob("*.py")}


def _targets(node: ast.AST, known: set[str]) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (a.name for a in node.names if a.name in known)
    elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        for alias in node.names:
            sub = f"{node.module}.{alias.name}"  # ``from pkg import module``
            if sub in known:
                yield sub
            elif node.module in known:
                yield node.module


def import_graph() -> dict[str, set[str]]:
    """Emulator module -> the emulator modules it imports (anywhere in its body)."""
    known = _known()
    graph: dict[str, set[str]] = {}
    for file in EMULATOR.rglob("*.py"):
        name = _module(file)
        tree = ast.parse(file.read_text(encoding="utf-8"))
        graph[name] = {t for node in ast.walk(tree) for t in _targets(node, known) if t != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as ``[a, b, ..., a]``, or ``[]``."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str]:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return []
        for target in sorted(graph.get(node, ())):
            cycle = visit(target, [*path, node])
            if cycle:
                return cycle
        done.add(node)
        return []

    for start in sorted(graph):
        cycle = visit(start, [])
        if cycle:
            return cycle
    return []


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[2] in LAYERS else None


GRAPH = import_graph()


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_function_level_imports() -> None:
    # the CLI-facing package imports every layer; the graph must have found those edges
    assert "c2c_cli.emulator.operations.emulator" in GRAPH["c2c_cli.emulator"]


def test_the_emulator_has_no_import_cycle() -> None:
    assert find_cycle(GRAPH) == []


@pytest.mark.parametrize("layer", LAYERS)
def test_a_layer_imports_only_the_layers_below_it(layer: str) -> None:
    above = set(LAYERS[: LAYERS.index(layer)])
    bad = sorted(
        (module, target)
        for module, targets in GRAPH.items()
        if _layer(module) == layer
        for target in targets
        if _layer(target) in above or target == "c2c_cli.emulator"
    )
    assert bad == []


def test_the_top_level_holds_only_the_three_layers() -> None:
    entries = {p.name for p in EMULATOR.iterdir() if p.name != "__pycache__"}
    assert entries == {"__init__.py", *LAYERS}
