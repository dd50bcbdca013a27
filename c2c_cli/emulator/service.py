"""The emulator's shared state: accounts, store, faults, handlers, and the companion-moto secret reader."""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any

from c2c_cli.emulator.associations import HANDLERS as ASSOCIATION_HANDLERS
from c2c_cli.emulator.commands import HANDLERS as COMMAND_HANDLERS
from c2c_cli.emulator.connectors import HANDLERS as CONNECTOR_HANDLERS
from c2c_cli.emulator.context import Context, Handler
from c2c_cli.emulator.discovery import HANDLERS as DISCOVERY_HANDLERS
from c2c_cli.emulator.faults import FaultInjector
from c2c_cli.emulator.lifecycle import Lifecycle
from c2c_cli.emulator.linking import HANDLERS as LINKING_HANDLERS
from c2c_cli.emulator.settings import Account, EmulatorSettings
from c2c_cli.emulator.store import Store
from c2c_cli.emulator.things import HANDLERS as THING_HANDLERS

__all__ = ["EMULATED_OPERATIONS", "Service"]

_HANDLERS: dict[str, Handler] = {
    **CONNECTOR_HANDLERS,
    **ASSOCIATION_HANDLERS,
    **LINKING_HANDLERS,
    **DISCOVERY_HANDLERS,
    **THING_HANDLERS,
    **COMMAND_HANDLERS,
}
EMULATED_OPERATIONS: tuple[str, ...] = (*sorted(_HANDLERS), "SendConnectorEvent")


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
        self.handlers: dict[str, Handler] = dict(_HANDLERS)
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
        self.lifecycle = Lifecycle(self)

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

    def read_secret(self, arn: str, version_id: str, account: Account) -> str | None:
        """A Secrets Manager secret string from the companion moto server, None if unreadable."""
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
            value = client.get_secret_value(SecretId=arn, VersionId=version_id)
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError):
            return None
        text = value.get("SecretString")
        return str(text) if text is not None else None

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
