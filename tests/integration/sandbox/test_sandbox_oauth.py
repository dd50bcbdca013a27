"""The sandbox's OAuth 2.0 server driven over real HTTP with requests-oauthlib."""

from __future__ import annotations

import base64
import json
import logging
import re

import pytest
import requests
from oauthlib.oauth2 import AccessDeniedError, InvalidClientError, InvalidGrantError, OAuth2Error

from c2c_cli.errors import AuthError
from c2c_cli.sandbox import ClientConfig
from c2c_cli.sandbox.browser import login_and_consent, redirect_params

PUBLIC = ClientConfig(client_id="public-app", token_endpoint_auth="NONE")
POST_CLIENT = ClientConfig(client_id="post-app", token_endpoint_auth="REQUEST_BODY_CREDENTIALS")


def _claims(jwt: str) -> dict:
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def _client(sb, client_id):
    return next(c for c in sb.info["clients"] if c["client_id"] == client_id)


def test_pkce_flow_issues_per_user_jwt(sandbox, flow):
    session = flow.session(sandbox)
    location = flow.authorize(sandbox, session, "bob")
    token = flow.fetch_token(sandbox, session, location)
    assert token["token_type"] == "Bearer"
    assert token["expires_in"] == 3600
    assert token["refresh_token"]
    assert _claims(token["access_token"])["sub"] == sandbox.user_id("bob")
    # contract.md §6.1 #6: Base64/Base64url alphabet, '=' and '.' only.
    assert re.fullmatch(r"[A-Za-z0-9_\-+/=.]+", token["access_token"])
    assert re.fullmatch(r"[A-Za-z0-9_\-+/=.]+", token["refresh_token"])


@pytest.mark.parametrize("state", ["xyz-123", "a&b=<c> \"d\" 'e' é"])
def test_redirect_carries_state(sandbox, flow, state):
    session = flow.session(sandbox, state=state)
    assert redirect_params(flow.authorize(sandbox, session))["state"] == state


def test_public_client_with_pkce_succeeds(make_sandbox, flow):
    sb = make_sandbox(extra_clients=(PUBLIC,))
    client = _client(sb, "public-app")
    session = flow.session(sb, client)
    token = flow.fetch_token(sb, session, flow.authorize(sb, session), client)
    assert _claims(token["access_token"])["client_id"] == "public-app"


def test_public_client_without_pkce_gets_error_redirect(make_sandbox, flow):
    sb = make_sandbox(extra_clients=(PUBLIC,))
    session = flow.session(sb, _client(sb, "public-app"), pkce=None)
    params = redirect_params(flow.authorize(sb, session))
    assert params["error"] == "invalid_request"
    assert "code" not in params


def test_wrong_verifier_rejected(sandbox, flow):
    session = flow.session(sandbox)
    location = flow.authorize(sandbox, session)
    session._code_verifier = "x" * 64  # what an attacker holding only the code would send
    with pytest.raises(InvalidGrantError):
        flow.fetch_token(sandbox, session, location)


def test_reused_code_rejected_and_revokes_first_tokens(sandbox, flow):
    session = flow.session(sandbox)
    location = flow.authorize(sandbox, session)
    first = flow.fetch_token(sandbox, session, location)
    with pytest.raises(InvalidGrantError):
        flow.fetch_token(sandbox, session, location)
    me = requests.get(
        f"{sandbox.base_url}/v1/me", headers={"Authorization": f"Bearer {first['access_token']}"}
    )
    assert me.status_code == 401


def test_expired_code_rejected(make_sandbox, flow, clock):
    sb = make_sandbox(clock=clock, code_ttl=60)
    session = flow.session(sb)
    location = flow.authorize(sb, session)
    clock.advance(61)
    with pytest.raises(InvalidGrantError):
        flow.fetch_token(sb, session, location)


@pytest.mark.parametrize(
    ("configured", "wrong_kwargs"),
    [
        ("HTTP_BASIC", lambda c: {"client_secret": c["client_secret"], "include_client_id": True}),
        ("REQUEST_BODY_CREDENTIALS", lambda c: {"auth": (c["client_id"], c["client_secret"])}),
    ],
)
def test_wrong_client_auth_method_rejected(make_sandbox, flow, configured, wrong_kwargs):
    sb = make_sandbox(token_endpoint_auth=configured)
    session = flow.session(sb)
    location = flow.authorize(sb, session)
    with pytest.raises(InvalidClientError):
        session.fetch_token(sb.info["token_url"], authorization_response=location, **wrong_kwargs(sb.info))


def test_client_secret_post_client_works(make_sandbox, flow):
    sb = make_sandbox(extra_clients=(POST_CLIENT,))
    client = _client(sb, "post-app")
    assert client["token_endpoint_auth"] == "REQUEST_BODY_CREDENTIALS"
    session = flow.session(sb, client)
    token = flow.fetch_token(sb, session, flow.authorize(sb, session), client)
    refreshed = session.refresh_token(
        sb.info["token_url"], refresh_token=token["refresh_token"], **flow.client_auth(client, refresh=True)
    )
    assert refreshed["access_token"] != token["access_token"]


def test_wrong_client_secret_rejected(sandbox, flow):
    session = flow.session(sandbox)
    location = flow.authorize(sandbox, session)
    with pytest.raises(InvalidClientError):
        session.fetch_token(
            sandbox.info["token_url"],
            authorization_response=location,
            auth=(sandbox.info["client_id"], "not-the-secret"),
        )


def test_refresh_rotates_and_old_refresh_token_dies(sandbox, flow):
    session, first = flow.linked(sandbox)
    auth = flow.client_auth(sandbox.info, refresh=True)
    second = session.refresh_token(sandbox.info["token_url"], refresh_token=first["refresh_token"], **auth)
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    with pytest.raises(InvalidGrantError):
        session.refresh_token(sandbox.info["token_url"], refresh_token=first["refresh_token"], **auth)
    assert session.get(f"{sandbox.base_url}/v1/me").json() == {"user_id": sandbox.user_id("alice")}


@pytest.mark.parametrize("which", ["access_token", "refresh_token"])
def test_revoke_kills_the_whole_family(sandbox, flow, which):
    session, token = flow.linked(sandbox)
    info = sandbox.info
    revoked = requests.post(
        info["revoke_url"],
        data={"token": token[which], "token_type_hint": which},
        auth=(info["client_id"], info["client_secret"]),
    )
    assert revoked.status_code == 200
    assert session.get(f"{sandbox.base_url}/v1/me").status_code == 401
    with pytest.raises(InvalidGrantError):
        session.refresh_token(
            info["token_url"], refresh_token=token["refresh_token"], **flow.client_auth(info, True)
        )


def test_revoked_token_answers_401_json(sandbox, flow):
    session, token = flow.linked(sandbox)
    info = sandbox.info
    requests.post(
        info["revoke_url"],
        data={"token": token["access_token"]},
        auth=(info["client_id"], info["client_secret"]),
    )
    response = session.get(f"{sandbox.base_url}/v1/devices")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"
    assert "Bearer" in response.headers["WWW-Authenticate"]


def test_introspection_reports_revocation(sandbox, flow):
    _, token = flow.linked(sandbox)
    info = sandbox.info
    auth = (info["client_id"], info["client_secret"])
    before = requests.post(info["introspect_url"], data={"token": token["refresh_token"]}, auth=auth).json()
    assert before["active"] is True
    assert before["sub"] == sandbox.user_id("alice")
    requests.post(info["revoke_url"], data={"token": token["refresh_token"]}, auth=auth)
    after = requests.post(info["introspect_url"], data={"token": token["access_token"]}, auth=auth).json()
    assert after == {"active": False}


def test_userinfo_returns_user_id(sandbox, flow):
    session, _ = flow.linked(sandbox, "bob")
    body = session.get(sandbox.info["userinfo_url"]).json()
    assert body["sub"] == body["user_id"] == sandbox.user_id("bob")


def test_userinfo_needs_a_token(sandbox):
    assert requests.get(sandbox.info["userinfo_url"]).status_code == 401


def test_denied_consent_redirects_access_denied(sandbox, flow):
    session = flow.session(sandbox, state="s-1")
    params = redirect_params(flow.authorize(sandbox, session, consent=False))
    assert (params["error"], params["state"]) == ("access_denied", "s-1")
    assert "code" not in params
    with pytest.raises(AccessDeniedError):
        session.fetch_token(
            sandbox.info["token_url"],
            authorization_response=CALLBACK_WITH_DENIAL,
            **flow.client_auth(sandbox.info),
        )


CALLBACK_WITH_DENIAL = "http://127.0.0.1:8765/callback?error=access_denied&state=s-1"


def test_wrong_password_stays_on_the_page(sandbox, flow):
    url, _ = flow.session(sandbox).authorization_url(sandbox.info["authorize_url"])
    with pytest.raises(AuthError, match="401"):
        login_and_consent(url, "alice", "wrong")


@pytest.mark.parametrize(
    ("redirect_uri", "allowed"),
    [
        ("https://vendor.example/callback", True),
        ("https://vendor.example/callback/", False),
        ("https://vendor.example/callback?x=1", False),
        ("https://VENDOR.example/callback", False),
        ("http://127.0.0.1:51234/anything", True),  # RFC 8252 §7.3 loopback, any port
        ("http://localhost.evil.example/cb", False),
    ],
)
def test_redirect_uri_exact_match(make_sandbox, flow, redirect_uri, allowed):
    sb = make_sandbox(redirect_uris=("https://vendor.example/callback",))
    session = flow.session(sb, redirect_uri=redirect_uri)
    url, _ = session.authorization_url(sb.info["authorize_url"])
    page = requests.get(url, allow_redirects=False)
    if allowed:
        assert page.status_code == 200
        assert redirect_params(login_and_consent(url, "alice", "alice-password"))["code"]
    else:
        assert page.status_code == 400
        assert "Location" not in page.headers


def test_loopback_can_be_disallowed(make_sandbox, flow):
    strict = ClientConfig(
        client_id="strict", redirect_uris=("http://127.0.0.1:7000/cb",), allow_loopback=False
    )
    sb = make_sandbox(extra_clients=(strict,))
    client = _client(sb, "strict")
    ok_port = flow.session(sb, client, redirect_uri="http://127.0.0.1:7001/cb")  # same path, other port
    bad_path = flow.session(sb, client, redirect_uri="http://127.0.0.1:7000/other")
    assert requests.get(ok_port.authorization_url(sb.info["authorize_url"])[0]).status_code == 200
    assert requests.get(bad_path.authorization_url(sb.info["authorize_url"])[0]).status_code == 400


def test_unknown_client_gets_400_page(sandbox):
    response = requests.get(
        sandbox.info["authorize_url"],
        params={"response_type": "code", "client_id": "nope", "redirect_uri": CALLBACK_WITH_DENIAL},
        allow_redirects=False,
    )
    assert response.status_code == 400
    assert "Location" not in response.headers


def test_access_token_expires_on_the_clock(make_sandbox, flow, clock):
    sb = make_sandbox(clock=clock, token_ttl=120)
    session, token = flow.linked(sb)
    assert token["expires_in"] == 120
    assert _claims(token["access_token"])["exp"] == int(clock.now) + 120
    assert session.get(f"{sb.base_url}/v1/me").status_code == 200
    clock.advance(121)
    assert session.get(f"{sb.base_url}/v1/me").status_code == 401


def test_refresh_token_ttl(make_sandbox, flow, clock):
    sb = make_sandbox(clock=clock, refresh_token_ttl=600)
    session, token = flow.linked(sb)
    clock.advance(601)
    with pytest.raises(InvalidGrantError):
        session.refresh_token(
            sb.info["token_url"], refresh_token=token["refresh_token"], **flow.client_auth(sb.info, True)
        )


def test_no_refresh_token_fault(make_sandbox, flow):
    sb = make_sandbox(issue_refresh_token=False)
    _, token = flow.linked(sb)
    assert "refresh_token" not in token


def test_auto_consent_still_uses_the_code_grant(make_sandbox, flow):
    sb = make_sandbox(auto_consent="bob")
    session = flow.session(sb)
    url, _ = session.authorization_url(sb.info["authorize_url"])
    first = requests.get(url, allow_redirects=False)
    assert first.status_code == 302
    token = flow.fetch_token(sb, session, first.headers["Location"])
    assert _claims(token["access_token"])["sub"] == sb.user_id("bob")


def test_metadata_document(sandbox):
    meta = requests.get(f"{sandbox.base_url}/.well-known/oauth-authorization-server").json()
    assert meta["issuer"] == sandbox.base_url
    assert meta["token_endpoint"] == sandbox.info["token_url"]
    assert meta["revocation_endpoint"] == sandbox.info["revoke_url"]
    assert meta["code_challenge_methods_supported"] == ["S256"]


def test_secrets_never_reach_the_access_log(make_sandbox, flow, caplog):
    caplog.set_level(logging.DEBUG)
    sb = make_sandbox(access_log=True)
    session, token = flow.linked(sb)
    session.refresh_token(
        sb.info["token_url"], refresh_token=token["refresh_token"], **flow.client_auth(sb.info, True)
    )
    session.get(f"{sb.base_url}/v1/devices", params={"access_token": token["access_token"]})
    # The server's loggers only: the test's own HTTP client (urllib3, oauthlib) logs what it sends.
    client_side = ("urllib3", "requests_oauthlib", "oauthlib")
    logged = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith(client_side))
    assert "/oauth/token" in logged  # the log is on, and captured
    for secret in (sb.info["client_secret"], token["access_token"], token["refresh_token"]):
        assert secret not in logged


def test_oauth_errors_are_rfc6749_json(sandbox):
    response = requests.post(
        sandbox.info["token_url"],
        data={"grant_type": "password"},
        auth=(sandbox.info["client_id"], sandbox.info["client_secret"]),
    )
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_errors_are_oauth2_errors():
    # Guard for the imports above: requests-oauthlib raises oauthlib's error tree.
    assert issubclass(InvalidGrantError, OAuth2Error)
