"""Linking an end-user account: create (or reuse) an account association and wait for the end user.

contract.md §6.2: ``CreateAccountAssociation`` returns the ``OAuthAuthorizationUrl`` the user opens;
the association stays ``ASSOCIATION_IN_PROGRESS`` until the OAuth flow completes, then ends in
``ASSOCIATION_SUCCEEDED`` or ``ASSOCIATION_FAILED`` (``ErrorMessage``). :func:`link_account` is the one
implementation, used by ``c2c register --link`` and ``c2c link``; the URL opener, progress, clock and
sleep are injected.

General Authorization (contract.md §1) has no browser step: the association names one of the
destination's auth materials (``GeneralAuthorization.AuthMaterialName``, :func:`choose_material`), its
URL is empty, and the service activates the user with the material's secret; the wait is the same.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from c2c_cli.aws.session import call
from c2c_cli.errors import AwsError, UsageError

if TYPE_CHECKING:
    from c2c_cli.aws.session import IotClient

__all__ = [
    "FINAL_STATES",
    "SUCCEEDED",
    "Association",
    "LinkRequest",
    "choose_material",
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


def start_link(iot: IotClient, destination_id: str, name: str, material: str | None = None) -> Association:
    """``CreateAccountAssociation`` for the destination (a fresh ClientToken: each link is new).

    ``material`` names the General Authorization auth material the association uses.
    """
    extra: dict[str, Any] = {"GeneralAuthorization": {"AuthMaterialName": material}} if material else {}
    made = call(
        iot.create_account_association,
        ConnectorDestinationId=destination_id,
        Name=name,
        ClientToken=secrets.token_hex(16),
        **extra,
    )
    return _association(made)


def choose_material(iot: IotClient, destination_id: str, wanted: str | None) -> str | None:
    """The auth material a new association of the destination uses (None for an OAuth destination).

    The destination's ``AuthConfig.GeneralAuthorization`` lists them (``c2c register`` writes one per
    ``general_auth`` material of c2c.yaml); a single one needs no ``--material``.

    Raises:
        UsageError: ``wanted`` is not one of them, several exist and none was named, or ``wanted`` was
            given for a destination without any.
    """
    got = call(iot.get_connector_destination, Identifier=destination_id)
    names = [str(m["AuthMaterialName"]) for m in got.get("AuthConfig", {}).get("GeneralAuthorization") or []]
    listed = ", ".join(names)
    if wanted and wanted not in names:
        problem = (
            f"has the auth materials {listed}" if names else "has no General Authorization auth material"
        )
        raise UsageError(f"connector destination {destination_id} {problem}, not {wanted!r}")
    if wanted or len(names) < 2:
        return wanted or (names[0] if names else None)
    raise UsageError(
        f"connector destination {destination_id} has {len(names)} auth materials: {listed}",
        hint=f"Pass --material NAME (one of {listed}).",
    )


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
        material: the General Authorization auth material (needed when the destination has several).
    """

    destination_id: str | None
    association_id: str | None = None
    name: str = "c2c-link"
    timeout: float = 300.0
    interval: float = 2.0
    material: str | None = None


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
    else:  # General Authorization: no browser, the service activates the user with the secret
        progress("Waiting for the connector to activate the user")
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
    material = choose_material(iot, request.destination_id, request.material)
    progress("Creating the account association")
    made = start_link(iot, request.destination_id, request.name, material)
    if created is not None:
        created(made.association_id)
    return made
