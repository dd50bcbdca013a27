"""The entry point: envelopes, errors as ACKs, retries, one log line per invocation, no secret in logs."""

from __future__ import annotations

import json
import logging
import socket

import pytest

from tests.conftest import CONNECTOR_ID, USER, request


def _code(response):
    return response["header"]["responseCode"]


@pytest.mark.parametrize(
    "event",
    [
        None,
        [],
        "AWS.ActivateUser",
        {"payload": {"operationName": "AWS.ActivateUser", "connectorId": CONNECTOR_ID}},
        {"header": {}, "payload": {"operationName": "AWS.ActivateUser", "connectorId": CONNECTOR_ID}},
        {
            "header": {"auth": {"type": "Basic"}},
            "payload": {"operationName": "AWS.ActivateUser", "connectorId": CONNECTOR_ID},
        },
        {
            "header": {"auth": {"type": "OAuth2.0", "token": "t"}},
            "payload": {"operationName": "AWS.ActivateUser", "connectorId": "bad id!"},
        },
    ],
    ids=["none", "list", "string", "no-header", "no-auth", "unknown-auth-type", "bad-connector-id"],
)
def test_malformed_envelope_gets_a_400_ack_with_a_message(raw_invoke, fake, event):
    response = raw_invoke(event)

    assert _code(response) == 400
    assert response["payload"]["responseMessage"]


def test_unknown_operation_is_named_in_a_400_ack(raw_invoke, fake, auth):
    response = raw_invoke(request("AWS.RebootEverything", auth.header))

    assert _code(response) == 400
    assert "AWS.RebootEverything" in response["payload"]["responseMessage"]


def test_the_other_authorization_type_is_refused(raw_invoke, fake, auth):
    other = (
        {"type": "OAuth2.0", "token": "abc.def.ghi"}
        if auth.header["type"] == "GeneralAuthorization"
        else {"type": "GeneralAuthorization", "secretsManager": {"arn": "arn:aws:secretsmanager:x", "versionId": "v"}}
    )
    response = raw_invoke(request("AWS.ActivateUser", other))

    assert _code(response) == 400
    assert "header.auth" in response["payload"]["responseMessage"]


def test_credentials_the_vendor_rejects_give_a_401_ack(invoke, fake, auth):
    response = invoke("AWS.DiscoverDevices", header=auth.rejected_header(), deviceDiscoveryId="abc123")

    assert _code(response) == 401
    assert "rejected" in response["payload"]["responseMessage"]


def test_vendor_5xx_is_retried_then_succeeds(invoke, fake, auth):
    fake.add_device("plug", USER)
    fake.failures["/v1/devices"] = [503, 500]

    response = invoke("AWS.DiscoverDevices", deviceDiscoveryId="abc123")

    assert _code(response) == 200
    assert len(fake.calls_to("GET", "/v1/devices")) == 3


def test_vendor_down_gives_a_503_ack_after_bounded_retries(invoke, fake, auth):
    fake.failures["/v1/devices"] = [503] * 10

    response = invoke("AWS.DiscoverDevices", deviceDiscoveryId="abc123")

    assert _code(response) == 503
    assert len(fake.calls_to("GET", "/v1/devices")) == 3


def test_an_unreachable_vendor_gives_a_503_ack(invoke, fake, auth, monkeypatch):
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("VENDOR_API_URL", f"http://127.0.0.1:{port}")

    response = invoke("AWS.DiscoverDevices", deviceDiscoveryId="abc123")

    assert response["header"]["responseCode"] == 503
    assert "cannot be reached" in response["payload"]["responseMessage"]


@pytest.mark.parametrize("host", ["127.0.0.1.evil.com", "localhost.evil.com", "127.1", "user@127.0.0.1"])
def test_credentials_never_go_over_plain_http_to_a_lookalike_host(invoke, fake, auth, monkeypatch, host):
    # HTTP_PROXY points at the fake vendor, so a plain-http request to any host would reach it.
    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, fake.url)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VENDOR_API_URL", f"http://{host}:8787")

    response = invoke("AWS.DiscoverDevices", deviceDiscoveryId="abc123")

    assert _code(response) == 500
    assert "https" in response["payload"]["responseMessage"]
    assert fake.calls == []


def test_throttling_gives_a_429_ack(invoke, fake, auth):
    fake.failures["/v1/devices"] = [429] * 10

    assert _code(invoke("AWS.DiscoverDevices", deviceDiscoveryId="abc123")) == 429


def test_an_exhausted_budget_gives_a_504_ack(invoke, fake, auth):
    fake.add_device("plug", USER)

    response = invoke("AWS.DiscoverDevices", deviceDiscoveryId="abc123", budget_ms=160)

    assert _code(response) == 504


def test_an_unexpected_error_is_a_500_ack_not_an_exception(invoke, fake, auth, sent, caplog):
    from connector import events

    def broken(**params):
        raise RuntimeError("boom " + auth.secret)

    fake.add_device("plug", USER)
    events.set_sender(broken)
    with caplog.at_level(logging.INFO, logger="connector"):
        response = invoke("AWS.DiscoverDevices", deviceDiscoveryId="abc123")

    assert _code(response) == 500
    assert "RuntimeError" in caplog.text
    assert auth.secret not in caplog.text


def test_one_structured_log_line_per_invocation(invoke, fake, auth, caplog):
    fake.add_device("plug", USER)
    with caplog.at_level(logging.INFO, logger="connector"):
        invoke("AWS.DiscoverDevices", deviceDiscoveryId="abc123")

    lines = [json.loads(r.getMessage()) for r in caplog.records if '"invocation"' in r.getMessage()]
    assert len(lines) == 1
    line = lines[0]
    assert line["operation"] == "AWS.DiscoverDevices"
    assert line["connectorId"] == CONNECTOR_ID
    assert line["deviceDiscoveryId"] == "abc123"
    assert line["responseCode"] == 200
    assert isinstance(line["latencyMs"], float)


def test_secrets_never_reach_the_logs(invoke, fake, auth, caplog, capsys):
    device = fake.add_device("plug", USER)
    endpoints = [{"id": "1", "clusters": [{"id": "0x0006", "commands": [{"0x01": {}}]}]}]
    with caplog.at_level(logging.DEBUG):
        invoke("AWS.ActivateUser")
        invoke("AWS.DiscoverDevices", deviceDiscoveryId="abc123")
        invoke("AWS.SendCommand", connectorDeviceId=device, traceId="trace-1", endpoints=endpoints)
        invoke("AWS.DiscoverDevices", header=auth.rejected_header(), deviceDiscoveryId="abc123")
        invoke("AWS.DeactivateUser")

    captured = capsys.readouterr()
    assert caplog.records
    for text in (caplog.text, captured.out, captured.err):
        assert auth.secret not in text
        assert fake.client[1] not in text
