"""The dependency direction of STYLE.md §1, checked on every import statement (top-level and lazy)."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[3] / "c2c_cli"
FEATURES = {"scaffold", "oauth", "simulate", "emulator", "sandbox", "aws", "demo", "doctor"}
LOWER = {
    "contract",
    "matter",
    "runtime",
    "violation",
    "errors",
    "config",
    "paths",
    "redaction",
    "network",
    "serving",
    "lazy",
}


def _imports() -> list[tuple[str, str]]:
    """(module path inside c2c_cli, imported module) for every import in the package."""
    found = []
    for file in PACKAGE.rglob("*.py"):
        where = file.relative_to(PACKAGE).as_posix()
        for node in ast.walk(ast.parse(file.read_text())):
            if isinstance(node, ast.Import):
                found += [(where, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append((where, node.module))
    return found


def _top(where: str) -> str:
    return where.split("/", 1)[0].removesuffix(".py")


IMPORTS = _imports()


def test_nothing_imports_the_cli() -> None:
    bad = [(w, m) for w, m in IMPORTS if m.startswith("c2c_cli.cli") and _top(w) not in ("cli", "__main__")]
    assert bad == []


@pytest.mark.parametrize(("library", "allowed"), [("typer", {"cli"}), ("rich", {"cli"}), ("boto3", {"aws"})])
def test_third_party_libraries_stay_in_their_package(library: str, allowed: set[str]) -> None:
    bad = [(w, m) for w, m in IMPORTS if m.split(".")[0] == library and _top(w) not in allowed]
    assert bad == []


def test_lower_layers_import_no_feature_package() -> None:
    bad = [
        (w, m)
        for w, m in IMPORTS
        if _top(w) in LOWER and m.startswith("c2c_cli.") and m.split(".")[1] in FEATURES | {"cli"}
    ]
    assert bad == []


def test_errors_imports_nothing_of_c2c() -> None:
    assert [m for w, m in IMPORTS if w == "errors.py" and m.startswith("c2c_cli")] == []
