"""What the driver needs of the service that hosts it, and the error of an unusable link.

The driver sits below the operations (``operations -> driver -> http``), so it cannot import the
operations' ``Service``; :class:`ServiceView` is the part of it the driver reads, structurally typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

from c2c_cli.emulator.http.settings import Account, EmulatorSettings
from c2c_cli.emulator.http.store import Store

__all__ = ["LinkError", "ServiceView", "error_message"]

_NOT_ERROR_TEXT = re.compile(r"[^A-Za-z0-9_ -]+")


class LinkError(Exception):
    """The association has no usable credentials (no tokens, refresh failed)."""


def error_message(text: str) -> str:
    """Text that fits ``AccountAssociationErrorMessage`` (``[A-Za-z0-9-_ ]+``, at most 4096)."""
    cleaned = " ".join(_NOT_ERROR_TEXT.sub(" ", text).split())
    return (cleaned or "unknown error")[:4096]


class ServiceView(Protocol):
    """The emulator's shared state as the driver sees it (``operations.service.Service`` is one)."""

    settings: EmulatorSettings
    store: Store
    clock: Callable[[], float]
    endpoint_url: str
    aws_endpoint_url: str | None

    @property
    def accounts(self) -> tuple[Account, ...]:
        """Known accounts, default first."""
        ...

    def read_secret(self, arn: str, version_id: str, account: Account) -> str | None:
        """A Secrets Manager secret string, None if unreadable."""
        ...

    def read_secret_policy(self, arn: str, account: Account) -> str | None:
        """A secret's resource policy (JSON text), None when it has none or is unreadable."""
        ...
