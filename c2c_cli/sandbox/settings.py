"""Sandbox settings: one frozen dataclass per server and per OAuth client, plus ``c2c_home()`` (re-exported from c2c_cli.paths)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from c2c_cli.errors import C2CError, UsageError
from c2c_cli.network import is_loopback_host  # the one loopback decision (issue 13 §1), re-exported
from c2c_cli.paths import c2c_home

__all__ = [
    "AUTH_METHODS",
    "ClientConfig",
    "SandboxError",
    "SandboxSettings",
    "TokenEndpointAuth",
    "c2c_home",
    "is_loopback_host",
]

# contract.md §6.1 #7: the AWS scheme names and the RFC 7591 method names they stand for.
AUTH_METHODS: Mapping[str, str] = {
    "HTTP_BASIC": "client_secret_basic",
    "REQUEST_BODY_CREDENTIALS": "client_secret_post",
    "NONE": "none",
}

TokenEndpointAuth = Literal["HTTP_BASIC", "REQUEST_BODY_CREDENTIALS", "NONE"]
DEFAULT_CLIENT_ID = "c2c-sandbox-client"
DEFAULT_SCOPE = "devices:read devices:write"


class SandboxError(C2CError):
    """The sandbox could not start, or a running sandbox refused a request."""


@dataclass(frozen=True)
class ClientConfig:
    """One OAuth client registered at the sandbox.

    Args:
        client_id: the client identifier.
        token_endpoint_auth: ``HTTP_BASIC`` (client_secret_basic only), ``REQUEST_BODY_CREDENTIALS``
            (client_secret_post only) or ``NONE`` (a public client; PKCE S256 is then required).
        redirect_uris: redirect URIs matched exactly (RFC 6749 §3.1.2.3).
        allow_loopback: also accept ``http://127.0.0.1:<any port>/<path>`` (RFC 8252 §7.3).
        client_secret: fixed secret; ``None`` generates a random one at first start.
        scope: the scopes the client may obtain (also the default when none is requested).
    """

    client_id: str = DEFAULT_CLIENT_ID
    token_endpoint_auth: TokenEndpointAuth = "HTTP_BASIC"
    redirect_uris: tuple[str, ...] = ()
    allow_loopback: bool = True
    client_secret: str | None = None
    scope: str = DEFAULT_SCOPE

    @property
    def auth_method(self) -> str:
        """The RFC 7591 ``token_endpoint_auth_method`` name."""
        return AUTH_METHODS[self.token_endpoint_auth]


@dataclass(frozen=True)
class SandboxSettings:
    """Everything a sandbox server needs; the defaults suit ``c2c sandbox start``.

    ``users`` entries are ``name`` (password ``name-password``) or ``name:password``.
    ``faults`` maps a path pattern (fnmatch, e.g. ``/oauth/token`` or ``/v1/devices/*``) to an error:
    an OAuth error code (``invalid_grant``, ``invalid_client``...) or an HTTP status (``"500"``).
    ``clock`` returns epoch seconds; tests inject a fake one to expire codes and tokens.
    """

    host: str = "127.0.0.1"
    port: int = 8787
    allow_public: bool = False
    db: str = ":memory:"
    users: tuple[str, ...] = ("alice", "bob")
    devices_per_user: int = 11
    seed: int = 0
    token_endpoint_auth: TokenEndpointAuth = "HTTP_BASIC"
    redirect_uris: tuple[str, ...] = ()
    extra_clients: tuple[ClientConfig, ...] = ()
    token_ttl: int = 3600
    refresh_token_ttl: int | None = None
    code_ttl: int = 600
    issue_refresh_token: bool = True
    auto_consent: str | None = None
    api_key_users: tuple[str, ...] | None = None
    latency_ms: int = 0
    error_rate: float = 0.0
    faults: Mapping[str, str] = field(default_factory=dict)
    command_delay_ms: int = 20
    access_log: bool = False
    state_file: str | None = None
    clock: Callable[[], float] = time.time

    def default_client(self) -> ClientConfig:
        """The confidential client every sandbox has."""
        return ClientConfig(token_endpoint_auth=self.token_endpoint_auth, redirect_uris=self.redirect_uris)

    def clients(self) -> tuple[ClientConfig, ...]:
        """The default client followed by ``extra_clients``."""
        return (self.default_client(), *self.extra_clients)

    def check(self) -> None:
        """Raise :class:`UsageError` listing every invalid setting at once."""
        problems = _problems(self)
        if problems:
            raise UsageError("invalid sandbox settings: " + "; ".join(problems))


def _problems(s: SandboxSettings) -> list[str]:
    checks = [
        (is_loopback_host(s.host) or s.allow_public, f"host {s.host!r} is not loopback (needs allow_public)"),
        (0 <= s.port <= 65535, f"port {s.port} is out of range"),
        (bool(s.users), "at least one user is needed"),
        (0 <= s.devices_per_user <= 100_000, "devices per user must be 0..100000"),
        (s.token_ttl > 0 and s.code_ttl > 0, "token and code TTLs must be positive"),
        (0.0 <= s.error_rate <= 1.0, "error rate must be between 0 and 1"),
        (s.latency_ms >= 0 and s.command_delay_ms >= 0, "latency and command delay must be >= 0"),
        (s.token_endpoint_auth != "NONE", "the default client is confidential; add a public extra client"),
    ]
    names = [u.split(":", 1)[0] for u in s.users]
    checks.append((len(set(names)) == len(names), "user names must be unique"))
    if s.auto_consent is not None:
        checks.append((s.auto_consent in names, f"auto-consent user {s.auto_consent!r} is not seeded"))
    return [message for ok, message in checks if not ok]
