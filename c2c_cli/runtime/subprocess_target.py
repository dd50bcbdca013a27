"""The subprocess target: the handler in a worker interpreter (``python -m c2c_cli.runtime.worker``).

The worker is killed at the deadline (budget + grace), with its whole process group, so a busy handler
costs one budget per attempt and the next call is cold again, as after a Lambda timeout. It runs in a
process group of its own (a terminal's Ctrl-C reaches only c2c, which then closes the worker) and dies
with its parent (see :mod:`c2c_cli.runtime.worker`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any

from c2c_cli.runtime.failures import error_from_json
from c2c_cli.runtime.loader import CallOutcome
from c2c_cli.runtime.spec import GRACE_MS, TargetSpec
from c2c_cli.runtime.worker import PARENT_ENV

__all__ = ["SubprocessTarget"]


class SubprocessTarget:
    """A worker interpreter (``python -m c2c_cli.runtime.worker``) speaking JSON lines."""

    name = "subprocess"

    def __init__(self, spec: TargetSpec, base_env: dict[str, str] | None = None) -> None:
        self.spec = spec
        self.base_env = dict(base_env if base_env is not None else os.environ)
        self._proc: subprocess.Popen[bytes] | None = None
        self._stderr: Any = None
        self._buffer = b""
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        """The running worker's process id (None between workers)."""
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    def _start(self) -> subprocess.Popen[bytes]:
        self._stderr = tempfile.TemporaryFile()
        env = {**self.base_env, "PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"}
        # PR_SET_PDEATHSIG fires when the spawning THREAD ends: ask for it only from the main thread
        # (which lives as long as this process), not from a server's short-lived request thread.
        if threading.current_thread() is threading.main_thread():
            env[PARENT_ENV] = str(os.getpid())
        self._buffer = b""
        return subprocess.Popen(
            [sys.executable, "-m", "c2c_cli.runtime.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            cwd=str(self.spec.project_dir),
            env=env,
            process_group=0,
        )

    def invoke(
        self, event: dict[str, Any], env: dict[str, str], budget_ms: int, entry: str | None = None
    ) -> CallOutcome:
        """Send one request line; read one answer line or kill the worker at the deadline.

        Raises:
            HandlerLoadError: the handler cannot be imported (ConfigError: c2c.yaml names no such handler).
        """
        with self._lock:
            return self._invoke(event, env, budget_ms, entry)

    def _invoke(
        self, event: dict[str, Any], env: dict[str, str], budget_ms: int, entry: str | None
    ) -> CallOutcome:
        if self._proc is None or self._proc.poll() is not None:
            self._proc = self._start()
        proc = self._proc
        assert proc.stdin is not None
        message = {
            "project_dir": str(self.spec.project_dir),
            "handler": self.spec.handler,
            "entry": entry,
            "function_name": self.spec.function_name,
            "function_arn": self.spec.function_arn,
            "budget_ms": budget_ms,
            "env": env,
            "event": event,
        }
        started = time.perf_counter()
        try:
            proc.stdin.write(json.dumps(message).encode() + b"\n")
            proc.stdin.flush()
        except OSError:
            return self._crashed(started)
        # The worker imports the project on its first call, so the cold deadline starts at our request.
        line = self._read_line(proc, started + (budget_ms + GRACE_MS) / 1000)
        if line is None:
            return self._timeout_or_crash(started)
        answer = json.loads(line)
        if "load_error" in answer:
            raise error_from_json(answer["load_error"])
        # As the service sees it: a cold call includes the worker's interpreter start and imports.
        outcome = CallOutcome.from_json(answer)
        return dataclasses.replace(outcome, duration_ms=(time.perf_counter() - started) * 1000)

    def _read_line(self, proc: subprocess.Popen[bytes], deadline: float) -> bytes | None:
        assert proc.stdout is not None
        fd = proc.stdout.fileno()
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                left = deadline - time.perf_counter()
                if left <= 0 or not selector.select(left):
                    return None
                chunk = os.read(fd, 65536)
                if not chunk:
                    return None
                self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def _timeout_or_crash(self, started: float) -> CallOutcome:
        assert self._proc is not None
        if self._proc.poll() is not None:
            return self._crashed(started)
        # Measured before the kill: the attempt lasted until the deadline, as the service would see it.
        elapsed = (time.perf_counter() - started) * 1000
        self._stop(kill=True)
        return CallOutcome(
            "timeout", None, elapsed, False, f"killed after {elapsed:.0f} ms without an answer"
        )

    def _crashed(self, started: float) -> CallOutcome:
        elapsed = (time.perf_counter() - started) * 1000
        output = self._stderr_text()
        self._stop(kill=True)
        return CallOutcome("crashed", None, elapsed, False, "the worker process exited", output)

    def _stderr_text(self) -> str:
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        return str(self._stderr.read().decode("utf-8", "replace"))[-4000:]

    def close(self) -> None:
        """Stop the worker: end of input (it exits at once, even mid-call), killed if it lingers."""
        self._stop(kill=False)

    def _stop(self, *, kill: bool) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.stdin is not None:
                with contextlib.suppress(OSError):
                    proc.stdin.close()
            if kill:
                _kill_group(proc)
            try:
                proc.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                _kill_group(proc)
                proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    # The worker leads its own process group: whatever the handler started dies with it. Only while
    # the worker is not reaped: after that its pid (and so the group id) may belong to another process.
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
