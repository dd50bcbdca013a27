"""The demo's record: its steps and result, and the runner every step goes through."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c2c_cli.demo.processes import Ran, Runner, Server

__all__ = ["NAME", "USER", "DemoResult", "DemoRun", "Step"]

NAME = "acme-lights"
USER = "alice"


@dataclass(frozen=True)
class Step:
    """One step of the demo: what it showed and how long it took."""

    title: str
    command: str
    seconds: float
    result: str

    def to_json(self) -> dict[str, Any]:
        """Stable JSON form."""
        return {
            "title": self.title,
            "command": self.command,
            "seconds": round(self.seconds, 3),
            "result": self.result,
        }


@dataclass(frozen=True)
class DemoResult:
    """Every step, the project directory and the total time."""

    steps: tuple[Step, ...]
    project_dir: Path
    seconds: float
    servers: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The documented ``--json`` shape of ``c2c demo``."""
        return {
            "project_dir": str(self.project_dir),
            "seconds": round(self.seconds, 3),
            "servers": self.servers,
            "steps": [s.to_json() for s in self.steps],
        }


class DemoRun:
    """One demo in progress: the project, the c2c runner, the servers and the steps so far."""

    def __init__(self, workdir: Path, progress: Callable[[str], None]) -> None:
        self.workdir = workdir
        self.project = workdir / NAME
        self.progress = progress
        self.steps: list[Step] = []
        self.servers: list[Server] = []
        home = workdir / "home"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "C2C_"))}
        self.runner = Runner({**env, "C2C_HOME": str(home), "AWS_EC2_METADATA_DISABLED": "true"})

    def step(self, title: str, ran: Ran, result: str) -> Ran:
        """Record a finished command as a step."""
        self.steps.append(Step(title, ran.shown, ran.seconds, result))
        return ran

    def server(self, stack: ExitStack, title: str, *args: str) -> Server:
        """Start a long-running ``c2c`` server (stopped when ``stack`` closes) as a step."""
        self.progress(title)
        started = time.perf_counter()
        server = Server(self.runner, self.workdir / f"{args[0]}.log", *args)
        self.servers.append(server)
        stack.callback(server.stop)
        self.steps.append(Step(title, server.shown, time.perf_counter() - started, "serving"))
        return server

    def c2c(self, title: str, *args: str, visit_url: bool = False, summary: Callable[[Any], str]) -> Any:
        """Run a ``c2c`` command with ``--json``-style output, record it, return its JSON."""
        self.progress(title)
        ran = self.runner.run(*args, visit_url=visit_url)
        data = ran.json()
        self.step(title, ran, summary(data))
        return data
