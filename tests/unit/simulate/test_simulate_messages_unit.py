"""Requests as the service sends them; Matter names and values resolved and type-checked."""

import pytest

from c2c_cli.contract import check_request
from c2c_cli.errors import UsageError
from c2c_cli.simulate.messages import (
    build_endpoints,
    command_endpoints,
    command_request,
    discovery_request,
    new_discovery_id,
    new_trace_id,
    read_state_endpoints,
    sample_fields,
    update_state_endpoints,
)

AUTH = {"type": "OAuth2.0", "token": "dG9rZW4"}


def test_discovery_request_is_valid_with_empty_filter() -> None:
    request = discovery_request(AUTH, "conn-1", new_discovery_id())
    assert request["payload"]["connectorDeviceIdList"] == []
    assert request["payload"]["operationVersion"] == "1.0"
    assert [v for v in check_request(request) if v.severity == "error"] == []


@pytest.mark.parametrize(("cluster", "command"), [("OnOff", "On"), ("0x0006", "0x01"), ("6", "1")])
def test_command_names_and_ids_resolve_alike(cluster: str, command: str) -> None:
    assert command_endpoints("1", cluster, command, []) == [
        {"id": "1", "clusters": [{"id": "0x0006", "commands": [{"0x01": {}}]}]}
    ]


def test_command_args_are_typed_and_keyed_by_field_id() -> None:
    endpoints = command_endpoints(
        "1", "LevelControl", "MoveToLevel", ["level=128", "transitionTime=0"], shape="map"
    )
    commands = endpoints[0]["clusters"][0]["commands"]
    # optionsMask and optionsOverride are mandatory: filled with neutral values.
    assert commands == {"0x00": {"0x0000": 128, "0x0001": 0, "0x0002": 0, "0x0003": 0}}
    request = command_request(AUTH, "conn-1", "dev-1", new_trace_id(), endpoints)
    assert [v for v in check_request(request) if v.severity == "error"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [(["level=high"], "not a valid"), (["colour=1"], "no field"), (["level"], "NAME=VALUE")],
)
def test_bad_args_are_usage_errors(args: list[str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        command_endpoints("1", "LevelControl", "MoveToLevel", args)


def test_unknown_cluster_and_command_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="unknown Matter cluster"):
        command_endpoints("1", "Teleporter", "Beam", [])
    with pytest.raises(UsageError, match="has no command"):
        command_endpoints("1", "OnOff", "Explode", [])


def test_update_and_read_state_use_aws_commands() -> None:
    update = update_state_endpoints("1", "OnOff", ["OnOff=true"])
    assert update[0]["clusters"][0]["commands"] == [{"0xff01": {"0x0000": True}}]
    read = read_state_endpoints("1", "FanControl", ["FanMode", "0x0002"])
    assert read[0]["clusters"][0]["commands"] == [{"0xff02": {"0x0000": None, "0x0002": None}}]


def test_build_endpoints_wants_exactly_one_source() -> None:
    with pytest.raises(UsageError, match="exactly one"):
        build_endpoints("1", "OnOff", "On", [], None, ["OnOff=true"], [], "list")
    with pytest.raises(UsageError, match="needs --cluster"):
        build_endpoints("1", None, "On", [], None, [], [], "list")


def test_sample_fields_prefer_the_devices_current_value() -> None:
    # MoveToColorTemperature's colorTemperatureMireds matches the ColorTemperatureMireds attribute (0x0007).
    assert sample_fields(0x0300, 0x0A, {0x0007: 250})["0x0000"] == 250
    assert sample_fields(0x0006, 0x01) == {}
    assert sample_fields(0x0006, 0x7E) is None
