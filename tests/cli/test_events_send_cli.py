"""c2c events send: what is refused before anything is sent (no AWS needed)."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from c2c_cli.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def no_aws(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.chdir(tmp_path)


def test_unknown_kind_is_a_usage_error() -> None:
    result = runner.invoke(app, ["events", "send", "activate-user.request", "--connector-id", "c1"])
    assert result.exit_code == 2 and "unknown event kind" in result.stderr


def test_no_connector_id_and_no_registration_is_a_usage_error() -> None:
    result = runner.invoke(app, ["events", "send", "discovery"])
    assert result.exit_code == 2
    assert "--connector-id" in result.stderr and "c2c register" in result.stderr


def test_an_invalid_event_exits_3_listing_the_violation() -> None:
    result = runner.invoke(
        app, ["events", "send", "discovery", "--connector-id", "c1", "--set", "StatusCode=99"]
    )
    assert result.exit_code == 3
    assert "$.StatusCode" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_file_and_simulation_together_are_refused(tmp_path) -> None:
    (tmp_path / "a.json").write_text("{}")
    result = runner.invoke(
        app,
        [
            "events",
            "send",
            "discovery",
            "--connector-id",
            "c1",
            "--file",
            "a.json",
            "--from-simulation",
            "a.json",
        ],
    )
    assert result.exit_code == 2 and "not both" in result.stderr


@pytest.mark.parametrize("text", ["not json", "[1, 2]"])
def test_an_unreadable_or_non_object_file_is_refused(tmp_path, text) -> None:
    (tmp_path / "bad.json").write_text(text)
    result = runner.invoke(
        app, ["events", "send", "device-event", "--connector-id", "c1", "--file", "bad.json"]
    )
    assert result.exit_code == 2


def test_a_capture_without_events_is_refused(tmp_path) -> None:
    (tmp_path / "capture.json").write_text(json.dumps({"events": []}))
    result = runner.invoke(
        app, ["events", "send", "discovery", "--connector-id", "c1", "--from-simulation", "capture.json"]
    )
    assert result.exit_code == 2 and "no event.device-discovery events" in result.stderr


def test_a_valid_event_without_a_region_fails_cleanly() -> None:
    result = runner.invoke(app, ["events", "send", "discovery", "--connector-id", "c1"])
    assert result.exit_code == 5 and "no AWS region" in result.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [("[" * 100_000, "nested too deeply"), ('{"a": NaN}', "line 1, column 7"), ("", "is empty")],
)
def test_a_bad_file_is_a_usage_error(tmp_path, text: str, message: str) -> None:
    body = tmp_path / "event.json"
    body.write_text(text)
    result = runner.invoke(app, ["events", "send", "discovery", "--connector-id", "c1", "--file", str(body)])
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.stderr
