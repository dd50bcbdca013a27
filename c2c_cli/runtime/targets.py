"""Where the connector runs: in this process, in a fresh interpreter (``--isolated``), or deployed.

Every target answers :meth:`Target.invoke` with a :class:`~c2c_cli.runtime.loader.CallOutcome`. A call
that outlives the budget (+ a small grace) is a ``timeout``: the subprocess target kills its worker
(the next call is cold again, as after a Lambda timeout); the in-process target abandons the thread.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import selectors
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from c2c_cli.runtime.context import FakeLambdaContext
from c2c_cli.runtime.loader import CallOutcome, HandlerLoader, call_handler

__all__ = ["GRACE_MS", "InProcessTarget", "SubprocessTarget", "Target", "TargetSpec"]

#: how long past the 2 s budget a call may run before it is declared hung (scheduling noise).
GRACE_MS = 300


@dataclass(frozen=True)
class TargetSpec:
    """The connector to run and how Lambda would name it.

    Attributes:
        project_dir: the connector project.
        handler: ``module:function``.
        function_name: ``AWS_LAMBDA_FUNCTION_NAME``.
        function_arn: the function ARN (context.invoked_function_arn).
    """

    project_dir: Path
    handler: str
    function_name: str
    function_arn: str


class Target(Protocol):
    """Runs one invocation."""

    name: str

    def invoke(
        self, event: dict[str, Any], env: dict[str, str], budget_ms: int, entry: str | None = None
    ) -> CallOutcome:
        """Deliver ``event`` with ``env`` in force; at most ``budget_ms`` (+ grace) of waiting.

        ``entry`` (``module:function``) calls another entry point of the project instead of the handler.
        """
        ...

    def close(self) -> None:
        """Release the target (stop workers, forget modules)."""
        ...


class InProcessTarget:
    """The handler imported into this process (fast; module state persists between calls)."""

    name = "in-process"

    def __init__(self, spec: TargetSpec) -> None:
        self.spec = spec
        self._loader = HandlerLoader(spec.project_dir, spec.handler)
        # One container: one invocation at a time (webhook deliveries wait for the current call).
        self._lock = threading.Lock()

    def invoke(
        self, event: dict[str, Any], env: dict[str, str], budget_ms: int, entry: str | None = None
    ) -> CallOutcome:
        """Call the handler in a thread so a hung one can be abandoned at the deadline."""
        with self._lock:
            return self._invoke(event, env, budget_ms, entry)

    def _invoke(
        self, event: dict[str, Any], env: dict[str, str], budget_ms: int, entry: str | None
    ) -> CallOutcome:
        cold = not self._loader.loaded
        context = FakeLambdaContext(self.spec.function_name, self.spec.function_arn, budget_ms)
        box: list[CallOutcome] = []
        failures: list[BaseException] = []

        def run(resolve: Any) -> None:
            try:
                box.append(call_handler(resolve, event, context, cold))
            except BaseException as exc:  # re-raised below, in the caller's thread
                failures.append(exc)

        started = time.perf_counter()
        with self._loader.active(env, entry) as resolve:
            thread = threading.Thread(target=run, args=(resolve,), name="c2c-simulated-handler", daemon=True)
            thread.start()
            thread.join((budget_ms + GRACE_MS) / 1000)
        if failures:
            raise failures[0]
        if box:
            return box[0]
        elapsed = (time.perf_counter() - started) * 1000
        return CallOutcome("timeout", None, elapsed, cold, f"no answer after {elapsed:.0f} ms")

    def close(self) -> None:
        """Nothing to stop; the loader's modules go with it."""


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

    def _start(self) -> subprocess.Popen[bytes]:
        self._stderr = tempfile.TemporaryFile()
        env = {**self.base_env, "PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"}
        self._buffer = b""
        return subprocess.Popen(
            [sys.executable, "-m", "c2c_cli.runtime.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            cwd=str(self.spec.project_dir),
            env=env,
        )

    def invoke(
        self, event: dict[str, Any], env: dict[str, str], budget_ms: int, entry: str | None = None
    ) -> CallOutcome:
        """Send one request line; read one answer line or kill the worker at the deadline."""
        with self._lock:
            return self._invoke(event, env, budget_ms, entry)

    def _invoke(
        self, event: dict[str, Any], env: dict[str, str], budget_ms: int, entry: str | None
    ) -> CallOutcome:
        if self._proc is None or self._proc.poll() is not None:
            self._proc = self._start()
        proc = self._proc
        assert proc.stdin is not None and proc.stdout is not None
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
        # As the service sees it: a cold call includes the worker's interpreter start and imports.
        answer = CallOutcome.from_json(json.loads(line))
        return dataclasses.replace(answer, duration_ms=(time.perf_counter() - started) * 1000)

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
        self.close()
        elapsed = (time.perf_counter() - started) * 1000
        return CallOutcome(
            "timeout", None, elapsed, False, f"killed after {elapsed:.0f} ms without an answer"
        )

    def _crashed(self, started: float) -> CallOutcome:
        elapsed = (time.perf_counter() - started) * 1000
        output = self._stderr_text()
        self.close()
        return CallOutcome("crashed", None, elapsed, False, "the worker process exited", output)

    def _stderr_text(self) -> str:
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        return str(self._stderr.read().decode("utf-8", "replace"))[-4000:]

    def close(self) -> None:
        """Stop the worker (kill it if it does not exit on end of input)."""
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.stdin is not None:
                with contextlib.suppress(OSError):
                    proc.stdin.close()
            try:
                proc.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
