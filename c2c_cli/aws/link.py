"""``c2c register --link``: create an account association and wait for the end user to link it.

contract.md §6.2: ``CreateAccountAssociation`` returns the ``OAuthAuthorizationUrl`` the user opens;
the association stays ``ASSOCIATION_IN_PROGRESS`` until the OAuth flow completes, then ends in
``ASSOCIATION_SUCCEEDED`` or ``ASSOCIATION_FAILED`` (``ErrorMessage``). Clock and sleep are injected.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from c2c_cli.aws.session import call

__all__ = ["FINAL_STATES", "Association", "start_link", "wait_for_link"]

FINAL_STATES = frozenset({"ASSOCIATION_SUCCEEDED", "ASSOCIATION_FAILED", "REFRESH_TOKEN_EXPIRED"})


@dataclass(frozen=True)
class Association:
    """An account association as last seen.

    Attributes:
        association_id: its id.
        state: ``AssociationState``.
        authorization_url: the URL the end user opens (sensitive in the model: shown, never logged).
        error: ``ErrorMessage`` when failed.
    """

    association_id: str
    state: str
    authorization_url: str = field(repr=False)
    error: str | None = None

    @property
    def final(self) -> bool:
        """The state will not change without user action."""
        return self.state in FINAL_STATES

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` form (the URL included: the user needs it)."""
        return {
            "id": self.association_id,
            "state": self.state,
            "authorization_url": self.authorization_url,
            "error": self.error,
        }


def _association(data: dict[str, Any]) -> Association:
    return Association(
        str(data["AccountAssociationId"]),
        str(data["AssociationState"]),
        str(data.get("OAuthAuthorizationUrl") or ""),
        data.get("ErrorMessage"),
    )


def start_link(iot: Any, destination_id: str, name: str) -> Association:
    """``CreateAccountAssociation`` for the destination (a fresh ClientToken: each link is new)."""
    made = call(
        iot,
        "create_account_association",
        ConnectorDestinationId=destination_id,
        Name=name,
        ClientToken=secrets.token_hex(16),
    )
    return _association(made)


def wait_for_link(
    iot: Any,
    association: Association,
    *,
    timeout: float,
    interval: float = 2.0,
    sleep: Callable[[float], None],
    clock: Callable[[], float],
) -> Association:
    """Poll ``GetAccountAssociation`` until a final state or ``timeout`` seconds (then the last state)."""
    deadline = clock() + timeout
    current = association
    while not current.final and clock() < deadline:
        sleep(min(interval, max(0.0, deadline - clock())))
        got = call(iot, "get_account_association", AccountAssociationId=current.association_id)
        current = _association(
            {**got, "OAuthAuthorizationUrl": got.get("OAuthAuthorizationUrl") or current.authorization_url}
        )
    return current
