"""Lambda requests and ACKs (contract.md §2-3)."""

import pytest

from c2c_cli.contract import check_ack, check_request
from c2c_cli.contract.builders import general_auth, oauth_auth, request

ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:acme-key-AbCdEf"
VERSION = "a1b2c3d4-5678-90ab-cdef-1234567890ab"


def _rules(found):
    return {(v.path, v.rule, v.severity) for v in found}


@pytest.mark.parametrize("auth", [oauth_auth("eyJhbGciOi.eyJzdWIi.sig"), general_auth(ARN, VERSION)])
def test_built_requests_are_valid(auth) -> None:
    assert check_request(request("AWS.ActivateUser", auth, "conn-1")) == []
    assert check_request(request("AWS.DiscoverDevices", auth, "conn-1", deviceDiscoveryId="abc123")) == []


def test_auth_type_and_exclusive_members() -> None:
    doc = request("AWS.ActivateUser", {"type": "OAuth", "token": "t"}, "c")
    assert ("$.header.auth.type", "request.auth-type", "error") in _rules(check_request(doc))
    doc = request("AWS.ActivateUser", {**oauth_auth("t"), "secretsManager": {}}, "c")
    assert ("$.header.auth.secretsManager", "request.auth-exclusive", "error") in _rules(check_request(doc))
    doc = request("AWS.ActivateUser", {"type": "GeneralAuthorization"}, "c")
    assert ("$.header.auth.secretsManager", "request.auth-secret", "error") in _rules(check_request(doc))


def test_token_with_non_base64_characters_is_a_warning() -> None:
    found = check_request(request("AWS.ActivateUser", oauth_auth("tok en!"), "c"))
    assert ("$.header.auth.token", "request.token-format", "warning") in _rules(found)


def test_unknown_operation_and_missing_common_fields() -> None:
    doc = {"header": {"auth": oauth_auth("t")}, "payload": {"operationName": "AWS.Reboot"}}
    found = _rules(check_request(doc))
    assert ("$.payload.operationName", "request.operation-name", "error") in found
    assert ("$.payload.connectorId", "request.missing-field", "error") in found
    assert ("$.payload.operationVersion", "request.missing-field", "error") in found


def test_discovery_id_and_filter_follow_the_model() -> None:
    doc = request(
        "AWS.DiscoverDevices",
        oauth_auth("t"),
        "c",
        deviceDiscoveryId="a-b",
        connectorDeviceIdList=["ok", "b a"],
    )
    found = _rules(check_request(doc))
    assert ("$.payload.deviceDiscoveryId", "DeviceDiscoveryId", "error") in found
    assert ("$.payload.connectorDeviceIdList[1]", "ConnectorDeviceId", "error") in found


@pytest.mark.parametrize("not_a_request", [None, [], "x", {"header": {}}, {"payload": {}}])
def test_non_requests(not_a_request) -> None:
    assert [v.rule for v in check_request(not_a_request)] == ["request.shape"]


def test_activate_user_ack_needs_an_echoable_user_id() -> None:
    assert (
        check_ack({"header": {"responseCode": 200}, "payload": {"userId": "u-1"}}, "AWS.ActivateUser") == []
    )
    found = check_ack({"header": {"responseCode": 200}, "payload": {}}, "AWS.ActivateUser")
    assert [v.rule for v in found] == ["ack.user-id-required"]
    found = check_ack(
        {"header": {"responseCode": 200}, "payload": {"userId": "John Smith"}}, "AWS.ActivateUser"
    )
    assert [v.rule for v in found] == ["ack.user-id-echoable"]
    # A failed activation needs no userId.
    assert (
        check_ack(
            {"header": {"responseCode": 401}, "payload": {"responseMessage": "token expired"}},
            "AWS.ActivateUser",
        )
        == []
    )


@pytest.mark.parametrize(
    ("code", "rule"),
    [
        ("200", "ack.response-code-type"),
        (True, "ack.response-code-type"),
        (700, "ack.response-code-range"),
        (None, "ack.response-code-type"),
    ],
)
def test_response_code_is_an_integer_status(code, rule) -> None:
    assert [v.rule for v in check_ack({"header": {"responseCode": code}})] == [rule]


def test_non_200_without_message_and_unusual_2xx_warn() -> None:
    found = _rules(check_ack({"header": {"responseCode": 204}}))
    assert ("$.header.responseCode", "ack.response-code-2xx", "warning") in found
    assert ("$.payload.responseMessage", "ack.error-message", "warning") in found
