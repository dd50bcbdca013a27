"""The in-process target: the handler imported into this process, each call in a thread.

Fast and debuggable (breakpoints, coverage, monkeypatching work), but a thread cannot be stopped: a
handler still running at the deadline is abandoned, not killed (see :class:`InProcessTarget`).
"""

from __future__ import annotations

import threading
import time
from typing import Any

from c2c_cli.runtime.context import FakeLambdaContext
from c2c_cli.runtime.loader import CallOutcome, HandlerLoader, call_handler
from c2c_cli.runtime.spec import GRACE_MS, TargetSpec

__all__ = ["STUCK", "InProcessTarget"]

#: why an in-process call is a timeout without running: the handler of an earlier call is still busy.
STUCK = "an earlier call of the handler is still running in this process (run it in a worker to stop it)"


class InProcessTarget:
    """The handler imported into this process (module state persists between calls).

    A thread cannot be killed: a handler still running at the deadline is abandoned (``timeout``) and
    keeps running. The next call first waits, within its own deadline, for that handler to finish, and
    is a ``timeout`` too when it does not, so a busy handler costs about the budget per attempt instead
    of piling up threads that starve each other. Use :class:`SubprocessTarget` to really stop one.
    """

    name = "in-process"

    def __init__(self, spec: TargetSpec) -> None:
        self.spec = spec
        self._loader = HandlerLoader(spec.project_dir, spec.handler)
        # One container: one invocation at a time (webhook deliveries wait for the current call).
        self._lock = threading.Lock()
        self._stuck: threading.Thread | None = None

    def invoke(
        self, event: dict[str, Any], env: dict[str, str], budget_ms: int, entry: str | None = None
    ) -> CallOutcome:
        """Call the handler in a thread so a hung one can be abandoned at the deadline."""
        with self._lock:
            started = time.perf_counter()
            deadline = started + (budget_ms + GRACE_MS) / 1000
            if self._stuck is not None:
                self._stuck.join(max(0.0, deadline - time.perf_counter()))
                if self._stuck.is_alive():
                    return _abandoned(started, STUCK)
                self._stuck = None
            left_ms = budget_ms - int((time.perf_counter() - started) * 1000)
            return self._invoke(event, env, max(0, left_ms), entry, started, deadline)

    def _invoke(
        self,
        event: dict[str, Any],
        env: dict[str, str],
        budget_ms: int,
        entry: str | None,
        started: float,
        deadline: float,
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

        with self._loader.active(env, entry) as resolve:
            thread = threading.Thread(target=run, args=(resolve,), name="c2c-simulated-handler", daemon=True)
            thread.start()
            thread.join(max(0.0, deadline - time.perf_counter()))
        if failures:
            raise failures[0]
        if box:
            return box[0]
        self._stuck = thread
        return _abandoned(started, "abandoned (a thread cannot be stopped: it keeps running)", cold)

    def close(self) -> None:
        """Nothing to stop (an abandoned handler thread is a daemon); the loader's modules go with it."""


def _abandoned(started: float, why: str, cold: bool = False) -> CallOutcome:
    elapsed = (time.perf_counter() - started) * 1000
    return CallOutcome("timeout", None, elapsed, cold, f"no answer after {elapsed:.0f} ms: {why}")
