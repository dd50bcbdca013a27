"""The README documents every c2c.yaml key and keeps the two quick-start commands."""

import dataclasses
import re
import typing
from pathlib import Path

from c2c_cli.config import ProjectConfig

README = (Path(__file__).resolve().parents[3] / "README.md").read_text()


def _keys(cls, prefix=""):
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if f.metadata.get("internal"):
            continue
        tp = hints[f.name]
        inner = [a for a in typing.get_args(tp) if dataclasses.is_dataclass(a)]
        target = tp if dataclasses.is_dataclass(tp) else (inner[0] if inner else None)
        if target is not None:
            yield from _keys(target, f"{prefix}{f.name}.")
        else:
            yield f"{prefix}{f.name}"


def test_every_config_key_is_documented() -> None:
    missing = [k for k in _keys(ProjectConfig) if f"`{k}`" not in README]
    assert not missing


def test_quick_start_is_exactly_the_two_commands() -> None:
    block = README.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make demo", "make test"]
    assert re.search(r"make test\b", (Path(__file__).resolve().parents[3] / ".ci" / "run").read_text())


def _layout_names() -> set[str]:
    block = README.split("<!-- layout:start -->", 1)[1].split("<!-- layout:end -->", 1)[0]
    return {
        line.split()[0].rstrip("/")
        for line in block.splitlines()[2:]
        if line.startswith("  ") and line[2] != " "
    }


def test_the_module_map_matches_the_tree() -> None:
    package = Path(__file__).resolve().parents[3] / "c2c_cli"
    real = {p.name.removesuffix(".py") if p.is_file() else p.name for p in package.iterdir()}
    real -= {"__init__", "__main__", "__pycache__"}
    shown = {name.removesuffix(".py") for name in _layout_names()}
    assert shown == real
