"""AWS.DeactivateUser: events stop for the user, whatever the vendor calls do."""

from __future__ import annotations

import json
import time

from connector import store, webhook
from tests.conftest import USER


def test_deactivation_acks_and_marks_the_user_inactive(invoke, fake, auth):
    invoke("AWS.ActivateUser")

    response = invoke("AWS.DeactivateUser")

    assert response["header"]["responseCode"] == 200
    assert store.user(USER)["active"] is False


def test_no_event_is_forwarded_after_deactivation(invoke, fake, auth, sent, monkeypatch):
    monkeypatch.setenv("WEBHOOK_URL", "https://hooks.example.com/")
    device = fake.add_device("plug", USER)
    invoke("AWS.ActivateUser")
    secret = next(iter(fake.webhooks.values()))["secret"]
    invoke("AWS.DeactivateUser")

    body = json.dumps(
        {
            "event_id": "e",
            "type": "device.state_changed",
            "device_id": device,
            "user_id": USER,
            "state": {"on": True},
            "changed": {"on": True},
            "cause": "physical",
            "command_id": None,
        }
    )
    stamp = str(int(time.time()))
    headers = {"X-Sandbox-Timestamp": stamp, "X-Sandbox-Signature": webhook.sign(secret, stamp, body.encode())}
    reply = webhook.lambda_handler({"headers": headers, "body": body}, None)

    assert reply["statusCode"] == 200
    assert "not active" in reply["body"]
    assert sent == []
