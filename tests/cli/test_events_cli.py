import json

import pytest
from typer.testing import CliRunner

from c2c_cli.cli import app
from c2c_cli.contract import KINDS

runner = CliRunner()


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "response"])
def test_every_kind_prints_a_sample_that_validates(kind: str) -> None:
    result = runner.invoke(app, ["events", "new", kind, "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    check = runner.invoke(app, ["validate", "-", "--kind", kind, "--json"], input=json.dumps(doc))
    assert check.exit_code == 0, check.stdout


def test_devices_and_set_overrides() -> None:
    result = runner.invoke(
        app,
        [
            "events",
            "new",
            "event.device-discovery",
            "--devices",
            "11",
            "--set",
            "StatusCode=300",
            "--set",
            "Devices[0].ConnectorDeviceName=Hall",
        ],
    )
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert len(doc["Devices"]) == 11 and doc["StatusCode"] == 300
    assert doc["Devices"][0]["ConnectorDeviceName"] == "Hall"
    assert len({d["Devices"] if False else d["ConnectorDeviceId"] for d in doc["Devices"]}) == 11


def test_overrides_that_break_the_sample_warn_on_stderr() -> None:
    result = runner.invoke(app, ["events", "new", "event.device-event", "--set", "UserId=not valid"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["UserId"] == "not valid"
    assert "invalid" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["events", "new", "event.nope"],
        ["events", "new", "event.device-event", "--set", "nopath"],
        ["events", "new", "event.device-event", "--set", "A.B.C=1"],
    ],
)
def test_bad_input_exits_2(args) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and result.stderr.startswith("Error:")


def test_general_auth_requests() -> None:
    result = runner.invoke(app, ["events", "new", "discover-devices.request", "--auth", "general"])
    assert json.loads(result.stdout)["header"]["auth"]["type"] == "GeneralAuthorization"
