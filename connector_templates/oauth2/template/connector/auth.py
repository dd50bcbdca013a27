"""OAuth 2.0 account linking: the end user's access token comes with every invocation (contract §2.2, §6).

- Credentials: ``header.auth.token`` becomes ``Authorization: Bearer``; the token is registered for
  redaction before anything else happens.
- User id (§3.1): the JWT ``sub`` claim when the token is a JWT with a usable ``sub`` (read without
  verifying the signature: the vendor verifies the token on every call, and a forged token gets nothing
  from it), else ``GET /v1/me``.
- Every device the token sees belongs to that user: no filtering.
- DeactivateUser revokes the token at the vendor's RFC 7009 endpoint (``VENDOR_REVOKE_URL``, default
  ``VENDOR_API_URL`` + ``/oauth/revoke``) with the connector's OAuth client credentials
  (``VENDOR_CLIENT_ID`` and ``VENDOR_CLIENT_SECRET``, or ``VENDOR_CLIENT_SECRET_ARN`` in Secrets Manager),
  HTTP Basic as in RFC 6749 §2.3.1. The vendor revokes the whole grant, refresh token included (the
  service never shows the connector the refresh token).
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from connector.envelope import USER_ID, ConnectorError
from connector.logs import register_secret

if TYPE_CHECKING:
    from connector.context import Invocation

AUTH_TYPE = "OAuth2.0"
SHARED_WEBHOOK = False  # webhooks are registered with the user's token: one per user


@dataclass(frozen=True)
class Credentials:
    """The caller's credentials (``repr`` never shows the token)."""

    token: str = field(repr=False)

    @property
    def headers(self) -> dict[str, str]:
        """Headers for the vendor's device API."""
        return {"Authorization": f"Bearer {self.token}"}


def credentials(auth: dict[str, Any]) -> Credentials:
    """Read ``header.auth`` of an OAuth invocation.

    Raises:
        ConnectorError: 400 when the request is not OAuth or carries no token.
    """
    token = auth.get("token")
    if auth.get("type") != AUTH_TYPE or not isinstance(token, str) or not token:
        raise ConnectorError(400, "this connector expects header.auth of type OAuth2.0 with a token")
    register_secret(token)
    return Credentials(token)


def jwt_subject(token: str) -> str | None:
    """The ``sub`` claim of a JWT, or ``None`` when the token is opaque or has no usable ``sub``."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except ValueError:
        return None
    subject = claims.get("sub") if isinstance(claims, dict) else None
    return subject if isinstance(subject, str) and USER_ID.fullmatch(subject) else None


def user_id(invocation: Invocation) -> str:
    """The user id: JWT ``sub`` without a network call, else ``GET /v1/me``."""
    subject = jwt_subject(invocation.credentials.token)
    if subject:
        return subject
    found = str(invocation.vendor.me().get("user_id", ""))
    if not USER_ID.fullmatch(found):
        raise ConnectorError(502, "the vendor returned no usable user id")
    return found


def visible(invocation: Invocation, device: dict[str, Any]) -> bool:  # noqa: ARG001
    """Every device listed with the user's token is the user's."""
    return True


def webhook_owner(invocation: Invocation) -> str:
    """Webhooks belong to the user who registered them."""
    return f"user:{invocation.user_id}"


def _client_credentials() -> tuple[str, str]:
    client_id = os.environ.get("VENDOR_CLIENT_ID", "")
    secret = os.environ.get("VENDOR_CLIENT_SECRET", "")
    arn = os.environ.get("VENDOR_CLIENT_SECRET_ARN", "")
    if arn and not secret:
        from connector.secrets import get_secret_json

        stored = get_secret_json(arn)
        client_id = client_id or str(stored.get("clientId", ""))
        secret = str(stored.get("clientSecret") or stored.get("value") or "")
    if not client_id or not secret:
        raise ConnectorError(
            500, "token revocation is not configured: set VENDOR_CLIENT_ID and VENDOR_CLIENT_SECRET(_ARN)"
        )
    register_secret(secret)
    return client_id, secret


def revoke(invocation: Invocation) -> None:
    """Revoke the access token and its grant at the vendor (RFC 7009 §2.1).

    Raises:
        ConnectorError: the vendor refused or could not be reached (the ACK reports it).
    """
    from connector import vendor

    client_id, secret = _client_credentials()
    basic = base64.b64encode(f"{quote(client_id, safe='')}:{quote(secret, safe='')}".encode()).decode()
    url = os.environ.get("VENDOR_REVOKE_URL") or vendor.base_url() + "/oauth/revoke"
    revoker = vendor.Vendor({"Authorization": f"Basic {basic}"}, invocation.budget)
    revoker.request("POST", url, data={"token": invocation.credentials.token, "token_type_hint": "access_token"})
