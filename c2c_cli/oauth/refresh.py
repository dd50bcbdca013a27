"""Refreshing tokens (RFC 6749 §6) and the one call the simulator makes: :func:`valid_access_token`."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from c2c_cli.config import OAuthSettings
from c2c_cli.errors import AuthError
from c2c_cli.oauth.client import OAuthClient
from c2c_cli.oauth.flow import Clock, record_from_token
from c2c_cli.oauth.origin import check_token_origin
from c2c_cli.oauth.store import DEFAULT_PROFILE, TokenRecord, TokenStore
from c2c_cli.oauth.transport import require_secure

__all__ = ["SecretSource", "refresh", "refresh_profile", "valid_access_token"]

#: the client secret, or a callable asked for it only when a token call is really needed.
SecretSource = str | Callable[[], str]

# Providers that rotate refresh tokens (OAuth 2.0 Security BCP §4.14) reject the second of two
# concurrent refreshes with the same token, so threads of one process refresh one at a time.
_refresh_lock = threading.Lock()


def _secret(source: SecretSource) -> str:
    return source if isinstance(source, str) else source()


def refresh(
    record: TokenRecord, settings: OAuthSettings, secret: SecretSource, *, clock: Clock = time.time
) -> TokenRecord:
    """Run the refresh grant for ``record`` with the configured client authentication (contract.md §6.1 #7).

    The secret (a callable is only called then) is resolved after every check, just before it is sent.

    Returns:
        The new record (same profile and user id; the old refresh token is kept when none is returned).

    Raises:
        AuthError: ``oauth.token_url`` is not at the origin that issued the tokens, no refresh token, or
            the provider refused (e.g. ``invalid_grant``: log in again).
    """
    check_token_origin(record, settings)
    require_secure(settings)
    if not record.refresh_token:
        raise AuthError(
            f"profile {record.profile!r} has no refresh token",
            hint="The provider issued none; run 'c2c oauth login' again when the access token expires.",
        )
    client = OAuthClient(settings, _secret(secret))
    client.remember_secret(record.access_token)
    token = client.refresh(record.refresh_token)
    return record_from_token(token, client, profile=record.profile, clock=clock, previous=record)


def refresh_profile(
    profile: str = DEFAULT_PROFILE,
    *,
    settings: OAuthSettings,
    secret: SecretSource,
    store: TokenStore | None = None,
    clock: Clock = time.time,
) -> TokenRecord:
    """Refresh the stored tokens of ``profile`` and save the result."""
    store = store or TokenStore()
    with _refresh_lock:
        record = refresh(store.require(profile), settings, secret, clock=clock)
        store.save(record)
    return record


def valid_access_token(
    profile: str = DEFAULT_PROFILE,
    *,
    settings: OAuthSettings,
    secret: SecretSource,
    store: TokenStore | None = None,
    min_ttl: float = 60.0,
    clock: Clock = time.time,
    same_origin: bool = False,
) -> str:
    """An access token of ``profile`` valid for at least ``min_ttl`` seconds, refreshing when needed.

    This is what the simulator calls before each connector invocation. A token without a known expiry
    is returned as is. The secret is only resolved (a callable is only called) when a refresh happens.
    A refresh always checks the token endpoint's origin; ``same_origin`` checks it even for a fresh
    token (``c2c oauth token``: the token is handed to scripts that will send it on, issue 13 §2).

    Raises:
        AuthError: not logged in, the token endpoint moved, or the token is expiring and cannot be
            refreshed.
    """
    store = store or TokenStore()
    record = store.require(profile)
    if same_origin:
        check_token_origin(record, settings)
    if _fresh(record, clock(), min_ttl):
        return record.access_token
    with _refresh_lock:
        record = store.require(profile)  # another thread may have refreshed it meanwhile
        if not _fresh(record, clock(), min_ttl):
            record = refresh(record, settings, secret, clock=clock)
            store.save(record)
    return record.access_token


def _fresh(record: TokenRecord, now: float, min_ttl: float) -> bool:
    remaining = record.expires_in(now)
    return remaining is None or remaining >= min_ttl
