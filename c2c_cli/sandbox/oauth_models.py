"""Authlib model objects (client, authorization code, token) backed by the sandbox database."""

from __future__ import annotations

import hmac
import json
import sqlite3
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from authlib.oauth2.rfc6749 import AuthorizationCodeMixin, ClientMixin, TokenMixin

from c2c_cli.sandbox.runtime import Runtime
from c2c_cli.sandbox.store import digest

__all__ = ["AuthCode", "SandboxClient", "SandboxUser", "Token", "find_token", "load_client", "load_user"]

_LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


@dataclass(frozen=True)
class SandboxUser:
    """The resource owner Authlib passes around as ``request.user``."""

    user_id: str
    username: str

    def get_user_id(self) -> str:
        """Authlib's user protocol."""
        return self.user_id


def load_user(rt: Runtime, user_id: str) -> SandboxUser | None:
    """A user by id."""
    row = rt.store.one("SELECT id, username FROM users WHERE id = ?", (user_id,))
    return None if row is None else SandboxUser(row["id"], row["username"])


def _is_loopback(uri: str) -> bool:
    parts = urlsplit(uri)
    return parts.scheme == "http" and parts.hostname in _LOOPBACK_HOSTS and not parts.fragment


def _without_port(uri: str) -> tuple[str, str | None, str, str]:
    parts = urlsplit(uri)
    return (parts.scheme, parts.hostname, parts.path or "/", parts.query)


class SandboxClient(ClientMixin):  # type: ignore[misc]
    """A registered OAuth client (RFC 6749 §2)."""

    def __init__(self, row: sqlite3.Row) -> None:
        self.client_id: str = row["client_id"]
        self.client_secret: str | None = row["secret"]
        self.auth_method: str = row["auth_method"]
        self.redirect_uris: list[str] = json.loads(row["redirect_uris"])
        self.allow_loopback = bool(row["allow_loopback"])
        self.scope: str = row["scope"]

    def get_client_id(self) -> str:
        """The client id."""
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        """The first registered redirect URI."""
        return self.redirect_uris[0] if self.redirect_uris else None

    def get_allowed_scope(self, scope: str | None) -> str:
        """Requested scopes this client may have; unknown ones are dropped, none means all allowed."""
        allowed = self.scope.split()
        wanted = [s for s in (scope or "").split() if s in allowed]
        return " ".join(wanted) if wanted else self.scope

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        """Exact match (RFC 6749 §3.1.2.3); loopback URIs match on any port (RFC 8252 §7.3)."""
        if redirect_uri in self.redirect_uris:
            return True
        if not _is_loopback(redirect_uri):
            return False
        if self.allow_loopback:
            return True
        wanted = _without_port(redirect_uri)
        return any(_is_loopback(u) and _without_port(u) == wanted for u in self.redirect_uris)

    def check_client_secret(self, client_secret: str) -> bool:
        """Constant-time secret comparison."""
        return self.client_secret is not None and hmac.compare_digest(self.client_secret, client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:  # noqa: ARG002
        """Only the configured method, at every endpoint (contract.md §6.1 #7)."""
        return method == self.auth_method

    def check_response_type(self, response_type: str) -> bool:
        """Authorization code only (contract.md §6.1 #1)."""
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        """Authorization code and refresh token grants."""
        return grant_type in ("authorization_code", "refresh_token")

    @property
    def is_public(self) -> bool:
        """A client without a secret (RFC 6749 §2.1)."""
        return self.auth_method == "none"


def load_client(rt: Runtime, client_id: str) -> SandboxClient | None:
    """A client by id (Authlib's ``query_client``)."""
    row = rt.store.one("SELECT * FROM clients WHERE client_id = ?", (client_id,))
    return None if row is None else SandboxClient(row)


@dataclass(frozen=True)
class AuthCode(AuthorizationCodeMixin):  # type: ignore[misc]
    """An issued authorization code (stored hashed)."""

    code_hash: str
    client_id: str
    user_id: str
    redirect_uri: str | None
    scope: str
    code_challenge: str | None
    code_challenge_method: str | None
    family: str

    def get_redirect_uri(self) -> str | None:
        """The redirect URI the code was issued for."""
        return self.redirect_uri

    def get_scope(self) -> str:
        """The granted scope."""
        return self.scope


class Token(TokenMixin):  # type: ignore[misc]
    """One issued access token and its refresh token (a row of ``tokens``)."""

    def __init__(self, rt: Runtime, row: sqlite3.Row, kind: str) -> None:
        self._rt = rt
        self.kind = kind
        self.row_id: int = row["id"]
        self.family: str = row["family"]
        self.client_id: str = row["client_id"]
        self.user_id: str = row["user_id"]
        self.scope: str = row["scope"]
        self.issued_at: float = row["issued_at"]
        self.expires_in: int = row["expires_in"]
        self.refresh_expires_at: float | None = row["refresh_expires_at"]
        self.revoked = bool(row["refresh_revoked"] if kind == "refresh_token" else row["access_revoked"])

    def check_client(self, client: SandboxClient) -> bool:
        """Whether the token was issued to ``client``."""
        return bool(self.client_id == client.get_client_id())

    def get_scope(self) -> str:
        """The granted scope."""
        return self.scope

    def get_expires_in(self) -> int:
        """Access token lifetime in seconds."""
        return self.expires_in

    def get_expires_at(self) -> float:
        """When the access token expires (epoch seconds)."""
        return self.issued_at + self.expires_in

    def is_expired(self) -> bool:
        """Expiry of this token's kind, on the sandbox clock."""
        if self.kind == "refresh_token":
            return self.refresh_expires_at is not None and self._rt.now() >= self.refresh_expires_at
        return self._rt.now() >= self.get_expires_at()

    def is_revoked(self) -> bool:
        """Revoked directly, by family revocation or by rotation."""
        return self.revoked

    def get_user(self) -> SandboxUser | None:
        """The resource owner."""
        return load_user(self._rt, self.user_id)

    def get_client(self) -> SandboxClient | None:
        """The client the token was issued to."""
        return load_client(self._rt, self.client_id)

    def introspection(self) -> dict[str, Any]:
        """RFC 7662 §2.2 response members."""
        exp = self.get_expires_at() if self.kind == "access_token" else self.refresh_expires_at
        claims = {
            "sub": self.user_id,
            "client_id": self.client_id,
            "scope": self.scope,
            "iat": int(self.issued_at),
        }
        return {**claims, "token_type": self.kind, **({"exp": int(exp)} if exp else {})}


def find_token(rt: Runtime, token_string: str, hint: str | None = None) -> Token | None:
    """Look a token up by its hash, as an access token or a refresh token (``hint`` first)."""
    kinds = ["access_token", "refresh_token"]
    if hint == "refresh_token":
        kinds.reverse()
    hashed = digest(token_string)
    for kind in kinds:
        column = "access_hash" if kind == "access_token" else "refresh_hash"
        row = rt.store.one(f"SELECT * FROM tokens WHERE {column} = ?", (hashed,))
        if row is not None:
            return Token(rt, row, kind)
    return None
