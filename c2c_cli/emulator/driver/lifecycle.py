"""What the service does between API calls: invoke the connector, keep tokens fresh, react to events.

One :class:`Lifecycle` per emulator. Handlers run inside a store transaction, so they never invoke the
connector themselves (the connector calls back with ``SendConnectorEvent``, which needs the store):
they queue work with ``Context.later``, which the app runs after the transaction commits, either in
the request thread (``DeleteAccountAssociation`` waits for ``AWS.DeactivateUser``) or on the lifecycle's
thread pool (discovery and commands answer at once, as the real service does).

Accepted connector events are applied by the handlers of a registry the lifecycle is given
(``operations.table.EVENT_HANDLERS``, built next to the API operation table), so the driver never
imports the operations that use it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from c2c_cli.emulator.driver.credentials import Credentials
from c2c_cli.emulator.driver.host import LinkError, ServiceView
from c2c_cli.emulator.driver.invoker import InvocationResult, Invoker
from c2c_cli.emulator.driver.records import Records
from c2c_cli.emulator.http.errors import ApiError
from c2c_cli.emulator.http.settings import Account
from c2c_cli.violation import Violation

__all__ = ["EventHandler", "Lifecycle"]

EventHandler = Callable[["Lifecycle", dict[str, Any], float], list[Violation]]
"""Applies one accepted ``SendConnectorEvent`` of an ``Operation``; returns extra warnings."""


class Lifecycle(Records):
    """The service's side of the lifecycle (contract.md §1 steps 5-19).

    Args:
        service: the emulator's shared state.
        event_handlers: ``Operation`` of an accepted event -> the handler that applies it.
    """

    def __init__(self, service: ServiceView, event_handlers: Mapping[str, EventHandler]) -> None:
        super().__init__(service)
        self.invoker = Invoker(
            service.settings,
            service.store,
            lambda: (service.endpoint_url, service.aws_endpoint_url),
            service.clock,
        )
        self.credentials = Credentials(self)
        self._event_handlers = dict(event_handlers)
        # as many background invocations at once as the functions have workers (--concurrency)
        workers = max(4, service.settings.concurrency)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="c2c-lifecycle")

    # -- background work -------------------------------------------------------------------------

    def submit(self, work: Callable[[], None]) -> None:
        """Run ``work`` on the lifecycle's thread pool (errors go to the emulator log)."""
        self._pool.submit(_logged(work))

    def close(self) -> None:
        """Drop queued work, let running invocations end (no retries), stop the workers."""
        self.invoker.stop_retrying()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self.invoker.close()

    # -- invoking --------------------------------------------------------------------------------

    def invoke(self, association_id: str, operation: str, **fields: Any) -> InvocationResult:
        """Invoke the association's connector with its current credentials (contract.md §2.2).

        Raises:
            LinkError: no usable token (the association moved to ``REFRESH_TOKEN_EXPIRED``).
        """
        from c2c_cli.contract.builders import general_auth, oauth_auth, request

        _, association = self.association(association_id)
        owner, connector = self.connector_of(association)
        secrets: list[str] = []
        refusal = ""
        general = _general_secret(self.destination_of(association), association)
        if general is not None:
            refusal = self._secret_refusal(general["arn"], connector_owner=owner, association=association)
            auth = general_auth(general["arn"], general["versionId"])
        else:
            token = self.credentials.current_token(association_id)
            auth, secrets = oauth_auth(token), [token]
        envelope = request(operation, auth, connector["Id"], **fields)
        arn = connector.get("EndpointConfig", {}).get("lambda", {}).get("arn", "")
        if refusal:  # the connector's GetSecretValue would be denied: not invoked, recorded
            return self.invoker.refuse(arn, envelope, refusal)
        return self.invoker.invoke(arn, owner, envelope, secrets)

    def _secret_refusal(self, arn: str, connector_owner: Account, association: dict[str, Any]) -> str:
        """Why the connector's account may not read the secret (moto does not enforce its policy)."""
        from c2c_cli.emulator.driver.secret_policy import secret_refusal

        reader = self.account(self.association(association["AccountAssociationId"])[0])
        policy = self.service.read_secret_policy(arn, reader)
        return secret_refusal(policy, arn, connector_owner.account_id, str(association.get("Arn", "")))

    def invoke_problem(self, association_id: str, operation: str, **fields: Any) -> str:
        """Invoke as :meth:`invoke` does; why it failed, a missing token included ("" on success)."""
        try:
            return self.invoke(association_id, operation, **fields).problem
        except LinkError as exc:
            return str(exc)

    # -- events ----------------------------------------------------------------------------------

    def on_event(self, params: dict[str, Any], now: float) -> list[Violation]:
        """Apply an accepted ``SendConnectorEvent`` (contract.md §4.7); extra warnings to record.

        Raises:
            ApiError: ``ValidationException`` for an unknown or finished discovery id.
        """
        handler = self._event_handlers.get(str(params.get("Operation")))
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
        try:
            work()
        except Exception:
            logging.getLogger("c2c.emulator").exception("lifecycle work failed")

    return run
