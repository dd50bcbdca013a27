"""pytest fixtures for connector projects: the simulator, the emulator and the sandbox of ``c2c test``.

Registered as the ``pytest11`` entry point ``c2c`` (or load it with ``-p c2c_cli.simulate.pytest_plugin``).
The project under test is ``--c2c-project DIR``, else the ``c2c_project`` ini value, else pytest's
rootdir. See :mod:`c2c_cli.simulate` for an example.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from c2c_cli.simulate.environment import SandboxOptions
from c2c_cli.simulate.session import SessionOptions, simulation
from c2c_cli.simulate.simulator import SimulationSettings, Simulator

__all__ = [
    "c2c_emulator",
    "c2c_project_dir",
    "c2c_sandbox",
    "c2c_simulation",
    "c2c_simulator",
    "pytest_addoption",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--c2c-project`` and the ``c2c_project`` ini key."""
    group = parser.getgroup("c2c", "c2c connector simulation")
    group.addoption("--c2c-project", default=None, help="connector project directory (holds c2c.yaml)")
    parser.addini("c2c_project", "connector project directory (holds c2c.yaml)", default="")


@pytest.fixture
def c2c_project_dir(request: pytest.FixtureRequest) -> Path:
    """The project the fixtures simulate."""
    option = request.config.getoption("--c2c-project") or request.config.getini("c2c_project")
    return Path(str(option)).resolve() if option else Path(request.config.rootpath)


@pytest.fixture
def c2c_simulation() -> Callable[..., contextlib.AbstractContextManager[Simulator]]:
    """``c2c_simulation(project_dir, **SessionOptions fields)``: a context manager yielding a Simulator."""

    def open_simulation(project_dir: Path, **options: Any) -> contextlib.AbstractContextManager[Simulator]:
        return simulation(Path(project_dir), SessionOptions(**options))

    return open_simulation


@pytest.fixture
def c2c_simulator(c2c_project_dir: Path) -> Iterator[Simulator]:
    """A :class:`Simulator` for the project, in-process, against a fresh sandbox (seeded user ``alice``)."""
    options = SessionOptions(sandbox=SandboxOptions(), settings=SimulationSettings(wait_s=3.0))
    with simulation(c2c_project_dir, options) as simulator:
        yield simulator


@pytest.fixture
def c2c_emulator() -> Iterator[Any]:
    """A running in-memory ``c2c emulator`` (no moto) on an ephemeral loopback port."""
    from c2c_cli.emulator import EmulatorSettings, start_emulator

    with start_emulator(EmulatorSettings(port=0, db=":memory:", with_moto=False)) as emulator:
        yield emulator


@pytest.fixture
def c2c_sandbox() -> Iterator[Any]:
    """A running in-memory ``c2c sandbox`` on an ephemeral loopback port (users alice and bob)."""
    from c2c_cli.sandbox import SandboxSettings, start_sandbox

    with start_sandbox(SandboxSettings(port=0, auto_consent="alice")) as sandbox:
        yield sandbox
