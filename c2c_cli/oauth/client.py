"""HTTP calls to the provider: authorization URL, code exchange, refresh, revocation, userinfo.

Built on requests-oauthlib's ``OAuth2Session`` (imported lazily: ``c2c --help`` stays fast). This module
is the edge where third-party exceptions become :class:`TokenEndpointError` / :class:`AuthError` with
messages that never contain a token, code, verifier or client secret.

Client authentication (contract.md §6.1 #7, RFC 6749 §2.3.1), the same for every token-endpoint call:
``HTTP_BASIC`` = ``client_secret_basic`` (``Authorization: Basic base64(urlenc(id):urlenc(secret))``) and
``REQUEST_BODY_CREDENTIALS`` = ``client_secret_post`` (``client_id``/``client_secret`` form fields).
"""

from __future__ import annotations

import json
import logging
from typing import Any, Literal
from urllib.parse import quote, urlsplit

from c2c_cli.config import OAuthSettings
from c2c_cli.errors import AuthError
from c2c_cli.oauth.pkce import Pkce
from c2c_cli.oauth.transport import loopback_transport, require_secure
from c2c_cli.redaction import redact

__all__ = ["OTHER_SCHEME", "OAuthClient", "Scheme", "TokenEndpointError"]

Scheme = Literal["HTTP_BASIC", "REQUEST_BODY_CREDENTIALS"]
OTHER_SCHEME: dict[str, Scheme] = {
    "HTTP_BASIC": "REQUEST_BODY_CREDENTIALS",
    "REQUEST_BODY_CREDENTIALS": "HTTP_BASIC",
}
HTTP_TIMEOUT = 30.0


class TokenEndpointError(AuthError):
    """The token (or revocation) endpoint answered with an error (RFC 6749 §5.2, RFC 7009 §2.2.1).

    Attributes:
        status: the HTTP status (0 when the request did not get an answer).
        error: the ``error`` code, e.g. ``invalid_grant``, or ``""``.
        detail: the short form for evidence, e.g. ``HTTP 400 invalid_grant (Code challenge failed.)``.
    """

    def __init__(
        self, message: str, *, status: int = 0, error: str = "", detail: str = "", hint: str | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.error = error
        self.detail = detail or message


def _quiet_libraries() -> None:
    # requests-oauthlib and oauthlib log request bodies and tokens at DEBUG; no --debug may show them.
    for name in ("requests_oauthlib", "oauthlib"):
        logging.getLogger(name).setLevel(logging.WARNING)


class OAuthClient:
    """One OAuth client (``c2c.yaml`` ``oauth:`` plus the secret) talking to one provider.

    Args:
        settings: the ``oauth:`` settings.
        secret: the client secret.
        timeout: seconds per HTTP request.

    Raises:
        AuthError: when an endpoint is plain http on a non-loopback host.
    """

    def __init__(self, settings: OAuthSettings, secret: str, *, timeout: float = HTTP_TIMEOUT) -> None:
        require_secure(settings)
        self.settings = settings
        self._secret = secret
        self._timeout = timeout
        self._secrets: list[str] = [secret]
        _quiet_libraries()

    def remember_secret(self, *values: str | None) -> None:
        """Add values (tokens, codes, verifiers) that must be redacted from every error message."""
        self._secrets.extend(v for v in values if v)

    def authorization_url(self, redirect_uri: str, state: str, pkce: Pkce | None, scopes: list[str]) -> str:
        """The RFC 6749 §4.1.1 authorization request URL, with the RFC 7636 §4.3 challenge when ``pkce``."""
        extra = {"code_challenge": pkce.challenge, "code_challenge_method": pkce.method} if pkce else {}
        session = self._session(
            "build the authorization URL", redirect_uri=redirect_uri, scope=scopes or None
        )
        with loopback_transport(self.settings.authorization_url):
            url, _ = session.authorization_url(self.settings.authorization_url, state=state, **extra)
        return str(url)

    def exchange_code(
        self, code: str, redirect_uri: str, verifier: str | None, *, scheme: Scheme | None = None
    ) -> dict[str, Any]:
        """Redeem an authorization code (RFC 6749 §4.1.3) with the code verifier (RFC 7636 §4.5)."""
        self.remember_secret(code, verifier)
        auth, include_id, extra = self._client_auth(scheme)
        extra.update({"code_verifier": verifier} if verifier else {})
        session = self._session("exchange the authorization code", redirect_uri=redirect_uri)
        return self._token_call(
            "exchange the authorization code",
            lambda: session.fetch_token(
                self.settings.token_url,
                code=code,
                auth=auth,
                include_client_id=include_id,
                timeout=self._timeout,
                **extra,
            ),
        )

    def refresh(self, refresh_token: str, *, scheme: Scheme | None = None) -> dict[str, Any]:
        """The refresh grant (RFC 6749 §6), authenticated like the code exchange (contract.md §6.1 #7)."""
        self.remember_secret(refresh_token)
        auth, include_id, extra = self._client_auth(scheme)
        if include_id:
            extra["client_id"] = self.settings.client_id
        session = self._session("refresh the access token")
        return self._token_call(
            "refresh the access token",
            lambda: session.refresh_token(
                self.settings.token_url,
                refresh_token=refresh_token,
                auth=auth,
                timeout=self._timeout,
                **extra,
            ),
        )

    def revoke(self, token: str, hint: str, *, scheme: Scheme | None = None) -> None:
        """RFC 7009 §2.1 revocation with ``token_type_hint``; 200 means revoked (or already invalid, §2.2)."""
        url = self.settings.revocation_url
        if not url:
            raise AuthError("no oauth.revocation_url is configured")
        self.remember_secret(token)
        auth, include_id, data = self._client_auth(scheme)
        data.update({"token": token, "token_type_hint": hint})
        if include_id:
            data["client_id"] = self.settings.client_id
        response = self._http("revoke the token", "POST", url, data=data, auth=auth)
        if response.status_code != 200:
            raise _endpoint_error("revocation endpoint", "revoke the token", response, self._secrets)

    def userinfo(self, access_token: str) -> dict[str, Any]:
        """GET the userinfo endpoint with the bearer token (RFC 6750 §2.1); its JSON object."""
        url = self.settings.userinfo_url
        if not url:
            raise AuthError("no oauth.userinfo_url is configured")
        self.remember_secret(access_token)
        headers = {"Authorization": f"Bearer {access_token}", "Accept": "application/json"}
        response = self._http("read the userinfo endpoint", "GET", url, headers=headers)
        if response.status_code != 200:
            raise _endpoint_error("userinfo endpoint", "read the user id", response, self._secrets)
        body = _json(response)
        if not isinstance(body, dict):
            raise AuthError(f"the userinfo endpoint {url} did not return a JSON object")
        return body

    def _session(self, action: str, **kwargs: Any) -> Any:
        from requests_oauthlib import OAuth2Session

        session = OAuth2Session(self.settings.client_id, **kwargs)

        def check(response: Any) -> Any:
            # RFC 6749 §5.2 errors become clear messages here, before oauthlib tries to parse them.
            if response.status_code != 200:
                raise _endpoint_error("token endpoint", action, response, self._secrets)
            return response

        session.register_compliance_hook("access_token_response", check)
        session.register_compliance_hook("refresh_token_response", check)
        return session

    def _client_auth(self, scheme: Scheme | None) -> tuple[Any, bool, dict[str, Any]]:
        import requests

        if (scheme or self.settings.token_endpoint_auth) == "HTTP_BASIC":
            # RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding; quote(safe="")
            # also survives servers that decode with unquote() instead of unquote_plus().
            user, password = quote(self.settings.client_id, safe=""), quote(self._secret, safe="")
            return requests.auth.HTTPBasicAuth(user, password), False, {}
        return None, True, {"client_secret": self._secret}

    def _token_call(self, action: str, call: Any) -> dict[str, Any]:
        import requests
        from oauthlib.oauth2 import OAuth2Error  # type: ignore[import-untyped]

        try:
            with loopback_transport(self.settings.token_url):
                token = call()
        except TokenEndpointError:
            raise
        except requests.RequestException as exc:
            raise _unreachable(self.settings.token_url, action, exc) from None
        except OAuth2Error as exc:
            message = redact(f"{exc.error}: {exc.description or ''}".rstrip(": "), self._secrets)
            raise TokenEndpointError(
                f"could not {action}: {message}", error=exc.error, detail=message
            ) from None
        except Warning as exc:  # oauthlib raises (not warns) when the granted scope differs
            token = getattr(exc, "token", None)
            if token is None:
                raise AuthError(f"could not {action}: unexpected token response") from None
        except (ValueError, TypeError, KeyError, AttributeError):
            # oauthlib's messages may quote the response body, which may hold a token: never show them.
            raise AuthError(
                f"could not {action}: the token endpoint returned an invalid token response (RFC 6749 §5.1)"
            ) from None
        self.remember_secret(token.get("access_token"), token.get("refresh_token"))
        return dict(token)

    def _http(self, action: str, method: str, url: str, **kwargs: Any) -> Any:
        import requests

        try:
            return requests.request(method, url, timeout=self._timeout, **kwargs)
        except requests.RequestException as exc:
            raise _unreachable(url, action, exc) from None


def _json(response: Any) -> Any:
    try:
        return response.json()
    except (ValueError, json.JSONDecodeError):
        return None


def _endpoint_error(where: str, action: str, response: Any, secrets: list[str]) -> TokenEndpointError:
    body = _json(response)
    fields = body if isinstance(body, dict) else {}
    error, description = str(fields.get("error", "")), str(fields.get("error_description", ""))
    parts = (f"HTTP {response.status_code}", error, f"({description})" if description else "")
    detail = redact(" ".join(p for p in parts if p), secrets)
    hints = {
        "invalid_client": "Check the client id and secret, and oauth.token_endpoint_auth "
        "(HTTP_BASIC or REQUEST_BODY_CREDENTIALS).",
        "invalid_grant": "The code or refresh token is expired, used or revoked; run 'c2c oauth login' again.",
    }
    return TokenEndpointError(
        f"could not {action}: the {where} answered {detail}",
        status=response.status_code,
        error=error,
        detail=detail,
        hint=hints.get(error),
    )


def _unreachable(url: str, action: str, exc: Exception) -> AuthError:
    return AuthError(
        f"could not {action}: cannot reach {urlsplit(url).netloc} ({type(exc).__name__})",
        hint="Check the URL in c2c.yaml and that the provider is reachable.",
    )
