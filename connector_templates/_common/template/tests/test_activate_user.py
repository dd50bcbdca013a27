"""AWS.ActivateUser: the user id, the user record, the vendor webhook."""

from __future__ import annotations

from connector import store
from tests.conftest import CONNECTOR_ID, USER


def test_answers_with_the_user_id(invoke, fake, auth):
    response = invoke("AWS.ActivateUser")

    assert response == {"header": {"responseCode": 200}, "payload": {"userId": USER}}


def test_records_the_user_as_active_with_its_connector(invoke, fake, auth):
    invoke("AWS.ActivateUser")

    assert store.user(USER) == {"active": True, "connector_id": CONNECTOR_ID, "webhook_secret": None}


def test_registers_the_webhook_once_when_configured(invoke, fake, auth, monkeypatch):
    monkeypatch.setenv("WEBHOOK_URL", "https://hooks.example.com/")

    invoke("AWS.ActivateUser")
    invoke("AWS.ActivateUser")  # a retry must not register a second webhook

    assert [h["url"] for h in fake.webhooks.values()] == ["https://hooks.example.com/"]
    assert store.user(USER)["webhook_secret"] == next(iter(fake.webhooks.values()))["secret"]


def test_activation_after_deactivation_reactivates(invoke, fake, auth):
    invoke("AWS.ActivateUser")
    invoke("AWS.DeactivateUser")
    invoke("AWS.ActivateUser")

    assert store.user(USER)["active"] is True


def test_a_failed_webhook_registration_does_not_fail_linking(invoke, fake, auth, monkeypatch, caplog):
    monkeypatch.setenv("WEBHOOK_URL", "https://hooks.example.com/")
    fake.failures["/v1/webhooks"] = [500] * 5

    response = invoke("AWS.ActivateUser")

    assert response["payload"]["userId"] == USER
    assert "webhook registration failed" in caplog.text
