"""The emulator-only /_emulator/ endpoints: token or SigV4 required."""

from __future__ import annotations

import pytest
import requests
from requests_aws4auth import AWS4Auth

from c2c_cli.emulator import EmulatorClient


def test_endpoints_need_a_token_or_signature(emu):
    for path in ("/_emulator/info", "/_emulator/events", "/_emulator/requests"):
        assert requests.get(emu.endpoint_url + path, timeout=10).status_code == 403
    wrong = requests.get(
        emu.endpoint_url + "/_emulator/info", headers={"X-C2C-Emulator-Token": "nope"}, timeout=10
    )
    assert wrong.status_code == 403
    assert requests.post(emu.endpoint_url + "/_emulator/reset", timeout=10).status_code == 403


def test_token_gives_info(emu):
    api = EmulatorClient(emu.endpoint_url, emu.admin_token)
    info = api.info()
    assert info["endpoint_url"] == emu.endpoint_url
    assert info["account_id"] == "123456789012"
    assert "SendConnectorEvent" in info["emulated_operations"]


def test_signed_request_reads_events_with_filters(emu, client, connector):
    with pytest.raises(client.exceptions.ValidationException):
        client.send_connector_event(ConnectorId=connector, Operation="FOO")
    auth = AWS4Auth(
        emu.account.access_key_id, emu.account.secret_access_key, emu.region, "iotmanagedintegrations"
    )
    response = requests.get(
        emu.endpoint_url + "/_emulator/events", params={"connector": connector}, auth=auth, timeout=10
    )
    assert response.status_code == 200, response.text
    [record] = response.json()["events"]
    assert record["connector_id"] == connector
    assert record["violations"][0]["path"] == "$.Operation"
    later = requests.get(
        emu.endpoint_url + "/_emulator/events", params={"after": record["seq"]}, auth=auth, timeout=10
    ).json()["events"]
    assert all(r["seq"] > record["seq"] for r in later)


def test_follow_yields_new_events(emu, client, connector):
    api = EmulatorClient(emu.endpoint_url, emu.admin_token)
    start = max([r["seq"] for r in api.events()] or [0])
    with pytest.raises(client.exceptions.ValidationException):
        client.send_connector_event(ConnectorId=connector, Operation="BAR")
    seen = list(api.follow(after=start, connector_id=connector, polls=2, sleep=lambda _: None))
    assert [r["body"]["Operation"] for r in seen] == ["BAR"]


def test_unknown_admin_path_is_404(emu):
    response = requests.get(
        emu.endpoint_url + "/_emulator/nope", headers={"X-C2C-Emulator-Token": emu.admin_token}, timeout=10
    )
    assert response.status_code == 404
