"""OAuth 2.0 specifics: user id from the JWT or /v1/me, RFC 7009 revocation on DeactivateUser."""

from __future__ import annotations

import base64
import json

import pytest

from connector import secrets, store
from connector.auth import Credentials, jwt_subject
from tests.authkit import make_jwt
from tests.conftest import USER


def test_the_user_id_comes_from_the_jwt_without_a_vendor_call(invoke, fake, auth):
    response = invoke("AWS.ActivateUser")

    assert response["payload"]["userId"] == USER
    assert fake.calls == []


def test_an_opaque_token_is_resolved_with_v1_me(invoke, fake, auth):
    fake.tokens["opaque-access-token-1234"] = USER

    response = invoke("AWS.ActivateUser", header={"type": "OAuth2.0", "token": "opaque-access-token-1234"})

    assert response["payload"]["userId"] == USER
    assert [c.path for c in fake.calls] == ["/v1/me"]


@pytest.mark.parametrize("token", ["opaque", "a.b.c", make_jwt(None), make_jwt("has spaces and 'quotes'")])
def test_tokens_without_a_usable_sub_yield_none(token):
    assert jwt_subject(token) is None


def test_credentials_never_show_the_token():
    assert "secret-token" not in repr(Credentials("secret-token"))


def test_an_empty_token_is_a_400(invoke, fake, auth):
    assert invoke("AWS.ActivateUser", header={"type": "OAuth2.0", "token": ""})["header"]["responseCode"] == 400


def test_deactivation_revokes_the_token_with_client_authentication(invoke, fake, auth):
    response = invoke("AWS.DeactivateUser")

    assert response["header"]["responseCode"] == 200
    (call,) = fake.calls_to("POST", "/oauth/revoke")
    expected = "Basic " + base64.b64encode(f"{fake.client[0]}:{fake.client[1]}".encode()).decode()
    assert call.headers["authorization"] == expected
    assert call.body == {"token": auth.secret, "token_type_hint": "access_token"}
    assert auth.secret in fake.revoked


def test_deactivation_removes_the_users_webhook(invoke, fake, auth, monkeypatch):
    monkeypatch.setenv("WEBHOOK_URL", "https://hooks.example.com/")
    invoke("AWS.ActivateUser")

    invoke("AWS.DeactivateUser")

    assert fake.webhooks == {}
    assert store.hook(f"user:{USER}") is None


def test_client_secret_can_come_from_secrets_manager(invoke, fake, auth, monkeypatch):
    class Manager:
        def get_secret_value(self, SecretId, **kwargs):
            return {"SecretString": json.dumps({"clientId": fake.client[0], "clientSecret": fake.client[1]})}

    monkeypatch.delenv("VENDOR_CLIENT_SECRET")
    monkeypatch.delenv("VENDOR_CLIENT_ID")
    monkeypatch.setenv("VENDOR_CLIENT_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:client-AbCdEf")
    secrets.set_client(Manager())

    response = invoke("AWS.DeactivateUser")

    secrets.set_client(None)
    assert response["header"]["responseCode"] == 200
    assert auth.secret in fake.revoked


def test_missing_revocation_config_is_reported_but_events_still_stop(invoke, fake, auth, monkeypatch):
    monkeypatch.delenv("VENDOR_CLIENT_SECRET")
    invoke("AWS.ActivateUser")

    response = invoke("AWS.DeactivateUser")

    assert response["header"]["responseCode"] == 500
    assert "VENDOR_CLIENT_SECRET" in response["payload"]["responseMessage"]
    assert store.user(USER)["active"] is False


def test_a_failing_revocation_endpoint_is_a_503(invoke, fake, auth):
    fake.failures["/oauth/revoke"] = [503] * 5

    assert invoke("AWS.DeactivateUser")["header"]["responseCode"] == 503
