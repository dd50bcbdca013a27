"""Model-level checks: every constraint boto3 skips is caught, all at once, each with its path."""

import pytest

from c2c_cli.contract import validate_input, validate_shape


def _paths(found):
    return {(v.path, v.rule) for v in found}


@pytest.mark.parametrize(
    ("params", "path", "rule"),
    [
        ({"ConnectorId": "c" * 65, "Operation": "DEVICE_EVENT"}, "$.ConnectorId", "ConnectorId"),
        ({"ConnectorId": "c", "Operation": "FOO"}, "$.Operation", "ConnectorEventOperation"),
        (
            {"ConnectorId": "c", "Operation": "DEVICE_EVENT", "StatusCode": 600},
            "$.StatusCode",
            "ConnectorEventStatusCode",
        ),
        (
            {"ConnectorId": "c", "Operation": "DEVICE_EVENT", "StatusCode": True},
            "$.StatusCode",
            "ConnectorEventStatusCode",
        ),
        (
            {"ConnectorId": "c", "Operation": "DEVICE_EVENT", "Message": "it's"},
            "$.Message",
            "ConnectorEventMessage",
        ),
        ({"ConnectorId": "c", "Operation": "DEVICE_EVENT", "Message": "a\n"}, "$", "none"),
        ({"ConnectorId": "c", "Operation": "DEVICE_EVENT", "UserId": "a b"}, "$.UserId", "ThirdPartyUserId"),
        ({"ConnectorId": "c/d", "Operation": "DEVICE_EVENT"}, "$.ConnectorId", "ConnectorId"),
    ],
)
def test_send_connector_event_members(params, path, rule) -> None:
    found = validate_input("SendConnectorEvent", params)
    if rule == "none":
        assert found == []  # \s includes the newline: the whole value matches
    else:
        assert (path, rule) in _paths(found)


def test_capability_report_constraints_are_all_reported_together() -> None:
    report = {
        "version": "1.0",
        "endpoints": [
            {
                "id": "1-a",
                "deviceTypes": [""],
                "clusters": [{"id": "OnOff", "revision": 11, "featureMap": 2**32}] * 51,
            }
        ],
    }
    found = _paths(validate_shape("MatterCapabilityReport", report))
    assert ("$.version", "CapabilityReportVersion") in found
    assert ("$.endpoints[0].id", "EndpointId") in found
    assert ("$.endpoints[0].deviceTypes[0]", "DeviceType") in found
    assert ("$.endpoints[0].clusters", "MatterCapabilityReportClusters") in found
    assert ("$.endpoints[0].clusters[50].id", "ClusterId") in found
    assert ("$.endpoints[0].clusters[0].revision", "MatterCapabilityReportClusterRevisionId") in found
    assert ("$.endpoints[0].clusters[0].featureMap", "MatterCapabilityReportFeatureMap") in found


def test_map_sizes_and_keys() -> None:
    cluster = {"id": "0x0006", "commands": {f"0x0{i}": {} for i in range(6)}}
    found = _paths(validate_shape("MatterCluster", cluster))
    assert ("$.commands", "MatterCommands") in found
    found = _paths(validate_shape("MatterCluster", {"id": "0x6", "commands": {"On": {}}}))
    assert ("$.commands.On", "MatterCommandId") in found
    found = _paths(validate_shape("MatterCluster", {"id": "0x6", "commands": {}}))
    assert ("$.commands", "MatterCommands") in found


def test_required_and_unknown_members_name_the_member() -> None:
    found = validate_shape("Device", {"CapabilityReport": {"version": "1.0.0", "endpoints": []}, "Colour": 1})
    assert ("$.ConnectorDeviceId", "Device") in _paths(found)
    assert ("$.Colour", "Device") in _paths(found)
    assert all(v.hint for v in found)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ConnectorDeviceName", "Küche Lampe_1"),
        ("ConnectorDeviceName", "灯 1"),
        ("ClusterId", "0X0006"),
        ("ClusterId", "6"),
        ("LambdaArn", "acme-connector"),
        ("LambdaArn", "arn:aws:lambda:us-east-1:123456789012:function:acme:$LATEST"),
        ("TokenUrl", "http://127.0.0.1:8080/token"),
    ],
)
def test_valid_values_pass(name, value) -> None:
    assert validate_shape(name, value) == []


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ConnectorDeviceName", "lamp/1"),
        ("ClusterId", "0x"),
        ("ClusterId", "6a"),
        ("TokenUrl", "http://localhost:8080/token"),
        ("CapabilityReportVersion", "1.0.0 "),
    ],
)
def test_whole_value_must_match(name, value) -> None:
    assert [v.rule for v in validate_shape(name, value)] == [name]


def test_sensitive_values_are_not_echoed_in_messages() -> None:
    (found,) = validate_input(
        "SendConnectorEvent", {"ConnectorId": "c", "Operation": "DEVICE_EVENT", "UserId": "secret person"}
    )
    assert "secret person" not in found.message
    assert '" "' in found.message  # the offending character is named instead
