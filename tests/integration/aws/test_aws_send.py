"""c2c events send against the emulator: lands in the event log; strict validation; other accounts refused."""

from __future__ import annotations

import json

import pytest

from c2c_cli.emulator import SECOND_ACCOUNT


@pytest.fixture
def registered(aws_env, project, c2c):
    result = c2c("register", "--project", str(project), "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    return project, json.loads(result.stdout)["state"]["connector_id"]


@pytest.mark.parametrize("kind", ["discovery", "command-response", "device-event", "event.device-discovery"])
def test_send_lands_in_the_event_log(registered, c2c, aws_env, kind) -> None:
    project, connector_id = registered
    # A DEVICE_DISCOVERY must name a running discovery (contract.md §4.7).
    extra = (
        ["--set", f"DeviceDiscoveryId={aws_env.open_discovery(connector_id)}"] if "discovery" in kind else []
    )
    result = c2c("events", "send", kind, "--project", str(project), "--json", *extra)
    assert result.exit_code == 0, result.stderr
    (sent,) = json.loads(result.stdout)["sent"]
    assert sent["http_status"] == 202 and sent["connector_id"] == connector_id
    (record,) = aws_env.events(connector_id=connector_id)
    assert record["verdict"] == "accepted"
    assert record["account_id"] == aws_env.account.account_id
    assert record["request_id"] == sent["request_id"]


def test_set_overrides_are_sent(registered, c2c, aws_env) -> None:
    project, connector_id = registered
    result = c2c(
        "events",
        "send",
        "discovery",
        "--project",
        str(project),
        "--set",
        "Devices[0].ConnectorDeviceName=Hall lamp",
        "--set",
        f"DeviceDiscoveryId={aws_env.open_discovery(connector_id)}",
    )
    assert result.exit_code == 0, result.stderr
    assert "202" in result.stdout
    (record,) = aws_env.events(connector_id=connector_id)
    assert record["body"]["Devices"][0]["ConnectorDeviceName"] == "Hall lamp"


def test_an_invalid_event_is_refused_before_sending(registered, c2c, aws_env) -> None:
    project, connector_id = registered
    result = c2c("events", "send", "device-event", "--project", str(project), "--set", "Message=it's broken")
    assert result.exit_code == 3
    assert "$.Message" in result.stderr and "--no-validate" in result.stderr
    assert aws_env.events(connector_id=connector_id) == []


def test_no_validate_sends_it_and_the_service_rejects_it(registered, c2c, aws_env) -> None:
    project, connector_id = registered
    result = c2c(
        "events",
        "send",
        "device-event",
        "--project",
        str(project),
        "--set",
        "Message=it's broken",
        "--no-validate",
    )
    assert result.exit_code == 5
    assert "ValidationException" in result.stderr and "Traceback" not in result.stderr
    (record,) = aws_env.events(connector_id=connector_id)
    assert record["verdict"] == "rejected"


def test_an_event_signed_by_another_account_is_refused_with_the_reason(
    registered, c2c, aws_env, monkeypatch
) -> None:
    project, connector_id = registered
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", SECOND_ACCOUNT.access_key_id)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECOND_ACCOUNT.secret_access_key)
    result = c2c("events", "send", "device-event", "--project", str(project))
    assert result.exit_code == 5
    assert "AccessDeniedException" in result.stderr
    assert "registered the connector" in result.stderr
    assert SECOND_ACCOUNT.secret_access_key not in result.stderr + result.stdout
    (record,) = aws_env.events(connector_id=connector_id)
    assert record["verdict"] == "rejected" and record["account_id"] == SECOND_ACCOUNT.account_id


def test_a_file_body_with_connector_id_is_moved_to_the_path(registered, c2c, aws_env, tmp_path) -> None:
    _project, connector_id = registered
    body = json.loads(c2c("events", "new", "event.device-event", "--json").stdout)
    body["ConnectorId"] = connector_id
    path = tmp_path / "event.json"
    path.write_text(json.dumps(body))
    result = c2c("events", "send", "device-event", "--file", str(path), "--connector-id", connector_id)
    assert result.exit_code == 0, result.stderr
    assert "moved to the URI parameter" in result.stderr
    (record,) = aws_env.events(connector_id=connector_id)
    assert "ConnectorId" not in record["body"]


def test_from_simulation_replays_every_captured_event_of_the_kind(registered, c2c, aws_env, tmp_path) -> None:
    project, connector_id = registered
    discovery = json.loads(c2c("events", "new", "event.device-discovery", "--json", "--devices", "2").stdout)
    discovery["DeviceDiscoveryId"] = aws_env.open_discovery(connector_id)
    discovery["StatusCode"] = 300  # a first page; the replayed 200 below finishes the discovery
    other = json.loads(c2c("events", "new", "event.device-event", "--json").stdout)
    capture = tmp_path / "capture.json"
    capture.write_text(
        json.dumps(
            {"events": [{"body": discovery}, {"body": other}, {"body": {**discovery, "StatusCode": 200}}]}
        )
    )
    result = c2c(
        "events", "send", "discovery", "--from-simulation", str(capture), "--project", str(project), "--json"
    )
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)["sent"]) == 2
    records = aws_env.events(connector_id=connector_id)
    assert [r["operation"] for r in records] == ["DEVICE_DISCOVERY", "DEVICE_DISCOVERY"]
