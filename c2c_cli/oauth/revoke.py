"""Logging out: RFC 7009 revocation of both tokens at the provider, then local deletion."""

from __future__ import annotations

from dataclasses import dataclass

from c2c_cli.config import OAuthSettings
from c2c_cli.oauth.client import OAuthClient
from c2c_cli.oauth.origin import check_revocation_origin
from c2c_cli.oauth.refresh import SecretSource
from c2c_cli.oauth.store import DEFAULT_PROFILE, TokenRecord, TokenStore
from c2c_cli.oauth.transport import require_secure

__all__ = ["LogoutResult", "logout", "revoke_tokens"]


@dataclass(frozen=True)
class LogoutResult:
    """What ``logout`` did.

    Attributes:
        profile: the profile.
        found: tokens were stored for it.
        revoked: the token types revoked at the provider (``refresh_token``, ``access_token``).
        revocation_skipped: why nothing was revoked (``--no-revoke``, no endpoint), else ``None``.
    """

    profile: str
    found: bool
    revoked: tuple[str, ...] = ()
    revocation_skipped: str | None = None


def revoke_tokens(record: TokenRecord, settings: OAuthSettings, secret: str) -> tuple[str, ...]:
    """Revoke the refresh token, then the access token (RFC 7009 §2.1, with ``token_type_hint``).

    The refresh token goes first: revoking it SHOULD also invalidate the access tokens of the same
    grant (RFC 7009 §2.1), and if the second call fails the longer-lived token is already dead.

    Returns:
        The hints of the tokens revoked, in order.

    Raises:
        AuthError: ``oauth.revocation_url`` is not at the tokens' recorded origin (nothing is sent), or a
            revocation request failed (the caller keeps the tokens so it can retry).
    """
    check_revocation_origin(record, settings)
    client = OAuthClient(settings, secret)
    done: list[str] = []
    for hint, token in (("refresh_token", record.refresh_token), ("access_token", record.access_token)):
        if token:
            client.revoke(token, hint)
            done.append(hint)
    return tuple(done)


def logout(
    profile: str = DEFAULT_PROFILE,
    *,
    settings: OAuthSettings,
    secret: SecretSource | None,
    store: TokenStore | None = None,
    revoke: bool = True,
) -> LogoutResult:
    """Revoke the tokens of ``profile`` (when asked and possible) and delete them from the store.

    Args:
        profile: the profile.
        settings: ``oauth:`` settings (for the revocation URL and client auth).
        secret: the client secret (a callable is only called when revoking); ``None`` only with ``revoke=False``.
        store: the token store.
        revoke: call the revocation endpoint first.

    Raises:
        AuthError: revocation failed; nothing was deleted.
    """
    store = store or TokenStore()
    record = store.get(profile)
    if record is None:
        return LogoutResult(profile, found=False)
    revoked: tuple[str, ...] = ()
    skipped = None
    if not revoke:
        skipped = "--no-revoke"
    elif not settings.revocation_url:
        skipped = "no oauth.revocation_url configured"
    else:
        if secret is None:
            raise ValueError("a client secret is needed to revoke tokens")
        check_revocation_origin(record, settings)  # both before the secret is looked up (or prompted for)
        require_secure(settings)
        revoked = revoke_tokens(record, settings, secret if isinstance(secret, str) else secret())
    store.delete(profile)
    return LogoutResult(profile, found=True, revoked=revoked, revocation_skipped=skipped)
