"""One invocation: the parsed request, its credentials, its time budget and a vendor client."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from connector import auth
from connector.budget import Budget
from connector.envelope import Request
from connector.vendor import Vendor


class Invocation:
    """Everything an operation needs; credentials are read once, the user id resolved on demand.

    Args:
        request: the parsed request.
        context: the Lambda context (for the remaining time).
        event: the request as received (a discovery's continuation re-sends it).
    """

    def __init__(self, request: Request, context: Any = None, event: dict[str, Any] | None = None) -> None:
        self.request = request
        self.event = event if event is not None else {"header": {"auth": request.auth}, "payload": request.payload}
        self.budget = Budget(context)
        self.credentials = auth.credentials(request.auth)

    @cached_property
    def vendor(self) -> Vendor:
        """The vendor client, authenticated as this invocation's caller."""
        return Vendor(self.credentials.headers, self.budget)

    @cached_property
    def user_id(self) -> str:
        """The third-party user id (contract §3.1), resolved once per invocation."""
        return auth.user_id(self)
