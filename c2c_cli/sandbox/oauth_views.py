"""OAuth HTTP endpoints: the login + consent page, token, revoke, introspect, userinfo, metadata."""

from __future__ import annotations

import hashlib
import hmac
import json
from html import escape
from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2 import OAuth2Error
from flask import Blueprint, Response, jsonify, request

from c2c_cli.sandbox.oauth_models import SandboxUser, Token
from c2c_cli.sandbox.runtime import Runtime

__all__ = ["metadata", "oauth_blueprint"]

# The authorization request parameters carried through the login form as hidden fields.
_CARRIED = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
)
_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sandbox Inc. sign in</title></head>
<body><h1>Sandbox Inc.</h1><p>{message}</p>
<p><b>{client}</b> wants to access your devices ({scope}).</p>
<form method="post" action="/oauth/authorize">{hidden}
<label>Username <input name="username" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button name="consent" value="allow" type="submit">Allow</button>
<button name="consent" value="deny" type="submit">Deny</button>
</form><p><small>Test-only sandbox: seeded users are printed by <code>c2c sandbox start</code>.</small></p>
</body></html>"""


def metadata(rt: Runtime) -> dict[str, Any]:
    """RFC 8414 authorization server metadata."""
    base = rt.base_url
    methods = ["client_secret_basic", "client_secret_post", "none"]
    return {
        "issuer": base,
        "authorization_endpoint": f"{base}/oauth/authorize",
        "token_endpoint": f"{base}/oauth/token",
        "revocation_endpoint": f"{base}/oauth/revoke",
        "introspection_endpoint": f"{base}/oauth/introspect",
        "userinfo_endpoint": f"{base}/oauth/userinfo",
        "scopes_supported": ["devices:read", "devices:write"],
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": methods,
        "revocation_endpoint_auth_methods_supported": methods,
        "introspection_endpoint_auth_methods_supported": methods,
    }


def _csrf(rt: Runtime, params: dict[str, str]) -> str:
    # Binds the form to exactly these request parameters (JSON: an unambiguous encoding).
    material = json.dumps(sorted(params.items()))
    return hmac.new(rt.signing_key.encode(), f"csrf:{material}".encode(), hashlib.sha256).hexdigest()


def _carried() -> dict[str, str]:
    return {k: v for k in _CARRIED if (v := request.values.get(k)) is not None}


def _page(rt: Runtime, message: str, status: int) -> Response:
    params = _carried()
    hidden = "".join(
        f'<input type="hidden" name="{k}" value="{escape(v)}">'
        for k, v in {**params, "csrf_token": _csrf(rt, params)}.items()
    )
    body = _PAGE.format(
        message=escape(message),
        client=escape(params.get("client_id", "")),
        scope=escape(params.get("scope", "") or "default scope"),
        hidden=hidden,
    )
    # A consent page must not be framed (clickjacking) nor cached.
    headers = {"X-Frame-Options": "DENY", "Content-Security-Policy": "frame-ancestors 'none'",
               "Cache-Control": "no-store"}  # fmt: skip
    return Response(body, status=status, mimetype="text/html", headers=headers)


def _bad_request(error: OAuth2Error) -> Response:
    # RFC 6749 §4.1.2.1: never redirect to an unverified redirect URI; show the error instead.
    text = f"{error.error}: {error.get_error_description() or ''}"
    return Response(
        f"<!doctype html><h1>Bad authorization request</h1><p>{escape(text)}</p>", 400, mimetype="text/html"
    )


def _login(rt: Runtime) -> SandboxUser | None:
    row = rt.store.one(
        "SELECT id, username, password FROM users WHERE username = ?", (request.form.get("username", ""),)
    )
    if row is None or not hmac.compare_digest(row["password"], request.form.get("password", "")):
        return None
    return SandboxUser(row["id"], row["username"])


def _auto_user(rt: Runtime) -> SandboxUser | None:
    name = rt.settings.auto_consent
    row = rt.store.one("SELECT id, username FROM users WHERE username = ?", (name,)) if name else None
    return None if row is None else SandboxUser(row["id"], row["username"])


def _authorize(rt: Runtime, server: AuthorizationServer) -> Response:
    try:
        grant = server.get_consent_grant(end_user=None)
    except OAuth2Error as error:
        if error.redirect_uri:
            response: Response = server.handle_error_response(None, error)
            return response
        return _bad_request(error)
    if request.method == "GET":
        auto = _auto_user(rt)
        if auto is None:
            return _page(rt, "Sign in to link your Sandbox Inc. account.", 200)
        # Test-only auto-consent: still Authlib's real code grant, just without the form.
        return server.create_authorization_response(grant_user=auto, grant=grant)  # type: ignore[no-any-return]
    if not hmac.compare_digest(request.form.get("csrf_token", ""), _csrf(rt, _carried())):
        return _page(rt, "The form expired; sign in again.", 400)
    if request.form.get("consent") != "allow":
        return server.create_authorization_response(grant_user=None, grant=grant)  # type: ignore[no-any-return]
    user = _login(rt)
    if user is None:
        return _page(rt, "Wrong username or password.", 401)
    return server.create_authorization_response(grant_user=user, grant=grant)  # type: ignore[no-any-return]


def oauth_blueprint(rt: Runtime, server: AuthorizationServer, protector: ResourceProtector) -> Blueprint:
    """The ``/oauth/*`` and ``/.well-known`` routes."""
    bp = Blueprint("oauth", __name__)
    bp.add_url_rule("/oauth/authorize", "authorize", lambda: _authorize(rt, server), methods=["GET", "POST"])
    bp.add_url_rule("/oauth/token", "token", server.create_token_response, methods=["POST"])
    bp.add_url_rule(
        "/oauth/revoke", "revoke", lambda: server.create_endpoint_response("revocation"), methods=["POST"]
    )
    bp.add_url_rule(
        "/oauth/introspect",
        "introspect",
        lambda: server.create_endpoint_response("introspection"),
        methods=["POST"],
    )
    bp.add_url_rule("/.well-known/oauth-authorization-server", "metadata", lambda: jsonify(metadata(rt)))

    @bp.route("/oauth/userinfo")
    def userinfo() -> Response:
        with protector.acquire() as token:
            current: Token = token
            user = current.get_user()
        name = user.username if user else ""
        return jsonify({"sub": current.user_id, "user_id": current.user_id, "name": name})

    return bp
