"""The Authlib authorization server: code grant + PKCE, refresh rotation, revocation, introspection.

Authlib does the protocol (RFC 6749 §4.1 and §6, RFC 7636, RFC 7009, RFC 7662); this module only binds
its hooks to the sandbox database. Access tokens are HS256 JWTs whose ``sub`` is the user id
(contract.md §6.1 #5); the database keeps a hash of each token so revocation is immediate.
"""

from __future__ import annotations

import uuid
from typing import Any

from authlib.common.security import generate_token
from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import InvalidRequestError, OAuth2Request, grants
from authlib.oauth2.rfc6750 import BearerTokenGenerator, BearerTokenValidator
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc7662 import IntrospectionEndpoint
from flask import Flask
from joserfc import jwt
from joserfc.jwk import OctKey

from c2c_cli.sandbox.oauth_models import (
    AuthCode,
    SandboxClient,
    SandboxUser,
    Token,
    find_token,
    load_client,
    load_user,
)
from c2c_cli.sandbox.runtime import Runtime
from c2c_cli.sandbox.store import digest

__all__ = ["TokenValidator", "build_authorization_server"]

_ALL_METHODS = ["client_secret_basic", "client_secret_post", "none"]


def _rt(grant_or_endpoint: Any) -> Runtime:
    runtime: Runtime = grant_or_endpoint.server.sandbox
    return runtime


class _Pkce(CodeChallenge):  # type: ignore[misc]
    """RFC 7636 with S256 only; public clients must use it (RFC 9700 §2.1.1)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]  # noqa: RUF012 - Authlib's class attribute

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        """Reject a public client's authorization request without ``code_challenge_method=S256``."""
        client: SandboxClient = grant.request.client
        method = grant.request.payload.data.get("code_challenge_method")
        if client.is_public and method != "S256":
            raise InvalidRequestError("Public clients must use PKCE with code_challenge_method=S256.")
        if grant.request.payload.data.get("code_challenge") and method is None:
            raise InvalidRequestError("Only code_challenge_method=S256 is supported.")
        super().validate_code_challenge(grant, redirect_uri)


class _CodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = _ALL_METHODS

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        data = request.payload.data
        _rt(self).store.run(
            "INSERT INTO codes (code_hash, client_id, user_id, redirect_uri, scope, code_challenge,"
            " code_challenge_method, issued_at, family) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                digest(code),
                request.client.get_client_id(),
                request.user.user_id,
                request.payload.redirect_uri,
                request.scope or "",
                data.get("code_challenge"),
                data.get("code_challenge_method"),
                _rt(self).now(),
                uuid.uuid4().hex,
            ),
        )

    def query_authorization_code(self, code: str, client: SandboxClient) -> AuthCode | None:
        rt = _rt(self)
        row = rt.store.one(
            "SELECT * FROM codes WHERE code_hash = ? AND client_id = ?", (digest(code), client.client_id)
        )
        if row is None:
            return None
        if row["used"]:
            # RFC 6749 §4.1.2: a reused code SHOULD revoke the tokens already issued from it.
            revoke_family(rt, row["family"])
            return None
        if rt.now() >= row["issued_at"] + rt.settings.code_ttl:
            return None
        fields = ("code_hash", "client_id", "user_id", "redirect_uri", "scope")
        pkce = (row["code_challenge"], row["code_challenge_method"], row["family"])
        return AuthCode(*(row[f] for f in fields), *pkce)

    def delete_authorization_code(self, authorization_code: AuthCode) -> None:
        # Kept as "used" rather than deleted, so a replay can be detected and punished.
        _rt(self).store.run("UPDATE codes SET used = 1 WHERE code_hash = ?", (authorization_code.code_hash,))

    def authenticate_user(self, authorization_code: AuthCode) -> SandboxUser | None:
        return load_user(_rt(self), authorization_code.user_id)


class _RefreshGrant(grants.RefreshTokenGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = _ALL_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True  # rotation (RFC 9700 §4.14.2)

    def authenticate_refresh_token(self, refresh_token: str) -> Token | None:
        token = find_token(_rt(self), refresh_token, "refresh_token")
        if token is None or token.kind != "refresh_token" or token.is_revoked() or token.is_expired():
            return None
        return token

    def authenticate_user(self, refresh_token: Token) -> SandboxUser | None:
        return refresh_token.get_user()

    def revoke_old_credential(self, refresh_token: Token) -> None:
        _rt(self).store.run("UPDATE tokens SET refresh_revoked = 1 WHERE id = ?", (refresh_token.row_id,))


def revoke_family(rt: Runtime, family: str) -> None:
    """Revoke every access and refresh token issued from one authorization (RFC 7009 §2.1)."""
    rt.store.run("UPDATE tokens SET access_revoked = 1, refresh_revoked = 1 WHERE family = ?", (family,))


class _Revocation(RevocationEndpoint):  # type: ignore[misc]
    CLIENT_AUTH_METHODS = _ALL_METHODS

    def query_token(self, token_string: str, token_type_hint: str | None) -> Token | None:
        return find_token(_rt(self), token_string, token_type_hint)

    def revoke_token(self, token: Token, request: OAuth2Request) -> None:  # noqa: ARG002
        revoke_family(_rt(self), token.family)


class _Introspection(IntrospectionEndpoint):  # type: ignore[misc]
    CLIENT_AUTH_METHODS = _ALL_METHODS

    def query_token(self, token_string: str, token_type_hint: str | None) -> Token | None:
        return find_token(_rt(self), token_string, token_type_hint)

    def check_permission(self, token: Token, client: SandboxClient, request: OAuth2Request) -> bool:  # noqa: ARG002
        return token.check_client(client)

    def introspect_token(self, token: Token) -> dict[str, Any]:
        return token.introspection()


class TokenValidator(BearerTokenValidator):  # type: ignore[misc]
    """RFC 6750 bearer validation for the device API: known hash, not expired, not revoked."""

    def __init__(self, rt: Runtime) -> None:
        super().__init__()
        self._rt = rt

    def authenticate_token(self, token_string: str) -> Token | None:
        """Find the access token by hash."""
        token = find_token(self._rt, token_string, "access_token")
        return token if token is not None and token.kind == "access_token" else None


def _access_token(rt: Runtime, client: SandboxClient, user: SandboxUser, scope: str) -> str:
    now = int(rt.now())
    claims = {
        "iss": rt.base_url,
        "sub": user.user_id,
        "aud": client.client_id,
        "client_id": client.client_id,
        "scope": scope,
        "iat": now,
        "exp": now + rt.settings.token_ttl,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode({"alg": "HS256", "typ": "at+jwt"}, claims, OctKey.import_key(rt.signing_key))


def _save_token(rt: Runtime, token: dict[str, Any], request: OAuth2Request) -> None:
    parent = request.refresh_token or request.authorization_code
    refresh = token.get("refresh_token")
    ttl = rt.settings.refresh_token_ttl
    rt.store.run(
        "INSERT INTO tokens (family, client_id, user_id, scope, access_hash, refresh_hash, issued_at,"
        " expires_in, refresh_expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            parent.family,
            request.client.get_client_id(),
            request.user.user_id,
            token.get("scope", ""),
            digest(token["access_token"]),
            digest(refresh) if refresh else None,
            rt.now(),
            token["expires_in"],
            rt.now() + ttl if refresh and ttl else None,
        ),
    )


def build_authorization_server(app: Flask, rt: Runtime) -> AuthorizationServer:
    """An Authlib server for ``app`` bound to the sandbox runtime ``rt``."""
    server = AuthorizationServer(app, query_client=lambda cid: load_client(rt, cid))
    server._save_token = lambda token, request: _save_token(rt, token, request)
    server.sandbox = rt
    generator = BearerTokenGenerator(
        access_token_generator=lambda client, user, scope, **_: _access_token(rt, client, user, scope),
        refresh_token_generator=(lambda **_: generate_token(48)) if rt.settings.issue_refresh_token else None,
        expires_generator=lambda _client, _grant_type: rt.settings.token_ttl,
    )
    server.register_token_generator("default", generator)
    server.register_grant(_CodeGrant, [_Pkce(required=True)])
    server.register_grant(_RefreshGrant)
    server.register_endpoint(_Revocation)
    server.register_endpoint(_Introspection)
    return server
