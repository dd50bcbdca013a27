"""General Authorization: a vendor API key kept by the customer in Secrets Manager (contract §2.2).

- Credentials: ``header.auth.secretsManager`` names the secret (``arn`` + ``versionId``); it is read with
  the function's role (``secretsmanager:GetSecretValue``), cached for the container's life (a version's
  content never changes) and never logged. The secret is JSON ``{"api_key": "...", "user_id": "..."}``
  (``apiKey``/``userId`` also accepted) or just the key as a plain string. The key goes out as
  ``X-Api-Key``.
- User id (§3.1): one API key may act for several vendor users, while the service needs one user id per
  account association. The id is the secret's ``user_id`` when present (recommended: one secret per end
  user); otherwise the single owner of the devices the key sees; a key that sees several owners and has no
  ``user_id`` is refused with a message saying so.
- Discovery reports only that user's devices (``owner_user_id``).
- DeactivateUser has nothing to revoke (the key is the customer's); the user is marked inactive so the
  webhook drops their events. The key's webhook stays, since it serves the key's other users.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from connector.envelope import USER_ID, ConnectorError
from connector.logs import register_secret
from connector.secrets import get_secret_json

if TYPE_CHECKING:
    from connector.context import Invocation

AUTH_TYPE = "GeneralAuthorization"
SHARED_WEBHOOK = True  # webhooks are registered with the API key: one per key, shared by its users
OWNER_SCAN_LIMIT = 200


@dataclass(frozen=True)
class Credentials:
    """The API key (never in ``repr``) and the user id the secret pins, if any."""

    api_key: str = field(repr=False)
    user_id: str | None = None

    @property
    def headers(self) -> dict[str, str]:
        """Headers for the vendor's device API."""
        return {"X-Api-Key": self.api_key}


def credentials(auth: dict[str, Any]) -> Credentials:
    """Read the API key named by ``header.auth.secretsManager``.

    Raises:
        ConnectorError: 400 for a wrong auth type, 403/502 when the secret cannot be read or holds no key.
    """
    ref = auth.get("secretsManager")
    if auth.get("type") != AUTH_TYPE or not isinstance(ref, dict) or not isinstance(ref.get("arn"), str):
        raise ConnectorError(400, "this connector expects header.auth of type GeneralAuthorization with secretsManager")
    secret = get_secret_json(ref["arn"], str(ref.get("versionId") or ""))
    api_key = secret.get("api_key") or secret.get("apiKey") or secret.get("value")
    if not isinstance(api_key, str) or not api_key:
        raise ConnectorError(403, "the secret holds no api_key")
    register_secret(api_key)
    pinned = secret.get("user_id") or secret.get("userId")
    if pinned is not None and not (isinstance(pinned, str) and USER_ID.fullmatch(pinned)):
        raise ConnectorError(500, "the secret's user_id is not a valid user id")
    return Credentials(api_key, pinned)


def user_id(invocation: Invocation) -> str:
    """The secret's ``user_id``, else the one owner of the key's devices."""
    pinned = invocation.credentials.user_id
    if pinned:
        return pinned
    devices, _ = invocation.vendor.devices(None, OWNER_SCAN_LIMIT)
    owners = {str(d.get("owner_user_id")) for d in devices if d.get("owner_user_id")}
    if len(owners) == 1:
        (owner,) = owners
        if USER_ID.fullmatch(owner):
            return owner
    raise ConnectorError(
        400, f"the API key acts for {len(owners)} users; add user_id to the secret (one secret per end user)"
    )


def visible(invocation: Invocation, device: dict[str, Any]) -> bool:
    """Only the association's user's devices are reported."""
    owner = device.get("owner_user_id")
    return owner is None or owner == invocation.user_id


def webhook_owner(invocation: Invocation) -> str:
    """Webhooks belong to the API key (hashed: the key itself is a secret)."""
    return "key:" + hashlib.sha256(invocation.credentials.api_key.encode()).hexdigest()[:16]


def revoke(invocation: Invocation) -> None:
    """Nothing to revoke: the API key belongs to the customer, not to this association."""
