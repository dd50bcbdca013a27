"""An association's OAuth credentials: the client from its destination's secret, fresh access tokens.

Tokens stay in the association row. An access token close to expiry is refreshed (RFC 6749 §6) before an
invocation; a failed refresh moves the association to ``REFRESH_TOKEN_EXPIRED`` (contract.md §3.4).
The code exchange itself is the OAuth callback's (``operations.linking``), which uses the same client.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from c2c_cli.emulator.driver.host import LinkError, error_message
from c2c_cli.emulator.driver.records import Records

__all__ = ["Credentials", "tokens_from"]


def _expires_at(expires_in: Any, now: float) -> float | None:
    """RFC 6749 §5.1 ``expires_in`` (seconds, optional) as an epoch time; None when absent or unusable."""
    try:
        return now + float(expires_in) if expires_in not in (None, "") else None
    except (TypeError, ValueError):
        return None


def tokens_from(token: dict[str, Any], now: float, previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """What an association keeps of a token response (RFC 6749 §5.1)."""
    return {
        "access_token": token["access_token"],
        # RFC 6749 §6: the provider may keep the old refresh token.
        "refresh_token": token.get("refresh_token") or (previous or {}).get("refresh_token"),
        "expires_at": _expires_at(token.get("expires_in"), now),
    }


def _client_secret(text: str | None) -> tuple[str | None, str | None]:
    try:
        secret = json.loads(text) if text else {}
    except ValueError:
        secret = {}
    if not isinstance(secret, dict):
        return None, None
    # contract.md §9 #13: key names are undocumented; the toolkit writes clientId/clientSecret.
    return secret.get("clientId") or secret.get("client_id"), secret.get("clientSecret") or secret.get(
        "client_secret"
    )


class Credentials:
    """OAuth clients and access tokens of associations.

    Args:
        records: the association lookups.
    """

    def __init__(self, records: Records) -> None:
        self.records = records
        self._lock = threading.Lock()  # a refresh token may be single-use (RFC 6749 §10.4)

    def client_for(self, owner: str, association: dict[str, Any]) -> Any:
        """An ``OAuthClient`` for the association's destination (client id and secret from Secrets Manager).

        Raises:
            LinkError: the destination's secret has no client id and secret.
        """
        from c2c_cli.config import OAuthSettings
        from c2c_cli.oauth.client import OAuthClient

        records, service = self.records, self.records.service
        destination = records.destination_of(association)
        oauth = destination.get("AuthConfig", {}).get("oAuth") or {}
        ref = destination.get("SecretsManager") or {}
        account = records.account(owner)
        text = service.read_secret(ref.get("arn", ""), ref.get("versionId", ""), account) if ref else None
        client_id, client_secret = _client_secret(text)
        if not oauth or not client_id or not client_secret:
            raise LinkError("the destination's secret has no clientId and clientSecret")
        settings = OAuthSettings(
            authorization_url=oauth["authUrl"],
            token_url=oauth["tokenUrl"],
            client_id=str(client_id),
            token_endpoint_auth=oauth.get("tokenEndpointAuthenticationScheme", "HTTP_BASIC"),
        )
        return OAuthClient(settings, str(client_secret), timeout=service.settings.http_timeout_seconds)

    def current_token(self, association_id: str) -> str:
        """A valid access token, refreshed first when it expires within the configured margin.

        Raises:
            LinkError: no tokens, or the refresh failed (the association is then ``REFRESH_TOKEN_EXPIRED``).
        """
        with self._lock:
            owner, data = self.records.association(association_id)
            tokens = data.get("_tokens")
            if not tokens:
                raise LinkError(f"account association {association_id} is not linked")
            expires_at = tokens.get("expires_at")
            margin = self.records.settings.token_refresh_margin_seconds
            if expires_at is None or expires_at - self.records.service.clock() > margin:
                return str(tokens["access_token"])
            return self._refresh(owner, data)

    def _refresh(self, owner: str, data: dict[str, Any]) -> str:
        from c2c_cli.errors import C2CError

        tokens = data["_tokens"]
        try:
            if not tokens.get("refresh_token"):
                raise LinkError("no refresh token was issued")
            token = self.client_for(owner, data).refresh(tokens["refresh_token"])
        except (C2CError, LinkError) as exc:
            data["AssociationState"] = "REFRESH_TOKEN_EXPIRED"
            data["ErrorMessage"] = error_message(f"token refresh failed: {exc}")
            self.records.save_association(owner, data)
            raise LinkError(f"token refresh failed: {exc}") from None
        data["_tokens"] = tokens_from(token, self.records.service.clock(), tokens)
        self.records.save_association(owner, data)
        return str(data["_tokens"]["access_token"])
