"""Structured logs with secret redaction.

Every secret the connector handles (access tokens, API keys, client secrets, webhook secrets) is
registered here the moment it is read; every log record of the ``connector`` logger is scrubbed of all
registered values before any handler sees it. One JSON line per invocation carries the operation, ids and
latency (never tokens, never the user id: the service model marks ``UserId`` as sensitive).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import traceback
from collections import OrderedDict
from typing import Any

REDACTED = "***"
_MAX_SECRETS = 512  # a warm container sees one token per invocation: keep a bounded, recent set
_MIN_LENGTH = 6  # shorter values would redact ordinary words
_secrets: OrderedDict[str, None] = OrderedDict()
_lock = threading.Lock()

log = logging.getLogger("connector")


def register_secret(value: str | None) -> None:
    """Make sure ``value`` never appears in a log line."""
    if not value or len(value) < _MIN_LENGTH:
        return
    with _lock:
        _secrets[value] = None
        _secrets.move_to_end(value)
        while len(_secrets) > _MAX_SECRETS:
            _secrets.popitem(last=False)


def redact(text: str) -> str:
    """``text`` with every registered secret replaced by ``***``."""
    with _lock:
        values = sorted(_secrets, key=len, reverse=True)
    for value in values:
        if value in text:
            text = text.replace(value, REDACTED)
    return text


class _RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info:
            # Tracebacks may quote exception messages; format and scrub them here.
            record.msg = f"{record.msg}\n{redact(''.join(traceback.format_exception(*record.exc_info)))}"
            record.exc_info, record.exc_text = None, None
        return True


def _configure() -> None:
    log.setLevel(os.environ.get("LOG_LEVEL", "INFO").upper())
    log.addFilter(_RedactingFilter())


def log_json(level: int, message: str, **fields: Any) -> None:
    """Log one JSON object (``msg`` plus ``fields``, ``None`` values dropped)."""
    if not log.isEnabledFor(level):
        return
    body = {"msg": message, **{k: v for k, v in fields.items() if v is not None}}
    log.log(level, json.dumps(body, sort_keys=True, default=str))


def log_exception(message: str, exc: BaseException, **fields: Any) -> None:
    """Log an unexpected exception with its (redacted) traceback as one JSON line."""
    trace = "".join(traceback.format_exception(exc))
    log_json(logging.ERROR, message, error=type(exc).__name__, traceback=redact(trace), **fields)


_configure()
