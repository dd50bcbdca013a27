"""Building blocks of ``c2c oauth check``: code redemption with scheme fallback, and the revocation probe."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from c2c_cli.errors import AuthError
from c2c_cli.oauth.client import OTHER_SCHEME, OAuthClient, Scheme, TokenEndpointError
from c2c_cli.oauth.flow import Authorization
from c2c_cli.oauth.report import Status

__all__ = ["Redeemed", "is_client_auth_error", "probe_revocation", "redeem", "scheme_name", "why"]

_METHOD = {"HTTP_BASIC": "client_secret_basic", "REQUEST_BODY_CREDENTIALS": "client_secret_post"}


def scheme_name(scheme: str | None) -> str:
    """``HTTP_BASIC (client_secret_basic)`` — the AWS name and the RFC 7591 method (contract.md §6.1 #7)."""
    return f"{scheme} ({_METHOD.get(scheme or '', '?')})"


def why(exc: AuthError) -> str:
    """Short evidence for an error: ``HTTP 401 invalid_client (...)`` for endpoint errors, else the message."""
    return exc.detail if isinstance(exc, TokenEndpointError) else exc.message


def is_client_auth_error(exc: Exception) -> bool:
    """The token endpoint refused the client itself (RFC 6749 §5.2 ``invalid_client``), not the grant."""
    return isinstance(exc, TokenEndpointError) and (exc.error == "invalid_client" or exc.status == 401)


@dataclass
class Redeemed:
    """The result of redeeming one code, trying the other client-auth scheme if the first is refused.

    Attributes:
        token: the token response, or ``None``.
        scheme: the scheme the server authenticated (it answered with a token or a grant-level error).
        errors: the error of each scheme tried.
    """

    token: dict[str, Any] | None
    scheme: Scheme | None
    errors: dict[str, AuthError] = field(default_factory=dict)

    @property
    def auth_failed(self) -> bool:
        """Every scheme tried was refused at client authentication."""
        return self.token is None and self.scheme is None

    @property
    def last_error(self) -> str:
        """The message of the last error, for evidence."""
        if not self.errors:
            return "no error"
        return why(list(self.errors.values())[-1])


def redeem(client: OAuthClient, grant: Authorization, verifier: str | None, first: Scheme) -> Redeemed:
    """Exchange ``grant``'s code with ``verifier``, trying ``first`` then the other scheme on ``invalid_client``.

    A refused client authentication does not consume the code (the server rejects the request before
    looking at the grant, RFC 6749 §5.2), so trying the other scheme with the same code is meaningful.
    """
    errors: dict[str, AuthError] = {}
    for scheme in (first, OTHER_SCHEME[first]):
        try:
            token = client.exchange_code(grant.code, grant.redirect_uri, verifier, scheme=scheme)
        except AuthError as exc:
            errors[scheme] = exc
            if not is_client_auth_error(exc):
                return Redeemed(None, scheme, errors)
            continue
        return Redeemed(token, scheme, errors)
    return Redeemed(None, None, errors)


def probe_revocation(client: OAuthClient, token: dict[str, Any], scheme: Scheme) -> tuple[Status, str]:
    """Revoke both tokens (RFC 7009) and check they are dead (contract.md §6.3); ``(status, evidence)``."""
    if not client.settings.revocation_url:
        return "warn", "no oauth.revocation_url configured: AWS.DeactivateUser could not revoke tokens"
    access, refresh = str(token["access_token"]), token.get("refresh_token")
    try:
        for hint, value in (("refresh_token", refresh), ("access_token", access)):
            if value:
                client.revoke(str(value), hint, scheme=scheme)
    except AuthError as exc:
        return "fail", f"the revocation request failed: {exc.message}"
    alive, dead = [], []
    if refresh:
        try:
            client.refresh(str(refresh), scheme=scheme)
            alive.append("the revoked refresh token still works")
        except TokenEndpointError as exc:
            dead.append(f"refresh token refused ({exc.error or exc.status})")
    if client.settings.userinfo_url:
        try:
            client.userinfo(access)
            alive.append("the revoked access token is still accepted by the userinfo endpoint")
        except TokenEndpointError as exc:
            dead.append(f"access token refused by userinfo (HTTP {exc.status})")
    else:
        dead.append("access token not verified (no oauth.userinfo_url)")
    if alive:
        return "fail", "; ".join(alive)
    return "pass", "revoked; " + "; ".join(dead)
