"""Which endpoints may be called, and oauthlib's plain-http switch for the loopback ones.

Every endpoint must be https, except plain http to loopback (RFC 8252 §8.3), decided by
:func:`c2c_cli.network.is_loopback`: parsed, never by prefix (issue 13 §1).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator

from c2c_cli.config import OAuthSettings
from c2c_cli.errors import AuthError
from c2c_cli.network import is_loopback

__all__ = ["insecure_urls", "loopback_transport", "require_secure"]

_INSECURE_ENV = "OAUTHLIB_INSECURE_TRANSPORT"
_insecure_lock = threading.Lock()
_insecure_users = 0
_insecure_saved: str | None = None


def insecure_urls(settings: OAuthSettings) -> list[str]:
    """Configured endpoints that are not https, except plain http to loopback (RFC 6749 §3.1, §3.2).

    Loopback is decided by :func:`c2c_cli.network.is_loopback` (parsed, never by prefix: issue 13 §1), so
    ``http://127.0.0.1.evil.com`` is refused here, before the secret or a token is ever sent.
    """
    urls = [settings.authorization_url, settings.token_url, settings.revocation_url, settings.userinfo_url]
    return [u for u in urls if u and not _secure(u)]


def require_secure(settings: OAuthSettings) -> None:
    """Raise :class:`AuthError` (exit 4) when an endpoint is plain http on a non-loopback host."""
    if bad := insecure_urls(settings):
        raise AuthError(
            f"OAuth endpoints must use https (RFC 6749 §3.1): {', '.join(bad)}",
            hint="Use the provider's https URLs in c2c.yaml; plain http is only allowed on loopback.",
        )


def _secure(url: str) -> bool:
    scheme = url.split(":", 1)[0].lower()
    return scheme == "https" or (scheme == "http" and is_loopback(url))


@contextlib.contextmanager
def loopback_transport(url: str) -> Iterator[None]:
    """Let oauthlib make plain-http calls to ``url`` for the duration (loopback URLs only reach here)."""
    # oauthlib refuses http:// unless OAUTHLIB_INSECURE_TRANSPORT is set (process-wide). We only get
    # here for https or loopback URLs (OAuthClient refuses the rest, RFC 8252 §8.3), so the variable is
    # set while loopback calls run, reference-counted across threads, and restored afterwards.
    global _insecure_users, _insecure_saved
    if not url.lower().startswith("http://"):
        yield
        return
    with _insecure_lock:
        if _insecure_users == 0:
            _insecure_saved = os.environ.get(_INSECURE_ENV)
        _insecure_users += 1
        os.environ[_INSECURE_ENV] = "1"
    try:
        yield
    finally:
        with _insecure_lock:
            _insecure_users -= 1
            if _insecure_users == 0:
                if _insecure_saved is None:
                    os.environ.pop(_INSECURE_ENV, None)
                else:
                    os.environ[_INSECURE_ENV] = _insecure_saved
