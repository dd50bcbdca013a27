"""Masking secrets before anything is printed or logged (STYLE.md §5): one mechanism for every package."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

__all__ = ["redact_request", "redact_text"]


def redact_text(text: str, secrets: Iterable[str | None], *, marker: str, min_length: int = 1) -> str:
    """``text`` with every occurrence of each secret (longest first) replaced by ``marker``.

    Secrets shorter than ``min_length`` are left alone (masking ``"a"`` would mangle the text).
    """
    for secret in sorted((s for s in secrets if s and len(s) >= min_length), key=len, reverse=True):
        text = text.replace(secret, marker)
    return text


def redact_request(request: dict[str, Any], *, marker: str) -> dict[str, Any]:
    """A copy of a Lambda request with ``header.auth.token`` replaced by ``marker``."""
    out = copy.deepcopy(request)
    header = out.get("header")
    auth = header.get("auth") if isinstance(header, dict) else None
    if isinstance(auth, dict) and "token" in auth:
        auth["token"] = marker
    return out
