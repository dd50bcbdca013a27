"""What the HTTP layer serves: one API call as it goes through the pipeline, and the backend behind it.

The HTTP layer is the lowest of the emulator's three (``operations -> driver -> http``): it knows the
wire (SigV4, routes, rest-json errors, faults, the admin endpoints) but no operation. The operations
layer's ``Service`` is a :class:`Backend`; it is handed to :class:`~c2c_cli.emulator.http.app.EmulatorApp`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from c2c_cli.emulator.http.errors import ApiError
from c2c_cli.emulator.http.faults import FaultInjector
from c2c_cli.emulator.http.lambda_api import LambdaAnswer
from c2c_cli.emulator.http.routes import Route
from c2c_cli.emulator.http.settings import Account, EmulatorSettings
from c2c_cli.emulator.http.store import Store

__all__ = ["ApiCall", "Backend"]


@dataclass
class ApiCall:
    """What is known about one API request as it goes through the pipeline.

    Attributes:
        request: the werkzeug request.
        request_id: the ``x-amzn-RequestId`` of the answer.
        received: epoch seconds at receipt.
        raw_path: the path as sent (percent-encoding kept, SigV4 signs it so).
        raw_query: the query string as sent.
        body: the request body.
        route: the model operation, once known.
        account: the SigV4-verified caller, once known.
        access_key_id: the key that signed the request.
        params: the parsed input.
        fault: the injected fault, if any.
    """

    request: Any
    request_id: str
    received: float
    raw_path: str
    raw_query: str
    body: bytes = b""
    route: Route | None = None
    account: Account | None = None
    access_key_id: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    fault: str | None = None


class Backend(Protocol):
    """The emulated service behind the HTTP layer (``operations.service.Service``)."""

    settings: EmulatorSettings
    store: Store
    faults: FaultInjector
    admin_token: str
    clock: Callable[[], float]

    def account_for_key(self, access_key_id: str) -> Account | None:
        """The account an access key signs for."""
        ...

    def dispatch(self, call: ApiCall) -> dict[str, Any] | None:
        """Run a routed, verified, parsed call; its output.

        Raises:
            ApiError: the operation's error answer.
        """
        ...

    def rejected(self, call: ApiCall, status: int, error: ApiError) -> None:
        """Record a call that failed before its operation could (e.g. a rejected event's log record)."""
        ...

    def info(self) -> dict[str, Any]:
        """``GET /_emulator/info``."""
        ...

    def open_discovery(self, connector_id: str) -> str:
        """``POST /_emulator/device-discoveries``: a ``RUNNING`` discovery's id."""
        ...

    def oauth_callback(self, args: dict[str, str]) -> tuple[int, dict[str, str], str]:
        """The OAuth redirect URI's answer: ``(status, headers, html)``."""
        ...

    def function_url(self, name: str, event: dict[str, Any]) -> dict[str, Any] | None:
        """An attached project's Function URL answer, None when the function has none."""
        ...

    def lambda_invoke(
        self, caller: Account, function: str, invocation_type: str, payload: bytes
    ) -> LambdaAnswer:
        """Lambda ``Invoke`` of a local function (``http.lambda_api``).

        Raises:
            LambdaError: unknown function.
        """
        ...
