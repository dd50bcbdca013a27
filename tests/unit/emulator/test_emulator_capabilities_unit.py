"""The customer capability ↔ Matter id translation (contract.md §5.1, §5.3) and small lifecycle helpers."""

from __future__ import annotations

import pytest

from c2c_cli.contract import validate_shape
from c2c_cli.emulator.driver.functions import function_name, parse_env
from c2c_cli.emulator.driver.host import error_message
from c2c_cli.emulator.driver.invoker import redacted_request
from c2c_cli.emulator.http.errors import ApiError
from c2c_cli.emulator.operations.capabilities import (
    apply_endpoint,
    customer_report,
    customer_state,
    matter_endpoints,
)
from c2c_cli.errors import UsageError

REPORT = {
    "version": "1.0.0",
    "endpoints": [
        {
            "id": "1",
            "deviceTypes": ["Dimmable Light"],
            "clusters": [
                {
                    "id": "0x0006",
                    "revision": 6,
                    "attributes": [{"id": "0x0000", "value": False}],
                    "commands": ["0x00", "0x01"],
                },
                {
                    "id": "0x0008",
                    "revision": 5,
                    "attributes": [{"id": "0x0000"}, {"id": "0x0011"}],
                    "commands": ["0x00"],
                },
            ],
        }
    ],
}


def _command(capability, name, action, parameters=None):
    act = {"name": action, **({"parameters": parameters} if parameters is not None else {})}
    endpoints = [
        {
            "endpointId": "1",
            "capabilities": [{"id": capability, "name": name, "version": "1", "actions": [act]}],
        }
    ]
    return matter_endpoints(endpoints, REPORT)[0]["clusters"][0]


@pytest.mark.parametrize(
    ("capability", "action", "parameters", "expected"),
    [
        ("matter.OnOff@1.4", "On", None, {"id": "0x0006", "commands": [{"0x01": {}}]}),
        ("matter.OnOff@1.4", "Toggle", None, {"id": "0x0006", "commands": [{"0x02": {}}]}),
        (
            "matter.LevelControl@1.4",
            "MoveToLevel",
            {"level": 127},
            {"id": "0x0008", "commands": [{"0x00": {"0x0000": 127}}]},
        ),
        (
            "matter.OnOff@1.4",
            "UpdateState",
            {"OnOff": True},
            {"id": "0x0006", "commands": [{"0xff01": {"0x0000": True}}]},
        ),
        (
            "matter.OnOff@1.4",
            "ReadState",
            {"propertiesToRead": ["OnOff"]},
            {"id": "0x0006", "commands": [{"0xff02": {"0x0000": None}}]},
        ),
        (
            "matter.LevelControl@1.4",
            "ReadState",
            {"propertiesToRead": ["*"]},
            {"id": "0x0008", "commands": [{"0xff02": {"0x0000": None, "0x0011": None}}]},
        ),
    ],
)
def test_actions_become_matter_commands(capability, action, parameters, expected):
    assert _command(capability, capability.split(".")[1].split("@")[0], action, parameters) == expected


@pytest.mark.parametrize(
    ("capability", "action", "parameters", "message"),
    [
        ("matter.NoSuchThing@1.4", "On", None, "not a known Matter cluster"),
        ("matter.OnOff@1.4", "Explode", None, "no action 'Explode'"),
        ("matter.OnOff@1.4", "UpdateState", {"Brightness": 3}, "no property 'Brightness'"),
        ("matter.LevelControl@1.4", "MoveToLevel", {"speed": 3}, "no parameter 'speed'"),
    ],
)
def test_unknown_names_are_validation_errors(capability, action, parameters, message):
    with pytest.raises(ApiError) as info:
        _command(capability, "x", action, parameters)
    assert info.value.code == "ValidationException"
    assert message in info.value.message


def test_customer_report_names_capabilities_and_fits_the_model():
    report = customer_report(REPORT)
    on_off = report["endpoints"][0]["capabilities"][0]
    assert (on_off["id"], on_off["properties"], on_off["actions"]) == (
        "matter.OnOff@1.4",
        ["OnOff"],
        ["Off", "On"],
    )
    assert validate_shape("CapabilityReport", report) == []


def test_state_changes_only_with_reported_attributes():
    state: dict = {}
    assert (
        apply_endpoint(state, {"id": "1", "clusters": [{"id": "0x6", "attributes": {"0x0": True}}]}) is True
    )
    assert (
        apply_endpoint(state, {"id": "1", "clusters": [{"id": "0x0006", "attributes": [{"0x0000": True}]}]})
        is False
    )
    endpoints = customer_state(state, REPORT)
    assert endpoints == [
        {
            "endpointId": "1",
            "capabilities": [
                {"id": "matter.OnOff@1.4", "name": "OnOff", "version": "6", "properties": {"OnOff": True}}
            ],
        }
    ]
    assert validate_shape("GetManagedThingStateResponse", {"Endpoints": endpoints}) == []


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("arn:aws:lambda:us-east-1:123456789012:function:acme", "acme"),
        ("arn:aws:lambda:us-east-1:123456789012:function:acme:live", "acme"),
        ("acme:$LATEST", "acme"),
        ("acme", "acme"),
    ],
)
def test_function_name(value, name):
    assert function_name(value) == name


def test_redacted_request_masks_only_the_token():
    request = {"header": {"auth": {"type": "OAuth2.0", "token": "secret-token"}}, "payload": {"a": 1}}
    assert redacted_request(request)["header"]["auth"] == {"type": "OAuth2.0", "token": "[REDACTED]"}
    assert request["header"]["auth"]["token"] == "secret-token"


def test_error_message_fits_the_model_pattern():
    text = error_message("token exchange failed: HTTP 400 invalid_grant (Code expired.)")
    assert text == "token exchange failed HTTP 400 invalid_grant Code expired"
    assert validate_shape("AccountAssociationErrorMessage", text) == []


def test_parse_env():
    assert parse_env(["A=1", "B=x=y"]) == {"A": "1", "B": "x=y"}
    with pytest.raises(UsageError, match="1bad"):
        parse_env(["1bad=2"])


def test_database_file_is_private(tmp_path):
    import stat

    from c2c_cli.emulator.http.store import Store

    store = Store(str(tmp_path / "e.db"))
    store.close()
    assert stat.S_IMODE((tmp_path / "e.db").stat().st_mode) == 0o600  # it holds linked users' tokens
