"""Masking secrets before anything is printed or logged (STYLE.md §5): the one mechanism of c2c.

Every package masks with :func:`redact` (free text: logs, error messages) and :func:`redact_request`
(a Lambda request's ``header.auth.token``), and every masked value reads :data:`MARKER`, so a reader
(or a test) recognises a redaction wherever it appears: the emulator's log, ``c2c simulate``'s output,
an OAuth error, a contract violation on a sensitive member.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

__all__ = ["MARKER", "MIN_SECRET_LENGTH", "redact", "redact_request"]

#: what replaces a secret.
MARKER = "[REDACTED]"
#: shorter "secrets" are left alone: masking ``"a"`` would mangle the text and hide nothing.
MIN_SECRET_LENGTH = 4


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """``text`` with every occurrence of each secret (longest first) replaced by :data:`MARKER`."""
    for secret in sorted((s for s in secrets if s and len(s) >= MIN_SECRET_LENGTH), key=len, reverse=True):
        text = text.replace(secret, MARKER)
    return text


def redact_request(request: dict[str, Any]) -> dict[str, Any]:
    """A copy of a Lambda request with ``header.auth.token`` replaced by :data:`MARKER`."""
    out = copy.deepcopy(request)
    header = out.get("header")
    auth = header.get("auth") if isinstance(header, dict) else None
    if isinstance(auth, dict) and "token" in auth:
        auth["token"] = MARKER
    return out
