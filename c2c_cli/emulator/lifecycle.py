"""What the service does between API calls: invoke the connector, keep tokens fresh, react to events.

One :class:`Lifecycle` per emulator. Handlers run inside a store transaction, so they never invoke the
connector themselves (the connector calls back with ``SendConnectorEvent``, which needs the store):
they queue work with :meth:`Context.later`, which the app runs after the transaction commits, either in
the request thread (``DeleteAccountAssociation`` waits for ``AWS.DeactivateUser``) or on the lifecycle's
thread pool (discovery and commands answer at once, as the real service does).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from c2c_cli.emulator.apierrors import ApiError
from c2c_cli.emulator.connectors import ASSOCIATION, CONNECTOR, DESTINATION
from c2c_cli.emulator.invoker import InvocationResult, Invoker
from c2c_cli.emulator.settings import Account

if TYPE_CHECKING:
    from c2c_cli.emulator.service import Service
    from c2c_cli.violation import Violation

__all__ = ["Lifecycle", "LinkError", "error_message"]

_NOT_ERROR_TEXT = re.compile(r"[^A-Za-z0-9_ -]+")


class LinkError(Exception):
    """The association has no usable credentials (no tokens, refresh failed)."""


def error_message(text: str) -> str:
    """Text that fits ``AccountAssociationErrorMessage`` (``[A-Za-z0-9-_ ]+``, at most 4096)."""
    cleaned = " ".join(_NOT_ERROR_TEXT.sub(" ", text).split())
    return (cleaned or "unknown error")[:4096]


class Lifecycle:
    """The service's side of the lifecycle (contract.md §1 steps 5-19).

    Args:
        service: the emulator's shared state.
    """

    def __init__(self, service: Service) -> None:
        self.service = service
        self.store = service.store
        self.settings = service.settings
        self.invoker = Invoker(
            service.settings,
            service.store,
            lambda: (service.endpoint_url, service.aws_endpoint_url),
            service.clock,
        )
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="c2c-lifecycle")
        self._token_lock = threading.Lock()

    # -- background work -------------------------------------------------------------------------

    def submit(self, work: Callable[[], None]) -> None:
        """Run ``work`` on the lifecycle's thread pool (errors go to the emulator log)."""
        self._pool.submit(_logged(work))

    def close(self) -> None:
        """Drop queued work, let running invocations end (no retries), stop the workers."""
        self.invoker.stop_retrying()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self.invoker.close()

    # -- lookups ---------------------------------------------------------------------------------

    def account(self, account_id: str) -> Account:
        """A known account by id (the default one when unknown)."""
        found = {a.account_id: a for a in self.service.accounts}
        return found.get(account_id, self.service.accounts[0])

    def association(self, association_id: str) -> tuple[str, dict[str, Any]]:
        """``(owner account id, data)`` of an association.

        Raises:
            LinkError: it no longer exists.
        """
        found = self.store.get(ASSOCIATION, association_id)
        if found is None:
            raise LinkError(f"account association {association_id} no longer exists")
        return found

    def destination_of(self, association: dict[str, Any]) -> dict[str, Any]:
        """The association's connector destination (empty when deleted)."""
        found = self.store.get(DESTINATION, association.get("ConnectorDestinationId", ""))
        return found[1] if found else {}

    def connector_of(self, association: dict[str, Any]) -> tuple[Account, dict[str, Any]]:
        """``(registering account, cloud connector)`` behind an association.

        Raises:
            LinkError: the destination or connector is gone.
        """
        destination = self.destination_of(association)
        found = self.store.get(CONNECTOR, destination.get("CloudConnectorId", ""))
        if found is None:
            raise LinkError("the association's connector destination or cloud connector no longer exists")
        return self.account(found[0]), found[1]

    # -- invoking --------------------------------------------------------------------------------

    def invoke(self, association_id: str, operation: str, **fields: Any) -> InvocationResult:
        """Invoke the association's connector with its current credentials (contract.md §2.2).

        Raises:
            LinkError: no usable token (the association moved to ``REFRESH_TOKEN_EXPIRED``).
        """
        from c2c_cli.contract.builders import general_auth, oauth_auth, request
        from c2c_cli.emulator.linking import current_token

        _, association = self.association(association_id)
        owner, connector = self.connector_of(association)
        secrets: list[str] = []
        general = _general_secret(self.destination_of(association), association)
        if general is not None:
            auth = general_auth(general["arn"], general["versionId"])
        else:
            token = current_token(self, association_id)
            auth, secrets = oauth_auth(token), [token]
        envelope = request(operation, auth, connector["Id"], **fields)
        arn = connector.get("EndpointConfig", {}).get("lambda", {}).get("arn", "")
        return self.invoker.invoke(arn, owner, envelope, secrets)

    def token_lock(self) -> threading.Lock:
        """Serialises refreshes (a refresh token may be single-use, RFC 6749 §10.4)."""
        return self._token_lock

    # -- events ----------------------------------------------------------------------------------

    def on_event(self, params: dict[str, Any], now: float) -> list[Violation]:
        """Apply an accepted ``SendConnectorEvent`` (contract.md §4.7); extra warnings to record.

        Raises:
            ApiError: ``ValidationException`` for an unknown or finished discovery id.
        """
        from c2c_cli.emulator.commands import on_command_response, on_device_event
        from c2c_cli.emulator.discovery import on_discovery

        handlers = {
            "DEVICE_DISCOVERY": on_discovery,
            "DEVICE_COMMAND_RESPONSE": on_command_response,
            "DEVICE_EVENT": on_device_event,
        }
        handler = handlers.get(str(params.get("Operation")))
        if handler is None:
            return []
        with self.store.transaction():
            return handler(self, params, now)


def _general_secret(destination: dict[str, Any], association: dict[str, Any]) -> dict[str, Any] | None:
    """The General Authorization secret reference of an association, None for OAuth (contract.md §2.2)."""
    auth = destination.get("AuthConfig", {})
    if not association.get("GeneralAuthorization") and (
        auth.get("oAuth") or not auth.get("GeneralAuthorization")
    ):
        return None
    wanted = association.get("GeneralAuthorization", {}).get("AuthMaterialName")
    materials = destination.get("AuthConfig", {}).get("GeneralAuthorization", [])
    for material in materials:
        if wanted in (None, material.get("AuthMaterialName")):
            ref = material.get("SecretsManager")
            return ref if isinstance(ref, dict) else None
    raise ApiError("ValidationException", "the destination has no General Authorization secret")


def _logged(work: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        import logging

        try:
            work()
        except Exception:
            logging.getLogger("c2c.emulator").exception("lifecycle work failed")

    return run
