"""Fixtures for OAuth integration tests: an in-process sandbox per test and a fake browser."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from c2c_cli.config import OAuthSettings
from c2c_cli.sandbox import SandboxSettings, start_sandbox
from c2c_cli.sandbox.browser import login_and_consent


def settings_for(sb: Any, **changes: Any) -> OAuthSettings:
    info = sb.info
    values: dict[str, Any] = {
        "authorization_url": info["authorize_url"],
        "token_url": info["token_url"],
        "client_id": info["client_id"],
        "revocation_url": info["revoke_url"],
        "userinfo_url": info["userinfo_url"],
        "token_endpoint_auth": info["token_endpoint_auth"],
        **changes,
    }
    return OAuthSettings(**values)


class FakeBrowser:
    """The injectable opener: signs in on the sandbox page, then follows the redirect to the loopback server.

    Args:
        sb: the sandbox.
        users: user names to sign in as, one per authorization, in order.
        consent: press Allow (True) or Deny (False).
        tamper: rewrites the final redirect URL before it is followed (e.g. to forge ``state``).
    """

    def __init__(
        self,
        sb: Any,
        users: tuple[str, ...] = ("alice",),
        *,
        consent: bool = True,
        tamper: Callable[[str], str] = lambda url: url,
    ) -> None:
        self.passwords = {u["username"]: u["password"] for u in sb.info["users"]}
        self.users = list(users)
        self.consent = consent
        self.tamper = tamper
        self.signed_in: list[str] = []

    def __call__(self, url: str) -> bool:
        user = self.users[min(len(self.signed_in), len(self.users) - 1)]
        self.signed_in.append(user)
        location = login_and_consent(url, user, self.passwords[user], consent=self.consent)
        requests.get(self.tamper(location), timeout=10)
        return True


@pytest.fixture(params=["HTTP_BASIC", "REQUEST_BODY_CREDENTIALS"])
def scheme(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make_sandbox() -> Iterator[Callable[..., Any]]:
    with contextlib.ExitStack() as stack:

        def make(**changes: Any) -> Any:
            return stack.enter_context(start_sandbox(SandboxSettings(port=0, **changes)))

        yield make


@pytest.fixture
def sandbox(make_sandbox: Callable[..., Any], scheme: str) -> Any:
    return make_sandbox(token_endpoint_auth=scheme)


@pytest.fixture
def browser() -> type[FakeBrowser]:
    """The :class:`FakeBrowser` class (test modules cannot import conftest under importlib mode)."""
    return FakeBrowser


@pytest.fixture
def oauth_settings() -> Callable[..., OAuthSettings]:
    """:func:`settings_for`: ``oauth:`` settings pointing at a sandbox."""
    return settings_for
