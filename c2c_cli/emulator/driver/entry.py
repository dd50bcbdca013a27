"""The worker-side entry point that lets one worker process serve both entry points of a project.

A deployed connector project has two functions (the connector and its webhook Function URL) that share
state through a table; locally both run in one worker interpreter (one "container"), so a project's
in-memory state is shared the same way. The emulator wraps each event as ``{"c2cEntry": "module:function",
"event": ...}``; this handler imports the named entry point from the project and calls it.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["ENTRY_KEY", "HANDLER", "handler", "wrap"]

ENTRY_KEY = "c2cEntry"
HANDLER = "c2c_cli.emulator.driver.entry:handler"


def wrap(entry: str, event: Any) -> dict[str, Any]:
    """The event that makes :func:`handler` call ``entry`` with ``event``."""
    return {ENTRY_KEY: entry, "event": event}


def handler(wrapped: dict[str, Any], context: Any) -> Any:
    """Call the wrapped entry point exactly as the Lambda runtime would."""
    module_name, _, attr = str(wrapped[ENTRY_KEY]).partition(":")
    function = getattr(importlib.import_module(module_name), attr)
    return function(wrapped["event"], context)
