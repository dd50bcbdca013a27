"""Stored tokens go back only to the origin that issued them (issue 13 §2).

A token record keeps the ``token_url`` (and ``revocation_url``) of the login that produced it. When
``c2c.yaml`` later names a token or revocation endpoint at another origin (RFC 6454: scheme, host,
port), refreshing or revoking would send the refresh token, the access token and the client secret to a
server that never issued them; so those calls, and ``c2c oauth token``, refuse until the user signs in
again at the new provider.

Choices: a record without a ``token_url`` is refused (nothing proves where it came from). A record
without a ``revocation_url`` (stored before c2c recorded it, or by a login while c2c.yaml had none) may
be revoked at the origin of its ``token_url``: that is the server that issued the tokens, and refusing
would leave them unrevoked.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from c2c_cli.config import OAuthSettings
from c2c_cli.errors import AuthError
from c2c_cli.oauth.store import DEFAULT_PROFILE, TokenRecord

__all__ = ["check_revocation_origin", "check_token_origin", "origin"]

_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url: str) -> str:
    """``scheme://host:port`` of ``url``, lower-cased, with the default port made explicit; "" if none."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return ""
    scheme, host = parts.scheme.lower(), parts.hostname or ""
    if not scheme or not host:
        return ""
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}:{port or _DEFAULT_PORTS.get(scheme, 0)}"


def check_token_origin(record: TokenRecord, settings: OAuthSettings) -> None:
    """Refuse when ``oauth.token_url`` is not at the origin that issued ``record``.

    Raises:
        AuthError: exit 4, with the hint to log in again.
    """
    _same(record, origin(record.token_url), settings.token_url, "oauth.token_url")


def check_revocation_origin(record: TokenRecord, settings: OAuthSettings) -> None:
    """Refuse when ``oauth.revocation_url`` is not at the origin recorded for ``record`` (see module doc).

    Raises:
        AuthError: exit 4, with the hint to log in again.
    """
    if not settings.revocation_url:
        return
    stored = origin(record.revocation_url) if record.revocation_url else origin(record.token_url)
    _same(record, stored, settings.revocation_url, "oauth.revocation_url")


def _same(record: TokenRecord, stored: str, configured: str, setting: str) -> None:
    option = "" if record.profile == DEFAULT_PROFILE else f" --profile {record.profile}"
    hint = f"Run 'c2c oauth login{option}' to sign in at the provider c2c.yaml names now."
    if not stored:
        raise AuthError(
            f"the tokens of profile {record.profile!r} do not record which provider issued them", hint=hint
        )
    now = origin(configured)
    if now != stored:
        raise AuthError(
            f"the tokens of profile {record.profile!r} came from {stored}, but {setting} is at {now or configured}",
            hint=hint,
        )
