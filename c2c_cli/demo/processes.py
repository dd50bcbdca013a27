"""Run ``c2c`` as the user would: one-shot commands and long-running servers, as real processes."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from c2c_cli.errors import C2CError

__all__ = ["CommandFailed", "Ran", "Runner", "Server"]

_URL = re.compile(r"https?://\S+")


class CommandFailed(C2CError):
    """A demo step's command exited non-zero."""


@dataclass(frozen=True)
class Ran:
    """A finished command: what ran, how long it took, what it printed."""

    shown: str
    seconds: float
    stdout: str
    stderr: str

    def json(self) -> Any:
        """The command's stdout parsed as JSON (every command the demo runs takes --json)."""
        return json.loads(self.stdout)


class Runner:
    """Runs ``python -m c2c_cli ARGS`` with a fixed environment; the command line shown uses ``c2c``."""

    def __init__(self, env: Mapping[str, str], python: str = sys.executable) -> None:
        self.env = dict(env)
        self.python = python

    def argv(self, args: tuple[str, ...]) -> list[str]:
        """The real argument vector."""
        return [self.python, "-m", "c2c_cli", *args]

    def run(self, *args: str, env: Mapping[str, str] | None = None, visit_url: bool = False) -> Ran:
        """Run to completion; with ``visit_url``, open the first URL it prints on stderr (a browser's part).

        Raises:
            CommandFailed: on a non-zero exit, with the command's last error line.
        """
        started = time.perf_counter()
        proc = subprocess.Popen(
            self.argv(args),
            env={**self.env, **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        stderr_lines: list[str] = []
        reader = threading.Thread(target=_read_stderr, args=(proc, stderr_lines, visit_url), daemon=True)
        reader.start()
        stdout = proc.stdout.read() if proc.stdout else ""
        proc.wait(timeout=300)
        reader.join(timeout=5)
        ran = Ran(shown(args), time.perf_counter() - started, stdout, "".join(stderr_lines))
        if proc.returncode != 0:
            last = next((line for line in reversed(ran.stderr.splitlines()) if line.strip()), "no output")
            raise CommandFailed(f"{ran.shown} exited {proc.returncode}: {last}")
        return ran


_SECRET_FLAGS = ("--admin-key", "--token", "--client-secret")
_SECRET_ASSIGNMENT = re.compile(r"((?:[A-Z0-9_]*(?:SECRET|TOKEN|PASSWORD|KEY))=)(.+)")


def shown(args: tuple[str, ...]) -> str:
    """The command as a user would type it, with secret values masked (STYLE.md §5)."""
    masked, hide_next = [], False
    for arg in args:
        if hide_next:
            masked.append("***")
        else:
            masked.append(_SECRET_ASSIGNMENT.sub(r"\1***", arg))
        hide_next = arg in _SECRET_FLAGS
    return "c2c " + " ".join(a if a == "***" or a.endswith("=***") else shlex.quote(a) for a in masked)


def _read_stderr(proc: subprocess.Popen[str], lines: list[str], visit_url: bool) -> None:
    assert proc.stderr is not None
    for line in proc.stderr:
        lines.append(line)
        match = _URL.search(line) if visit_url else None
        if match:
            visit_url = False
            threading.Thread(target=visit, args=(match.group(0),), daemon=True).start()


def visit(url: str) -> None:
    """What a browser does with an auto-consent sandbox: follow the redirects to the callback."""
    import requests

    try:
        requests.get(url, timeout=30)
    except requests.RequestException:
        pass  # the final hop (a completion page nobody serves) may fail; the callback already ran


class Server:
    """A ``c2c ... start --json`` process: its first stdout line is its info; stopped with SIGINT.

    Its output goes to ``log`` rather than a pipe, so a server kept running (``c2c demo --keep``) outlives
    the demo without writing into a closed pipe.
    """

    def __init__(self, runner: Runner, log: Path, *args: str, timeout: float = 60.0) -> None:
        self.shown = shown(args)
        self.log = log
        with (
            log.open("w", encoding="utf-8") as sink,
            log.with_suffix(".err").open("w", encoding="utf-8") as errs,
        ):
            self.proc = subprocess.Popen(
                runner.argv(args),
                env=runner.env,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=errs,
                text=True,
                start_new_session=True,
            )
        self.info: dict[str, Any] = self._first_line(timeout)

    def _first_line(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.log.read_text(encoding="utf-8")
            if "\n" in text:
                try:
                    info: dict[str, Any] = json.loads(text.split("\n", 1)[0])
                    return info
                except json.JSONDecodeError:
                    break
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        self.stop()
        raise CommandFailed(f"{self.shown} did not start (see {self.log.with_suffix('.err')})")

    def stop(self) -> None:
        """Interrupt, then kill if it does not exit; never leaves the process behind."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
