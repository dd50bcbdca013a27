"""``python -m c2c_cli.runtime.worker``: one connector in a fresh interpreter, driven over JSON lines.

Each stdin line is a request (project dir, handler, env, event, budget); each stdout line the
:class:`~c2c_cli.runtime.loader.CallOutcome` as JSON, or ``{"load_error": ...}`` when the handler cannot
be imported (the parent raises it). The real stdout is kept for the protocol and file descriptor 1 is
pointed at stderr, so whatever the connector prints cannot corrupt an answer. The parent kills this
process when an answer is late (contract.md §2.1), which makes the next call cold again.

The worker never outlives its parent, even while the handler is stuck in a busy loop: a reader thread
exits the process as soon as stdin reaches its end (the parent closed it, or died and the kernel closed
it), and on Linux the kernel also kills the worker when the parent's spawning thread ends
(``PR_SET_PDEATHSIG``, requested by the parent with :data:`PARENT_ENV`, since only it knows whether it
spawned from a thread that lives as long as itself).
"""

from __future__ import annotations

import json
import os
import queue
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from c2c_cli.errors import C2CError
from c2c_cli.runtime.context import FakeLambdaContext
from c2c_cli.runtime.failures import error_to_json
from c2c_cli.runtime.loader import CallOutcome, HandlerLoader, call_handler

__all__ = ["PARENT_ENV", "main"]

#: the parent's pid; when set, the worker asks the kernel to kill it when that parent goes.
PARENT_ENV = "C2C_WORKER_PARENT_PID"
_PR_SET_PDEATHSIG = 1


def _answer(loader: HandlerLoader | None, request: dict[str, Any]) -> tuple[HandlerLoader, dict[str, Any]]:
    if loader is None:
        loader = HandlerLoader(Path(request["project_dir"]), request["handler"])
    cold = not loader.loaded
    context = FakeLambdaContext(request["function_name"], request["function_arn"], int(request["budget_ms"]))
    try:
        with loader.active(request["env"], request.get("entry")) as resolve:
            outcome = call_handler(resolve, request["event"], context, cold)
    except C2CError as exc:  # the handler cannot be imported: the parent raises it (not an attempt)
        return loader, {"load_error": error_to_json(exc)}
    except Exception as exc:  # anything else is the worker's crash, reported to the parent
        outcome = CallOutcome("crashed", None, 0.0, cold, f"{type(exc).__name__}: {exc}")
    return loader, outcome.to_json()


def _die_with_parent() -> None:
    expected = os.environ.pop(PARENT_ENV, "")
    if not expected or not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return  # no prctl: the stdin watch below still ends the worker
    if str(os.getppid()) != expected:  # the parent died before the request took effect
        os._exit(1)


def _read_requests(requests: queue.Queue[str]) -> None:
    # A thread, so that end of input is seen while the main thread runs (or is stuck in) the handler.
    for line in sys.stdin:
        if line.strip():
            requests.put(line)
    os._exit(0)  # no clean-up: the handler may be busy and the parent wants no more answers


def main() -> int:
    """Serve requests until end of input."""
    _die_with_parent()
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    requests: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_read_requests, args=(requests,), name="c2c-worker-stdin", daemon=True).start()
    loader: HandlerLoader | None = None
    while True:
        loader, answer = _answer(loader, json.loads(requests.get()))
        protocol.write(json.dumps(answer, default=str) + "\n")
        protocol.flush()


if __name__ == "__main__":
    raise SystemExit(main())
