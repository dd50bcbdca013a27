"""The interactive authorization-code flow with PKCE (RFC 6749 §4.1, RFC 7636, RFC 8252).

:func:`authorize` gets an authorization code: it binds the loopback server (unless the redirect URI is
not a loopback one), builds the authorization URL with a random ``state`` and an S256 challenge, hands
the URL to the injected ``opener`` (a browser) and, when no browser was opened, also reads the final
redirect URL from the injected ``paste`` callable (so the browser may run on another machine). The first
outcome from either source wins. :func:`login` then redeems the code and resolves the user id.
"""

from __future__ import annotations

import queue
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from c2c_cli.config import OAuthSettings
from c2c_cli.errors import AuthError, UsageError
from c2c_cli.network import is_loopback
from c2c_cli.oauth.client import OAuthClient
from c2c_cli.oauth.loopback import CALLBACK_PATH, LoopbackServer, Outcome, evaluate_callback
from c2c_cli.oauth.pkce import new_pkce
from c2c_cli.oauth.store import DEFAULT_PROFILE, TokenRecord
from c2c_cli.oauth.tokens import jwt_subject

__all__ = [
    "Authorization",
    "Clock",
    "LoginOptions",
    "Opener",
    "Paste",
    "Prompt",
    "authorize",
    "login",
    "record_from_token",
    "resolve_user_id",
]

#: opens the authorization URL in a browser; returns whether one was opened.
Opener = Callable[[str], bool]
#: returns one line typed or pasted by the user, or ``None`` at end of input.
Paste = Callable[[], str | None]
Clock = Callable[[], float]


@dataclass(frozen=True)
class Prompt:
    """What the user must be told once the authorization URL exists.

    Attributes:
        url: the authorization URL.
        opened: a browser was opened with it.
        paste: the redirect URL may be pasted (no browser was opened).
        redirect_uri: where the provider sends the browser back.
        purpose: why this sign-in happens (e.g. ``sign in as a second user``).
    """

    url: str
    opened: bool
    paste: bool
    redirect_uri: str
    purpose: str = "sign in"


@dataclass(frozen=True)
class LoginOptions:
    """How to run one authorization.

    Attributes:
        redirect_uri: an exact redirect URI; a loopback one (``http://127.0.0.1:8765/callback``) is
            served locally, any other is only completed by pasting the final URL.
        port: loopback port when ``redirect_uri`` is not given; 0 = random (RFC 8252 §7.3).
        scopes: scopes to request; ``None`` = ``oauth.scopes`` from ``c2c.yaml``.
        timeout: seconds to wait for the callback.
        pkce: send an S256 challenge (contract.md §6.1 #2); off only for servers without PKCE.
    """

    redirect_uri: str | None = None
    port: int = 0
    scopes: tuple[str, ...] | None = None
    timeout: float = 120.0
    pkce: bool = True


@dataclass(frozen=True)
class Authorization:
    """An authorization code and what the token request needs with it (RFC 6749 §4.1.3)."""

    code: str = field(repr=False)
    redirect_uri: str
    verifier: str | None = field(repr=False)
    scopes: tuple[str, ...]


def authorize(
    client: OAuthClient,
    options: LoginOptions,
    *,
    opener: Opener | None,
    paste: Paste | None = None,
    notify: Callable[[Prompt], None] | None = None,
    purpose: str = "sign in",
) -> Authorization:
    """Run the front-channel part of the flow and return the authorization code.

    Raises:
        AuthError: provider error (e.g. ``access_denied``), ``state`` mismatch, or timeout (exit 4).
        UsageError: the port is in use, or nothing could complete a non-loopback redirect.
    """
    state = secrets.token_urlsafe(32)  # RFC 6749 §10.12: unguessable, bound to this attempt
    pkce = new_pkce() if options.pkce else None
    scopes = options.scopes if options.scopes is not None else client.settings.scopes
    outcomes: queue.Queue[Outcome] = queue.Queue()
    with _callback_channel(options, state, outcomes.put) as (redirect_uri, served):
        url = client.authorization_url(redirect_uri, state, pkce, list(scopes))
        opened = bool(opener(url)) if opener is not None else False
        # Paste-back when no browser opened here, and always when nothing here serves the redirect URI.
        reader = paste if not (opened and served) else None
        if reader is None and not served:
            raise UsageError(
                f"{redirect_uri} is not served on this machine, so the final URL must be pasted back",
                hint="Run the login with stdin available, or use a loopback --redirect-uri.",
            )
        if notify is not None:
            notify(Prompt(url, opened, reader is not None, redirect_uri, purpose))
        if reader is not None:
            _start_paste_reader(reader, state, outcomes.put)
        code = _wait(outcomes, options.timeout)
    return Authorization(code, redirect_uri, pkce.verifier if pkce else None, tuple(scopes))


def login(
    settings: OAuthSettings,
    secret: str,
    *,
    opener: Opener | None,
    paste: Paste | None = None,
    notify: Callable[[Prompt], None] | None = None,
    options: LoginOptions | None = None,
    profile: str = DEFAULT_PROFILE,
    clock: Clock = time.time,
) -> TokenRecord:
    """Link an account: authorize, redeem the code with the configured client auth, resolve the user id.

    Args:
        settings: ``oauth:`` from ``c2c.yaml``.
        secret: the client secret.
        opener: opens a URL in a browser (``None``: never open one).
        paste: reads the pasted redirect URL when no browser was opened.
        notify: told the URL (and whether a browser was opened).
        options: redirect, port, scopes, timeout, PKCE.
        profile: the profile name for the returned record.
        clock: epoch seconds, for ``expires_at``.

    Returns:
        The new tokens; the caller stores them.
    """
    client = OAuthClient(settings, secret)
    grant = authorize(client, options or LoginOptions(), opener=opener, paste=paste, notify=notify)
    token = client.exchange_code(grant.code, grant.redirect_uri, grant.verifier)
    return record_from_token(token, client, profile=profile, clock=clock, requested=grant.scopes)


def record_from_token(
    token: dict[str, Any],
    client: OAuthClient,
    *,
    profile: str,
    clock: Clock,
    requested: tuple[str, ...] = (),
    previous: TokenRecord | None = None,
) -> TokenRecord:
    """A :class:`TokenRecord` from an RFC 6749 §5.1 token response (resolving the user id when new)."""
    now = clock()
    expires_in = token.get("expires_in")
    access = str(token["access_token"])
    user_id: str | None
    source: str | None
    if previous is not None and previous.user_id:
        user_id, source = previous.user_id, previous.user_id_source
    else:
        user_id, source = resolve_user_id(client, access)
    return TokenRecord(
        profile=profile,
        access_token=access,
        # RFC 6749 §6: the server MAY issue a new refresh token; otherwise the old one stays valid.
        refresh_token=token.get("refresh_token") or (previous.refresh_token if previous else None),
        token_type=str(token.get("token_type") or "Bearer"),
        expires_at=now + float(expires_in) if isinstance(expires_in, (int, float)) else None,
        scopes=_granted_scopes(token, requested, previous),
        user_id=user_id,
        user_id_source=source,
        obtained_at=now,
        client_id=client.settings.client_id,
        token_url=client.settings.token_url,
        # On refresh the old value stays: only a login may record a new revocation origin (issue 13 §2).
        revocation_url=previous.revocation_url if previous else client.settings.revocation_url or "",
    )


def resolve_user_id(client: OAuthClient, access_token: str) -> tuple[str | None, str | None]:
    """The end-user id (contract.md §3.1, §6.1 #5): JWT ``sub``, else the userinfo endpoint.

    Returns:
        ``(user_id, "jwt" | "userinfo")``, or ``(None, None)`` when neither yields one.
    """
    if sub := jwt_subject(access_token):
        return sub, "jwt"
    if not client.settings.userinfo_url:
        return None, None
    info = client.userinfo(access_token)
    for key in ("sub", "user_id", "id"):
        value = info.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
            return str(value), "userinfo"
    return None, None


def _granted_scopes(
    token: dict[str, Any], requested: tuple[str, ...], previous: TokenRecord | None
) -> tuple[str, ...]:
    scope = token.get("scope")
    if isinstance(scope, str):
        return tuple(scope.split())
    if isinstance(scope, (list, tuple)):
        return tuple(str(s) for s in scope)
    # RFC 6749 §5.1: scope omitted = identical to the requested (or, on refresh, the original) scope.
    return requested or (previous.scopes if previous else ())


@contextmanager
def _callback_channel(
    options: LoginOptions, state: str, deliver: Callable[[Outcome], None]
) -> Iterator[tuple[str, bool]]:
    """Yield ``(redirect_uri, served)``: ``served`` when a loopback server here answers it."""
    if options.redirect_uri is None:
        with LoopbackServer(state, deliver, port=options.port) as server:
            yield server.redirect_uri, True
        return
    url = urlsplit(options.redirect_uri)
    if url.scheme != "http" or not is_loopback(options.redirect_uri):
        yield options.redirect_uri, False  # served elsewhere: only pasting can complete it
        return
    if url.port is None:
        raise UsageError(
            f"the redirect URI {options.redirect_uri} has no port",
            hint="Use e.g. http://127.0.0.1:8765/callback.",
        )
    host = "::1" if url.hostname == "::1" else "127.0.0.1"
    with LoopbackServer(state, deliver, port=url.port, path=url.path or CALLBACK_PATH, host=host):
        yield options.redirect_uri, True


def _start_paste_reader(paste: Paste, state: str, deliver: Callable[[Outcome], None]) -> None:
    def read() -> None:
        while (line := paste()) is not None:
            if not line.strip():
                continue
            outcome = evaluate_callback(line, state)
            deliver(outcome if outcome is not None else _not_a_redirect())
            return

    # A daemon thread: a blocked read of stdin must not keep the process alive after the login ends.
    threading.Thread(target=read, name="c2c-oauth-paste", daemon=True).start()


def _not_a_redirect() -> AuthError:
    return AuthError(
        "the pasted text is not the redirect URL (it has no code, error or state)",
        hint="Paste the full URL from the browser's address bar after signing in.",
    )


def _wait(outcomes: queue.Queue[Outcome], timeout: float) -> str:
    try:
        outcome = outcomes.get(timeout=timeout)
    except queue.Empty:
        raise AuthError(
            f"no authorization response within {timeout:g} seconds",
            hint="Complete the sign-in in the browser, raise --timeout, or use --no-browser and paste the URL.",
        ) from None
    if isinstance(outcome, AuthError):
        raise outcome
    return outcome
