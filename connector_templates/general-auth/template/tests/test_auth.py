"""General Authorization specifics: the API key from Secrets Manager, the user id, no revocation."""

from __future__ import annotations

import pytest

from connector import store
from connector.auth import Credentials
from tests.conftest import USER


def test_the_secret_is_read_once_per_version(invoke, fake, auth):
    for _ in range(3):
        invoke("AWS.ActivateUser")

    assert auth.secrets.reads == 1


def test_a_new_secret_version_is_read(invoke, fake, auth):
    invoke("AWS.ActivateUser")
    header = auth.store_secret({"api_key": auth.secret, "user_id": USER}, "version-0002")

    invoke("AWS.ActivateUser", header=header)

    assert auth.secrets.reads == 2


def test_the_secrets_user_id_is_the_user_id(invoke, fake, auth):
    assert invoke("AWS.ActivateUser")["payload"]["userId"] == USER


def test_a_plain_key_resolves_to_the_single_owner_of_its_devices(invoke, fake, auth):
    fake.add_device("plug", USER)
    header = auth.store_secret(auth.secret, "plain-version-0001")

    assert invoke("AWS.ActivateUser", header=header)["payload"]["userId"] == USER


def test_a_key_for_several_users_needs_a_user_id(invoke, fake, auth):
    fake.api_keys[auth.secret] = (USER, "user-0002")
    fake.add_device("plug", USER)
    fake.add_device("plug", "user-0002")
    header = auth.store_secret({"api_key": auth.secret}, "multi-version-0001")

    response = invoke("AWS.ActivateUser", header=header)

    assert response["header"]["responseCode"] == 400
    assert "user_id" in response["payload"]["responseMessage"]


def test_a_shared_key_only_reports_the_pinned_users_devices(invoke, fake, auth, sent):
    fake.api_keys[auth.secret] = (USER, "user-0002")
    mine = fake.add_device("plug", USER)
    fake.add_device("plug", "user-0002")

    invoke("AWS.DiscoverDevices", deviceDiscoveryId="abc123")

    assert [d["ConnectorDeviceId"] for d in sent[0]["Devices"]] == [mine]


@pytest.mark.parametrize(
    ("secret", "code"),
    [({"user_id": USER}, 403), ({"api_key": "k" * 10, "user_id": "bad user!"}, 500)],
    ids=["no-key", "bad-user-id"],
)
def test_unusable_secrets_are_reported(invoke, fake, auth, secret, code):
    header = auth.store_secret(secret, "broken-version-0001")

    assert invoke("AWS.ActivateUser", header=header)["header"]["responseCode"] == code


def test_a_missing_secret_is_a_502(invoke, fake, auth):
    header = {
        "type": "GeneralAuthorization",
        "secretsManager": {"arn": "arn:aws:secretsmanager:x", "versionId": "nope"},
    }

    assert invoke("AWS.ActivateUser", header=header)["header"]["responseCode"] == 502


def test_credentials_never_show_the_key():
    assert "sbx_secret_key" not in repr(Credentials("sbx_secret_key", USER))


def test_deactivation_revokes_nothing_and_keeps_the_shared_webhook(invoke, fake, auth, monkeypatch):
    monkeypatch.setenv("WEBHOOK_URL", "https://hooks.example.com/")
    invoke("AWS.ActivateUser")

    response = invoke("AWS.DeactivateUser")

    assert response["header"]["responseCode"] == 200
    assert fake.calls_to("POST", "/oauth/revoke") == []
    assert len(fake.webhooks) == 1
    assert store.user(USER)["active"] is False
