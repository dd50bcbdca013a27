"""Linking an end-user account: create (or reuse) an account association and wait for the end user.

contract.md §6.2: ``CreateAccountAssociation`` returns the ``OAuthAuthorizationUrl`` the user opens;
the association stays ``ASSOCIATION_IN_PROGRESS`` until the OAuth flow completes, then ends in
``ASSOCIATION_SUCCEEDED`` or ``ASSOCIATION_FAILED`` (``ErrorMessage``). :func:`link_account` is the one
implementation, used by ``c2c register --link`` and ``c2c link``; the URL opener, progress, clock and
sleep are injected.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from c2c_cli.aws.session import call
from c2c_cli.errors import AwsError

if TYPE_CHECKING:
    from c2c_cli.aws.session import IotClient

__all__ = [
    "FINAL_STATES",
    "SUCCEEDED",
    "Association",
    "LinkRequest",
    "link_account",
    "start_link",
    "wait_for_link",
]

SUCCEEDED = "ASSOCIATION_SUCCEEDED"
FINAL_STATES = frozenset({SUCCEEDED, "ASSOCIATION_FAILED", "REFRESH_TOKEN_EXPIRED"})


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


def start_link(iot: IotClient, destination_id: str, name: str) -> Association:
    """``CreateAccountAssociation`` for the destination (a fresh ClientToken: each link is new)."""
    made = call(
        iot.create_account_association,
        ConnectorDestinationId=destination_id,
        Name=name,
        ClientToken=secrets.token_hex(16),
    )
    return _association(made)


def wait_for_link(
    iot: IotClient,
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
        got = call(iot.get_account_association, AccountAssociationId=current.association_id)
        current = _association(
            {**got, "OAuthAuthorizationUrl": got.get("OAuthAuthorizationUrl") or current.authorization_url}
        )
    return current


@dataclass(frozen=True)
class LinkRequest:
    """Which association to link and how long to wait.

    Attributes:
        destination_id: create a new association for this connector destination.
        association_id: reuse this association instead (wins over ``destination_id``).
        name: the new association's ``Name``.
        timeout: seconds to wait for the end user.
        interval: seconds between ``GetAccountAssociation`` polls.
    """

    destination_id: str | None
    association_id: str | None = None
    name: str = "c2c-link"
    timeout: float = 300.0
    interval: float = 2.0


def link_account(
    iot: IotClient,
    request: LinkRequest,
    *,
    opener: Callable[[str], None],
    progress: Callable[[str], None],
    sleep: Callable[[float], None],
    clock: Callable[[], float],
    created: Callable[[str], None] | None = None,
) -> Association:
    """Create (or reuse) an association, hand its URL to ``opener``, and wait for a final state.

    Args:
        iot: the ``iot-managed-integrations`` client.
        request: what to link.
        opener: shows the authorization URL to the end user (not called once the link succeeded).
        progress: one-line progress messages.
        sleep: injected ``time.sleep``.
        clock: injected ``time.monotonic``.
        created: called with a new association's id before the wait (so it can be recorded, and found
            by ``c2c unregister``, even when the wait is interrupted).

    Returns:
        The association as last seen: ``ASSOCIATION_SUCCEEDED``, another final state, or still in progress
        after ``request.timeout``; the caller decides whether anything but success is an error.

    Raises:
        AwsError: an API call failed, or neither a destination nor an association was given.
    """
    current = _reuse_or_create(iot, request, progress, created)
    if current.state == SUCCEEDED:
        return current
    if current.authorization_url:
        opener(current.authorization_url)
    progress("Waiting for the end user to link the account")
    return wait_for_link(
        iot, current, timeout=request.timeout, interval=request.interval, sleep=sleep, clock=clock
    )


def _reuse_or_create(
    iot: IotClient,
    request: LinkRequest,
    progress: Callable[[str], None],
    created: Callable[[str], None] | None,
) -> Association:
    if request.association_id:
        got = call(iot.get_account_association, AccountAssociationId=request.association_id)
        return _association({**got, "AccountAssociationId": request.association_id})
    if not request.destination_id:
        raise AwsError("no connector destination or association to link", code="NoDestination")
    progress("Creating the account association")
    made = start_link(iot, request.destination_id, request.name)
    if created is not None:
        created(made.association_id)
    return made
