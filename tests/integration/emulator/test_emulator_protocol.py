"""Protocol fidelity: routes and codes come from the model; unknown operations; rest-json errors."""

from __future__ import annotations

import json

import pytest
import requests
from requests_aws4auth import AWS4Auth

from c2c_cli.contract import model
from c2c_cli.emulator.operations.table import EMULATED_OPERATIONS


def _auth(emu):
    return AWS4Auth(
        emu.account.access_key_id, emu.account.secret_access_key, emu.region, "iotmanagedintegrations"
    )


@pytest.mark.parametrize("operation", EMULATED_OPERATIONS)
def test_every_emulated_operation_is_in_the_model(operation):
    assert operation in model()["x-operations"]


def test_not_emulated_operation_is_a_clear_404(client, error_of):
    code, status, response = error_of(lambda: client.list_credential_lockers())
    assert (code, status) == ("UnknownOperationException", 404)
    assert "ListCredentialLockers is not emulated" in response["Error"]["Message"]


def test_unknown_path_is_404_after_auth(emu):
    response = requests.get(emu.endpoint_url + "/no-such-thing", auth=_auth(emu), timeout=10)
    assert response.status_code == 404
    assert response.headers["x-amzn-ErrorType"] == "UnknownOperationException"
    assert requests.get(emu.endpoint_url + "/no-such-thing", timeout=10).status_code == 403


def test_error_wire_format(emu):
    response = requests.get(emu.endpoint_url + "/cloud-connectors/missing", auth=_auth(emu), timeout=10)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["x-amzn-ErrorType"] == "ResourceNotFoundException"
    assert response.headers["x-amzn-RequestId"]
    assert response.json() == {
        "Message": "CloudConnector missing not found",
        "ResourceId": "missing",
        "ResourceType": "CloudConnector",
    }


def test_invalid_json_body_is_a_validation_error(emu):
    response = requests.post(
        emu.endpoint_url + "/cloud-connectors",
        data=b"{not json",
        auth=_auth(emu),
        timeout=10,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.headers["x-amzn-ErrorType"] == "ValidationException"


def test_unknown_body_member_is_named(emu):
    body = {"Name": "x", "EndpointConfig": {"lambda": {"arn": "x"}}, "Colour": "red"}
    response = requests.post(emu.endpoint_url + "/cloud-connectors", json=body, auth=_auth(emu), timeout=10)
    assert response.status_code == 400
    assert "Colour" in response.json()["Message"]


def test_204_has_an_empty_body(emu, connector, destination):
    body = json.dumps({"Description": "x"})
    response = requests.put(
        f"{emu.endpoint_url}/connector-destinations/{destination}",
        data=body,
        auth=_auth(emu),
        timeout=10,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 204
    assert response.content == b""


def test_non_numeric_max_results_is_a_validation_error(emu):
    response = requests.get(
        emu.endpoint_url + "/cloud-connectors", params={"MaxResults": "ten"}, auth=_auth(emu), timeout=10
    )
    assert response.status_code == 400
    assert "MaxResults" in response.json()["Message"]


CALLS = {
    "CreateCloudConnector": {"Name": "n", "EndpointConfig": {"lambda": {"arn": "f"}}},
    "GetCloudConnector": {"Identifier": "x"},
    "ListCloudConnectors": {},
    "UpdateCloudConnector": {"Identifier": "x", "Name": "n"},
    "DeleteCloudConnector": {"Identifier": "x"},
    "CreateConnectorDestination": {
        "CloudConnectorId": "x",
        "AuthConfig": {
            "oAuth": {
                "authUrl": "https://a.example.com/a",
                "tokenUrl": "https://a.example.com/t",
                "tokenEndpointAuthenticationScheme": "HTTP_BASIC",
            }
        },
    },
    "GetConnectorDestination": {"Identifier": "x"},
    "ListConnectorDestinations": {},
    "UpdateConnectorDestination": {"Identifier": "x", "Name": "n"},
    "DeleteConnectorDestination": {"Identifier": "x"},
    "CreateAccountAssociation": {"ConnectorDestinationId": "x"},
    "GetAccountAssociation": {"AccountAssociationId": "x"},
    "ListAccountAssociations": {},
    "UpdateAccountAssociation": {"AccountAssociationId": "x", "Name": "n"},
    "DeleteAccountAssociation": {"AccountAssociationId": "x"},
    "SendConnectorEvent": {"ConnectorId": "x", "Operation": "DEVICE_EVENT"},
    "StartAccountAssociationRefresh": {"AccountAssociationId": "x"},
    "StartDeviceDiscovery": {"DiscoveryType": "CLOUD", "AccountAssociationId": "x"},
    "GetDeviceDiscovery": {"Identifier": "x"},
    "ListDiscoveredDevices": {"Identifier": "x"},
    "CreateManagedThing": {
        "Role": "DEVICE",
        "AuthenticationMaterial": "CLOUD:x:d",
        "AuthenticationMaterialType": "DISCOVERED_DEVICE",
    },
    "GetManagedThing": {"Identifier": "x"},
    "ListManagedThings": {},
    "GetManagedThingCapabilities": {"Identifier": "x"},
    "GetManagedThingState": {"ManagedThingId": "x"},
    "DeleteManagedThing": {"Identifier": "x"},
    "RegisterAccountAssociation": {
        "ManagedThingId": "x",
        "AccountAssociationId": "x",
        "DeviceDiscoveryId": "x",
    },
    "DeregisterAccountAssociation": {"ManagedThingId": "x", "AccountAssociationId": "x"},
    "SendManagedThingCommand": {
        "ManagedThingId": "x",
        "Endpoints": [
            {
                "endpointId": "1",
                "capabilities": [
                    {"id": "matter.OnOff@1.4", "name": "OnOff", "version": "1", "actions": [{"name": "On"}]}
                ],
            }
        ],
    },
}


def _snake(name):
    import re

    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def test_calls_cover_every_emulated_operation():
    assert set(CALLS) == set(EMULATED_OPERATIONS)


@pytest.fixture(scope="module")
def throttled():
    from c2c_cli.emulator import EmulatorSettings, start_emulator

    with start_emulator(EmulatorSettings(with_moto=False, throttle_rate=1.0)) as emulator:
        yield emulator


@pytest.mark.parametrize("operation", sorted(CALLS))
def test_every_operation_surfaces_throttling_as_the_modeled_exception(throttled, make_client, operation):
    client = make_client(throttled)
    with pytest.raises(client.exceptions.ThrottlingException) as info:
        getattr(client, _snake(operation))(**CALLS[operation])
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429


LONG_FIELD = {
    op: next(
        (
            k
            for k in (
                "Identifier",
                "AccountAssociationId",
                "ConnectorId",
                "ConnectorDestinationId",
                "CloudConnectorId",
                "ManagedThingId",
                "Name",
                "AuthenticationMaterial",
            )
            if k in kwargs
        ),
        "MaxResults",
    )
    for op, kwargs in CALLS.items()
}


@pytest.mark.parametrize("operation", sorted(CALLS))
def test_every_operation_rejects_an_over_long_id_or_too_many_results(client, error_of, operation):
    key = LONG_FIELD[operation]
    kwargs = {**CALLS[operation], key: 5000 if key == "MaxResults" else "a" * 600}
    code, status, response = error_of(lambda: getattr(client, _snake(operation))(**kwargs))
    assert (code, status) == ("ValidationException", 400)
    assert f"{key}:" in response["Error"]["Message"]
