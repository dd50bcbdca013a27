"""The emulated service: shared state (accounts, store, faults, lifecycle) and the HTTP layer's backend.

:class:`Service` is the ``http.backend.Backend`` the WSGI app serves: it turns a verified, parsed call
into a handler :class:`~c2c_cli.emulator.operations.context.Context` and runs the operation from
``table.HANDLERS``; its lifecycle applies accepted events with ``table.EVENT_HANDLERS``.
"""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any

from c2c_cli.emulator.driver.lifecycle import Lifecycle
from c2c_cli.emulator.http.backend import ApiCall
from c2c_cli.emulator.http.errors import ApiError
from c2c_cli.emulator.http.faults import FaultInjector
from c2c_cli.emulator.http.lambda_api import LambdaAnswer
from c2c_cli.emulator.http.settings import Account, EmulatorSettings
from c2c_cli.emulator.http.store import Store
from c2c_cli.emulator.operations.context import Context
from c2c_cli.emulator.operations.discovery import open_discovery
from c2c_cli.emulator.operations.dispatch import run_operation
from c2c_cli.emulator.operations.events import log_rejected, send_and_log
from c2c_cli.emulator.operations.linking import callback
from c2c_cli.emulator.operations.table import EMULATED_OPERATIONS, EVENT_HANDLERS, HANDLERS

__all__ = ["Service"]


class Service:
    """Everything a request handler may touch.

    Args:
        settings: how the emulator runs.
        db: the resolved sqlite location.
    """

    def __init__(self, settings: EmulatorSettings, db: str) -> None:
        self.settings = settings
        self.db = db
        self.clock = settings.clock
        self.store = Store(db)
        self.handlers = dict(HANDLERS)
        self.faults = FaultInjector(
            settings.latency_ms,
            settings.throttle_rate,
            settings.error_rate,
            settings.fault_operations,
            settings.seed,
            sleep=time.sleep,
        )
        self.admin_token = secrets.token_urlsafe(24)
        self.endpoint_url = ""
        self.aws_endpoint_url: str | None = None
        self._accounts = {a.access_key_id: a for a in settings.accounts}
        self._lock = threading.Lock()
        self._botocore: Any = None
        self.lifecycle = Lifecycle(self, EVENT_HANDLERS)

    def account_for_key(self, access_key_id: str) -> Account | None:
        """The account an access key signs for."""
        return self._accounts.get(access_key_id)

    def add_account(self, account: Account) -> Account:
        """Register one more account (its access key must be new)."""
        with self._lock:
            self._accounts = {**self._accounts, account.access_key_id: account}
        return account

    @property
    def accounts(self) -> tuple[Account, ...]:
        """Known accounts, default first."""
        return tuple(self._accounts.values())

    def context(self, account: Account, access_key_id: str, now: float, request_id: str) -> Context:
        """The handler context of one request."""
        return Context(
            account,
            access_key_id,
            self.store,
            self.settings.region,
            self.endpoint_url,
            now,
            request_id,
            self.read_secret,
            self.lifecycle,
        )

    def dispatch(self, call: ApiCall) -> dict[str, Any] | None:
        """Run one verified, parsed API call (``http.backend.Backend``).

        Raises:
            ApiError: the operation's error answer.
        """
        assert call.route is not None and call.account is not None  # the app routes and verifies first
        ctx = self.context(call.account, call.access_key_id, call.received, call.request_id)
        operation = call.route.operation
        if operation == "SendConnectorEvent":
            on_accept = lambda params: self.lifecycle.on_event(params, call.received)  # noqa: E731
            return send_and_log(ctx, call, strict=self.settings.strict_events, on_accept=on_accept)
        handler = self.handlers.get(operation)
        if handler is None:
            raise ApiError(
                "UnknownOperationException",
                f"{operation} is not emulated by c2c (docs/emulator.md lists the emulated operations)",
            )
        return run_operation(ctx, call.route, call.params, handler)

    def rejected(self, call: ApiCall, status: int, error: ApiError) -> None:
        """A refused ``SendConnectorEvent`` still gets its event-log record."""
        log_rejected(self.store, call, status, error)

    def open_discovery(self, connector_id: str) -> str:
        """A ``RUNNING`` discovery for hand-sent events (``POST /_emulator/device-discoveries``)."""
        return open_discovery(self.store, self.settings.region, connector_id, self.clock())

    def oauth_callback(self, args: dict[str, str]) -> tuple[int, dict[str, str], str]:
        """The service's OAuth redirect URI (``operations.linking``)."""
        return callback(self.lifecycle, args)

    def function_url(self, name: str, event: dict[str, Any]) -> dict[str, Any] | None:
        """An attached project's Function URL answer."""
        return self.lifecycle.invoker.deliver(name, event)

    def lambda_invoke(
        self, caller: Account, function: str, invocation_type: str, payload: bytes
    ) -> LambdaAnswer:
        """Lambda ``Invoke`` of a local function (``driver.lambda_invoke``)."""
        return self.lifecycle.invoker.lambda_invoke(caller, function, invocation_type, payload)

    def read_secret(self, arn: str, version_id: str, account: Account) -> str | None:
        """A Secrets Manager secret string from the companion moto server, None if unreadable."""
        value = self._secrets_call(account, "get_secret_value", SecretId=arn, VersionId=version_id)
        text = (value or {}).get("SecretString")
        return str(text) if text is not None else None

    def read_secret_policy(self, arn: str, account: Account) -> str | None:
        """A secret's resource policy from moto (``GetResourcePolicy``), None when absent or unreadable."""
        value = self._secrets_call(account, "get_resource_policy", SecretId=arn)
        text = (value or {}).get("ResourcePolicy")
        return str(text) if text else None

    def _secrets_call(self, account: Account, method: str, **params: str) -> dict[str, Any] | None:
        if not self.aws_endpoint_url:
            return None
        import botocore.exceptions
        import botocore.session

        with self._lock:
            if self._botocore is None:
                self._botocore = botocore.session.get_session()
            # botocore sessions are not thread-safe for client creation; clients are.
            client = self._botocore.create_client(
                "secretsmanager",
                region_name=self.settings.region,
                endpoint_url=self.aws_endpoint_url,
                aws_access_key_id=account.access_key_id,
                aws_secret_access_key=account.secret_access_key,
            )
        try:
            return dict(getattr(client, method)(**params))
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError):
            return None

    def info(self) -> dict[str, Any]:
        """What ``c2c emulator start --json`` prints: endpoints, region, and the default test account."""
        default = self.accounts[0]
        s = self.settings
        return {
            "endpoint_url": self.endpoint_url,
            "aws_endpoint_url": self.aws_endpoint_url,
            "region": s.region,
            "account_id": default.account_id,
            "access_key_id": default.access_key_id,
            "secret_access_key": default.secret_access_key,
            "accounts": [
                {
                    "account_id": a.account_id,
                    "access_key_id": a.access_key_id,
                    "secret_access_key": a.secret_access_key,
                }
                for a in self.accounts
            ],
            "db": self.db,
            "faults": {
                "latency_ms": s.latency_ms,
                "throttle_rate": s.throttle_rate,
                "error_rate": s.error_rate,
                "operations": list(s.fault_operations),
                "seed": s.seed,
            },
            "emulated_operations": list(EMULATED_OPERATIONS),
            "connectors": self.lifecycle.invoker.attachments(),
            "events_url": f"{self.endpoint_url}/_emulator/events",
        }

    def close(self) -> None:
        """Stop the lifecycle's workers, release the store."""
        self.lifecycle.close()
        self.store.close()
