"""``python -m c2c_cli.runtime.worker``: one connector in a fresh interpreter, driven over JSON lines.

Each stdin line is a request (project dir, handler, env, event, budget); each stdout line the
:class:`~c2c_cli.runtime.loader.CallOutcome` as JSON. The real stdout is kept for the protocol and file
descriptor 1 is pointed at stderr, so whatever the connector prints cannot corrupt an answer. The parent
kills this process when an answer is late (contract.md §2.1), which makes the next call cold again.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from c2c_cli.runtime.context import FakeLambdaContext
from c2c_cli.runtime.loader import CallOutcome, HandlerLoader, call_handler

__all__ = ["main"]


def _answer(loader: HandlerLoader | None, request: dict[str, Any]) -> tuple[HandlerLoader, CallOutcome]:
    if loader is None:
        loader = HandlerLoader(Path(request["project_dir"]), request["handler"])
    cold = not loader.loaded
    context = FakeLambdaContext(request["function_name"], request["function_arn"], int(request["budget_ms"]))
    try:
        with loader.active(request["env"], request.get("entry")) as resolve:
            outcome = call_handler(resolve, request["event"], context, cold)
    except Exception as exc:  # an import failure is the worker's crash, reported to the parent
        outcome = CallOutcome("crashed", None, 0.0, cold, f"{type(exc).__name__}: {exc}")
    return loader, outcome


def main() -> int:
    """Serve requests until end of input."""
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    loader: HandlerLoader | None = None
    for line in sys.stdin:
        if not line.strip():
            continue
        loader, outcome = _answer(loader, json.loads(line))
        protocol.write(json.dumps(outcome.to_json(), default=str) + "\n")
        protocol.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
