"""Lookups the driver and the lifecycle work share: accounts, associations and what they point to."""

from __future__ import annotations

from typing import Any

from c2c_cli.emulator.driver.host import LinkError, ServiceView
from c2c_cli.emulator.http.settings import Account
from c2c_cli.emulator.http.store import ASSOCIATION, CONNECTOR, DESTINATION

__all__ = ["Records"]


class Records:
    """Reads (and saves) the records behind an account association.

    Args:
        service: the emulator's shared state.
    """

    def __init__(self, service: ServiceView) -> None:
        self.service = service
        self.store = service.store
        self.settings = service.settings

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

    def save_association(self, owner: str, data: dict[str, Any]) -> None:
        """Write an association back (its id is ``data["AccountAssociationId"]``)."""
        self.store.put(owner, ASSOCIATION, data["AccountAssociationId"], data, self.service.clock())

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
