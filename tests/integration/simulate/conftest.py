"""Fixtures for simulator integration tests: the broken-connector projects and tiny handler projects."""

from collections.abc import Callable
from pathlib import Path

import pytest

BROKEN = Path(__file__).resolve().parents[2] / "fixtures" / "broken"


@pytest.fixture
def broken() -> Callable[[str], Path]:
    """``broken(name)``: the path of a mutation fixture project (``correct`` is the unbroken one)."""
    return lambda name: BROKEN / name


@pytest.fixture
def handler_project(tmp_path: Path) -> Callable[[str], Path]:
    """``handler_project(body)``: a project whose ``app.py`` holds ``body`` (defining ``handler``)."""

    def make(body: str) -> Path:
        project = tmp_path / f"p{len(list(tmp_path.iterdir()))}"
        project.mkdir()
        (project / "app.py").write_text(body)
        return project

    return make
