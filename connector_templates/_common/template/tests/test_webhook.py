"""The webhook entry point: signature and freshness checks, DEVICE_EVENT forwarding, deactivated users."""

from __future__ import annotations

import base64
import json
import time

import pytest

from connector import store, webhook
from tests.conftest import CONNECTOR_ID, USER

SECRET = "whsec-test-secret-0001"


def delivery(change: dict, *, secret: str = SECRET, stamp: int | None = None, encode: bool = False) -> dict:
    body = json.dumps(change)
    timestamp = str(stamp if stamp is not None else int(time.time()))
    headers = {"X-Sandbox-Timestamp": timestamp, "X-Sandbox-Signature": webhook.sign(secret, timestamp, body.encode())}
    if encode:
        return {"headers": headers, "body": base64.b64encode(body.encode()).decode(), "isBase64Encoded": True}
    return {"headers": headers, "body": body, "isBase64Encoded": False}


def change(device: str = "dev-00001", state: dict | None = None, changed: dict | None = None, user: str = USER) -> dict:
    state = state or {"on": True, "brightness": 40}
    return {
        "event_id": "evt-1",
        "type": "device.state_changed",
        "device_id": device,
        "user_id": user,
        "state": state,
        "changed": changed or {"brightness": 40},
        "cause": "physical",
        "command_id": None,
    }


@pytest.fixture
def active(fake, monkeypatch):
    store.activate_user(USER, CONNECTOR_ID, SECRET)


@pytest.mark.parametrize("encode", [False, True], ids=["text-body", "base64-body"])
def test_signed_change_becomes_a_device_event(fake, active, sent, encode):
    reply = webhook.lambda_handler(delivery(change(), encode=encode), None)

    assert reply["statusCode"] == 200
    (event,) = sent
    assert event["Operation"] == "DEVICE_EVENT"
    assert (event["ConnectorId"], event["UserId"], event["ConnectorDeviceId"]) == (CONNECTOR_ID, USER, "dev-00001")
    assert event["MatterEndpoint"] == {"id": "1", "clusters": [{"id": "0x0008", "attributes": {"0x0000": 102}}]}


@pytest.mark.parametrize(
    "event",
    [
        delivery(change(), secret="wrong-secret"),
        delivery(change(), stamp=int(time.time()) - 3600),
        {**delivery(change()), "headers": {}},
    ],
    ids=["bad-signature", "stale-timestamp", "no-headers"],
)
def test_unverified_deliveries_are_refused(fake, active, sent, event):
    assert webhook.lambda_handler(event, None)["statusCode"] == 401
    assert sent == []


def test_a_tampered_body_is_refused(fake, active, sent):
    event = delivery(change())
    event["body"] = event["body"].replace("40", "41")

    assert webhook.lambda_handler(event, None)["statusCode"] == 401
    assert sent == []


@pytest.mark.parametrize(
    "body", ["not json", "[]", '{"device_id": "d"}', "x" * 300_000], ids=["text", "list", "partial", "huge"]
)
def test_malformed_bodies_are_a_400(fake, active, sent, body):
    assert webhook.lambda_handler({"headers": {}, "body": body}, None)["statusCode"] == 400


def test_changes_of_a_deactivated_user_are_dropped(fake, active, sent, monkeypatch):
    monkeypatch.setenv("VENDOR_WEBHOOK_SECRET", SECRET)  # the vendor may still sign with a shared secret
    store.deactivate_user(USER)

    reply = webhook.lambda_handler(delivery(change()), None)

    assert reply["statusCode"] == 200
    assert "not active" in reply["body"]
    assert sent == []


def test_changes_of_users_never_activated_are_acknowledged_and_dropped(fake, active, sent):
    reply = webhook.lambda_handler(delivery(change(user="user-9999"), secret="unknown"), None)

    assert reply["statusCode"] == 200
    assert sent == []


def test_a_change_matter_cannot_show_sends_nothing(fake, active, sent):
    moving = change(state={"position": 40, "moving": True}, changed={"moving": True})

    assert webhook.lambda_handler(delivery(moving), None)["statusCode"] == 200
    assert sent == []


def test_a_service_failure_asks_the_vendor_to_retry(fake, active, sent):
    from connector import events
    from connector.envelope import ConnectorError

    def refuse(**params):
        raise ConnectorError(502, "SendConnectorEvent failed: ThrottlingException")

    events.set_sender(refuse)

    assert webhook.lambda_handler(delivery(change()), None)["statusCode"] == 502
