"""SendConnectorEvent: signer = registering account, strict contract validation, the event log."""

from __future__ import annotations

import copy

import pytest
import requests

DEVICE_EVENT = {
    "Operation": "DEVICE_EVENT",
    "OperationVersion": "1.0",
    "StatusCode": 200,
    "UserId": "user-1",
    "ConnectorDeviceId": "lamp-1",
    "TraceId": "trace-1",
    "MatterEndpoint": {"id": "1", "clusters": [{"id": "0x0006", "attributes": {"0x0000": True}}]},
}
DISCOVERY = {
    "Operation": "DEVICE_DISCOVERY",
    "OperationVersion": "1.0",
    "StatusCode": 200,
    "UserId": "user-1",
    "DeviceDiscoveryId": "disc1",
    "Devices": [
        {
            "ConnectorDeviceId": "lamp-1",
            "ConnectorDeviceName": "Lamp",
            "CapabilityReport": {
                "version": "1.0.0",
                "nodeId": "1",
                "endpoints": [
                    {
                        "id": "1",
                        "deviceTypes": ["0x0100"],
                        "clusters": [
                            {
                                "id": "0x0006",
                                "revision": 4,
                                "publicId": "matter.OnOff@1.4",
                                "attributes": [{"id": "0x0000", "value": True}],
                                "commands": ["0x00", "0x01"],
                            }
                        ],
                    }
                ],
            },
        }
    ],
}


def test_accepted_event_answers_202_and_is_logged(client, emu, connector):
    out = client.send_connector_event(ConnectorId=connector, **DEVICE_EVENT)
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert out["ConnectorId"] == connector
    [record] = emu.events(connector_id=connector)
    assert record["verdict"] == "accepted"
    assert record["http_status"] == 202
    assert record["account_id"] == emu.account.account_id
    assert record["access_key_id"] == emu.account.access_key_id
    assert record["operation"] == "DEVICE_EVENT"
    assert record["body"]["ConnectorDeviceId"] == "lamp-1"
    assert record["request_id"] == out["ResponseMetadata"]["RequestId"]
    assert record["received_at"] > 0


def test_discovery_event_of_an_unknown_run_is_rejected(client, connector, error_of):
    # contract.md §4.7: a valid body for a DeviceDiscoveryId the emulator never started.
    code, status, response = error_of(lambda: client.send_connector_event(ConnectorId=connector, **DISCOVERY))
    assert (code, status) == ("ValidationException", 400)
    assert "is not a discovery of this connector" in response["Error"]["Message"]


def test_discovery_event_of_an_opened_run_is_accepted_once(client, emu, connector, error_of):
    did = emu.open_discovery(connector)
    out = client.send_connector_event(ConnectorId=connector, **{**DISCOVERY, "DeviceDiscoveryId": did})
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 202
    # The 200 page finished the run: a second final page is an error (contract.md §4.7).
    code, _, response = error_of(
        lambda: client.send_connector_event(ConnectorId=connector, **{**DISCOVERY, "DeviceDiscoveryId": did})
    )
    assert code == "ValidationException"
    assert "already SUCCEEDED" in response["Error"]["Message"]


def test_admin_endpoint_opens_a_discovery_run(client, emu, connector):
    answer = requests.post(
        emu.endpoint_url + "/_emulator/device-discoveries",
        json={"ConnectorId": connector},
        headers={"X-C2C-Emulator-Token": emu.admin_token},
        timeout=10,
    )
    assert answer.status_code == 201
    body = {**DISCOVERY, "DeviceDiscoveryId": answer.json()["DeviceDiscoveryId"]}
    assert (
        client.send_connector_event(ConnectorId=connector, **body)["ResponseMetadata"]["HTTPStatusCode"]
        == 202
    )


def _discovery_with(path, value):
    body = copy.deepcopy(DISCOVERY)
    target = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return body


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({**DEVICE_EVENT, "Operation": "FOO"}, "Operation"),
        ({**DEVICE_EVENT, "StatusCode": 600}, "StatusCode"),
        ({**DEVICE_EVENT, "Message": "it's broken"}, "Message"),
        (
            _discovery_with(["Devices", 0, "CapabilityReport", "version"], "1.0"),
            "Devices[0].CapabilityReport.version",
        ),
        (
            _discovery_with(
                ["Devices", 0, "CapabilityReport", "endpoints", 0, "clusters", 0, "revision"], 11
            ),
            "Devices[0].CapabilityReport.endpoints[0].clusters[0].revision",
        ),
    ],
)
def test_bodies_boto3_accepts_but_the_model_forbids_are_rejected(
    client, emu, connector, error_of, kwargs, field
):
    code, status, response = error_of(lambda: client.send_connector_event(ConnectorId=connector, **kwargs))
    assert (code, status) == ("ValidationException", 400)
    assert f"{field}:" in response["Error"]["Message"]
    record = emu.events(connector_id=connector)[-1]
    assert record["verdict"] == "rejected"
    assert record["error_code"] == "ValidationException"
    assert any(v["path"] == f"$.{field}" for v in record["violations"])


def test_every_violation_is_listed_in_one_message(client, connector, error_of):
    body = _discovery_with(["Devices", 0, "CapabilityReport", "version"], "1.0")
    body["StatusCode"] = 600
    code, _, response = error_of(lambda: client.send_connector_event(ConnectorId=connector, **body))
    message = response["Error"]["Message"]
    assert code == "ValidationException"
    assert message.startswith("2 validation errors detected: ")
    assert "StatusCode: " in message
    assert "Devices[0].CapabilityReport.version: " in message


def test_65_character_connector_id_is_a_validation_error(client, error_of):
    code, status, response = error_of(
        lambda: client.send_connector_event(ConnectorId="a" * 65, **DEVICE_EVENT)
    )
    assert (code, status) == ("ValidationException", 400)
    assert "ConnectorId:" in response["Error"]["Message"]


def test_unknown_connector_is_not_found(client, emu, error_of):
    code, status, response = error_of(
        lambda: client.send_connector_event(ConnectorId="nosuchconnector", **DEVICE_EVENT)
    )
    assert (code, status) == ("ResourceNotFoundException", 404)
    assert response["ResourceId"] == "nosuchconnector"
    assert emu.events(connector_id="nosuchconnector")[-1]["error_code"] == "ResourceNotFoundException"


def test_event_signed_by_another_account_is_denied(other_client, emu, connector, error_of):
    code, status, _ = error_of(
        lambda: other_client.send_connector_event(ConnectorId=connector, **DEVICE_EVENT)
    )
    assert (code, status) == ("AccessDeniedException", 403)
    record = emu.events(connector_id=connector)[-1]
    assert (record["verdict"], record["account_id"]) == ("rejected", "210987654321")


def test_unsigned_event_is_logged_as_rejected(emu, connector):
    import requests

    response = requests.post(
        f"{emu.endpoint_url}/connector-event/{connector}", json={"Operation": "DEVICE_EVENT"}, timeout=10
    )
    assert response.status_code == 403
    record = emu.events(connector_id=connector)[-1]
    assert (record["verdict"], record["error_code"], record["account_id"]) == (
        "rejected",
        "MissingAuthenticationTokenException",
        None,
    )


def test_lenient_emulator_accepts_warnings_and_keeps_them(make_client, error_of):
    from c2c_cli.emulator import EmulatorSettings, start_emulator

    with start_emulator(EmulatorSettings(with_moto=False, strict_events=False)) as emu:
        client = make_client(emu)
        cid = client.create_cloud_connector(Name="lenient", EndpointConfig={"lambda": {"arn": "lenient"}})[
            "Id"
        ]
        body = {k: v for k, v in DEVICE_EVENT.items() if k != "OperationVersion"}
        assert (
            client.send_connector_event(ConnectorId=cid, **body)["ResponseMetadata"]["HTTPStatusCode"] == 202
        )
        record = emu.events(connector_id=cid)[-1]
        assert record["verdict"] == "accepted"
        assert {v["severity"] for v in record["violations"]} == {"warning"}
