"""What an operation handler gets: the caller's account, the store, the clock, and shared helpers.

Paging (``MaxResults``/``NextToken``) lives in :mod:`c2c_cli.emulator.operations.paging`.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from c2c_cli.emulator.driver.lifecycle import Lifecycle
from c2c_cli.emulator.http.errors import not_found
from c2c_cli.emulator.http.settings import Account
from c2c_cli.emulator.http.store import Store

__all__ = ["Context", "Handler", "new_id"]


@dataclass(frozen=True)
class Context:
    """One request's view of the emulator.

    Attributes:
        account: the SigV4-verified caller.
        access_key_id: the key that signed the request.
        store: the state.
        region: the emulator's region (ARNs).
        endpoint_url: the emulator's own URL (OAuth redirect_uri).
        now: epoch seconds at receipt.
        request_id: the ``x-amzn-RequestId`` of this request.
        read_secret: reads a Secrets Manager secret string (arn, version id, account) or None.
        lifecycle: the service's lifecycle (settings, connector invocation).
        deferred: work queued with :meth:`later`, run by the app once the handler's transaction commits.
    """

    account: Account
    access_key_id: str
    store: Store
    region: str
    endpoint_url: str
    now: float
    request_id: str
    read_secret: Callable[[str, str, Account], str | None]
    lifecycle: Lifecycle | None = None
    deferred: list[Callable[[Lifecycle], None]] = field(default_factory=list)

    def later(self, work: Callable[[Lifecycle], None]) -> None:
        """Run ``work`` after the transaction (it may invoke the connector, which calls back)."""
        self.deferred.append(work)

    def owned(self, kind: str, rid: str, resource_type: str) -> dict[str, Any]:
        """A resource of the caller's account; other accounts' resources look absent (scoping).

        Raises:
            ApiError: ``ResourceNotFoundException``.
        """
        found = self.store.get(kind, rid)
        if found is None or found[0] != self.account.account_id:
            raise not_found(resource_type, rid)
        return found[1]


Handler = Callable[[Context, dict[str, Any]], "dict[str, Any] | None"]


def new_id() -> str:
    """A fresh resource id: 32 hex characters (fits every id pattern of the model, contract.md §7.2)."""
    return secrets.token_hex(16)
