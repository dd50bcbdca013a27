"""AWS.DiscoverDevices: paging, chunking, StatusCode 300/200, the connectorDeviceIdList filter."""

from __future__ import annotations

import pytest

from tests.conftest import CONNECTOR_ID, USER
from tests.fake_vendor import STATES

DISCOVERY_ID = "d2a6f0c4e1b34c9f8a7e5d3c2b1a0f9e"


def test_reports_every_supported_kind_in_one_final_event(invoke, fake, auth, sent):
    ids = [fake.add_device(kind, USER) for kind in STATES]

    response = invoke("AWS.DiscoverDevices", deviceDiscoveryId=DISCOVERY_ID, connectorDeviceIdList=[])

    assert response["header"]["responseCode"] == 200
    (event,) = sent
    assert event["Operation"] == "DEVICE_DISCOVERY"
    assert event["ConnectorId"] == CONNECTOR_ID
    assert event["UserId"] == USER
    assert event["DeviceDiscoveryId"] == DISCOVERY_ID
    assert event["StatusCode"] == 200
    assert [d["ConnectorDeviceId"] for d in event["Devices"]] == ids


def test_a_device_carries_its_capability_report_and_metadata(invoke, fake, auth, sent):
    fake.add_device("dimmable_light", USER, brightness=100)

    invoke("AWS.DiscoverDevices", deviceDiscoveryId=DISCOVERY_ID)

    (device,) = sent[0]["Devices"]
    endpoint = device["CapabilityReport"]["endpoints"][0]
    assert device["CapabilityReport"]["version"] == "1.0.0"
    assert endpoint["deviceTypes"] == ["Dimmable Light"]
    level = next(c for c in endpoint["clusters"] if c["id"] == "0x0008")
    assert {"id": "0x0000", "name": "CurrentLevel", "value": 254} in level["attributes"]
    assert level["commands"] == ["0x00", "0x04"]
    assert device["DeviceMetadata"]["kind"] == "dimmable_light"


def test_pages_become_300_events_then_a_final_200(invoke, fake, auth, sent):
    for _ in range(250):
        fake.add_device("plug", USER)

    response = invoke("AWS.DiscoverDevices", deviceDiscoveryId=DISCOVERY_ID)

    assert response["header"]["responseCode"] == 200
    assert [e["StatusCode"] for e in sent] == [300, 300, 200]
    assert [len(e["Devices"]) for e in sent] == [100, 100, 50]
    assert len({d["ConnectorDeviceId"] for e in sent for d in e["Devices"]}) == 250
    assert [c.query.get("cursor") is None for c in fake.calls_to("GET", "/v1/devices")] == [True, False, False]


def test_the_filter_keeps_only_listed_devices(invoke, fake, auth, sent):
    ids = [fake.add_device("on_off_light", USER) for _ in range(5)]

    invoke("AWS.DiscoverDevices", deviceDiscoveryId=DISCOVERY_ID, connectorDeviceIdList=[ids[1], ids[3], "dev-unknown"])

    assert [d["ConnectorDeviceId"] for d in sent[0]["Devices"]] == [ids[1], ids[3]]


def test_unsupported_kinds_are_skipped_and_counted(invoke, fake, auth, sent):
    fake.add_device("plug", USER)
    robot = fake.add_device("plug", USER)
    fake.devices[robot]["kind"] = "robot_vacuum"

    response = invoke("AWS.DiscoverDevices", deviceDiscoveryId=DISCOVERY_ID)

    assert len(sent[0]["Devices"]) == 1
    assert "skipped 1 unsupported" in response["payload"]["responseMessage"]


def test_only_the_callers_devices_are_reported(invoke, fake, auth, sent):
    mine = fake.add_device("plug", USER)
    fake.add_device("plug", "user-0002")

    invoke("AWS.DiscoverDevices", deviceDiscoveryId=DISCOVERY_ID)

    assert [d["ConnectorDeviceId"] for d in sent[0]["Devices"]] == [mine]


@pytest.mark.no_capture  # an empty final event is a documented warning ("fine for an account without devices")
def test_no_devices_still_completes_with_an_empty_final_event(invoke, fake, auth, sent):
    response = invoke("AWS.DiscoverDevices", deviceDiscoveryId=DISCOVERY_ID)

    assert response["header"]["responseCode"] == 200
    assert [(e["StatusCode"], e["Devices"]) for e in sent] == [(200, [])]


@pytest.mark.parametrize(
    "payload", [{}, {"deviceDiscoveryId": "not-alnum!"}, {"deviceDiscoveryId": "a", "connectorDeviceIdList": "x"}]
)
def test_malformed_payload_is_a_400(invoke, fake, auth, sent, payload):
    response = invoke("AWS.DiscoverDevices", **payload)

    assert response["header"]["responseCode"] == 400
    assert sent == []
