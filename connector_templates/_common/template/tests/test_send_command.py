"""AWS.SendCommand: every mapped Matter command, both request shapes, idempotency and failures."""

from __future__ import annotations

import json
import time

import pytest

from connector import webhook
from tests.conftest import CONNECTOR_ID, USER

ON = ("on", {})
CASES = {
    # id: (kind, state, cluster, command, fields, vendor commands, expected attributes per cluster)
    "onoff-off": ("on_off_light", {"on": True}, "0x0006", "0x00", {}, [("off", {})], {"0x0006": {"0x0000": False}}),
    "onoff-on": ("on_off_light", {"on": False}, "0x0006", "0x01", {}, [ON], {"0x0006": {"0x0000": True}}),
    "onoff-toggle": ("plug", {"on": True}, "0x0006", "0x02", {}, [("toggle", {})], {"0x0006": {"0x0000": False}}),
    "onoff-update-state": (
        "plug",
        {"on": False},
        "0x0006",
        "0xff01",
        {"0x0000": True},
        [ON],
        {"0x0006": {"0x0000": True}},
    ),
    "level-move": (
        "dimmable_light",
        {"brightness": 10},
        "0x0008",
        "0x00",
        {"0x0000": 127},
        [("set_brightness", {"brightness": 50})],
        {"0x0008": {"0x0000": 127}},
    ),
    "level-move-with-onoff": (
        "dimmable_light",
        {"on": False, "brightness": 10},
        "0x0008",
        "0x04",
        {"0x0000": 254, "0x0001": 0},
        [("set_brightness", {"brightness": 100}), ON],
        {"0x0008": {"0x0000": 254}, "0x0006": {"0x0000": True}},
    ),
    "level-move-with-onoff-to-zero": (
        "dimmable_light",
        {"on": True},
        "0x0008",
        "0x04",
        {"0x0000": 0},
        [("off", {})],
        {"0x0006": {"0x0000": False}},
    ),
    "color-temperature": (
        "color_light",
        {"color_temperature": 2700, "color_mode": "hs"},
        "0x0300",
        "0x0a",
        {"0x0000": 250, "0x0001": 0},
        [("set_color_temperature", {"kelvin": 4000})],
        {"0x0300": {"0x0007": 250, "0x0008": 2}},
    ),
    "color-hue-saturation": (
        "color_light",
        {},
        "0x0300",
        "0x06",
        {"0x0000": 127, "0x0001": 254, "0x0002": 0},
        [("set_hue_saturation", {"hue": 180, "saturation": 100})],
        {"0x0300": {"0x0000": 127, "0x0001": 254, "0x0008": 0}},
    ),
    "fan-mode-as-string": (
        "fan",
        {},
        "0x0202",
        "0xff01",
        {"0x0000": "3"},
        [("set_fan_mode", {"mode": "high"})],
        {"0x0202": {"0x0000": 3}},
    ),
    "fan-percent": (
        "fan",
        {},
        "0x0202",
        "0xff01",
        {"0x0002": 40},
        [("set_speed", {"percent": 40})],
        {"0x0202": {"0x0002": 40, "0x0003": 40}},
    ),
    "fan-step-up": (
        "fan",
        {},
        "0x0202",
        "0x00",
        {"0x0000": 0},
        [("set_fan_mode", {"mode": "low"})],
        {"0x0202": {"0x0000": 1}},
    ),
    "thermostat-heat-setpoint": (
        "thermostat",
        {},
        "0x0201",
        "0xff01",
        {"0x0012": 2150},
        [("set_target_temperature", {"heat": 21.5})],
        {"0x0201": {"0x0012": 2150}},
    ),
    "thermostat-system-mode": (
        "thermostat",
        {},
        "0x0201",
        "0xff01",
        {"0x001c": 3},
        [("set_mode", {"mode": "cool"})],
        {"0x0201": {"0x001c": 3}},
    ),
    "thermostat-raise": (
        "thermostat",
        {},
        "0x0201",
        "0x00",
        {"0x0000": 0, "0x0001": 10},
        [("set_target_temperature", {"heat": 21.0})],
        {"0x0201": {"0x0012": 2100}},
    ),
    "lock": ("door_lock", {"locked": False}, "0x0101", "0x00", {}, [("lock", {})], {"0x0101": {"0x0000": 1}}),
    "unlock": ("door_lock", {"locked": True}, "0x0101", "0x01", {}, [("unlock", {})], {"0x0101": {"0x0000": 2}}),
    "cover-up": ("window_covering", {"position": 0}, "0x0102", "0x00", {}, [("open", {})], {"0x0102": {"0x000e": 0}}),
    "cover-down": (
        "window_covering",
        {"position": 100},
        "0x0102",
        "0x01",
        {},
        [("close", {})],
        {"0x0102": {"0x000e": 10000}},
    ),
    "cover-stop": (
        "window_covering",
        {"position": 100},
        "0x0102",
        "0x02",
        {},
        [("stop", {})],
        {"0x0102": {"0x000e": 0}},
    ),
    "cover-lift": (
        "window_covering",
        {"position": 0},
        "0x0102",
        "0x05",
        {"0x0000": 2500},
        [("set_position", {"position": 75})],
        {"0x0102": {"0x000e": 2500}},
    ),
    "read-state": ("thermostat", {}, "0x0201", "0xff02", {"0x0000": None}, [], {"0x0201": {"0x0000": 2150}}),
    "read-state-everything": (
        "temperature_sensor",
        {},
        "0x0402",
        "0xff02",
        {},
        [],
        {"0x0402": {"0x0000": 2150, "0x0001": -4000, "0x0002": 8500}},
    ),
}


def endpoints(cluster: str, command: str, fields: dict, shape: str = "list") -> list[dict]:
    commands = [{command: fields}] if shape == "list" else {command: fields}
    return [{"id": "1", "clusters": [{"id": cluster, "commands": commands}]}]


def vendor_commands(fake):
    return [(c.body["command"], c.body["params"]) for c in fake.calls_to("POST", "/v1/devices/")]


@pytest.mark.parametrize("shape", ["list", "map"])
@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_matter_command_reaches_the_vendor_and_the_result_is_reported(invoke, fake, auth, sent, case, shape):
    kind, state, cluster, command, fields, expected_calls, expected = CASES[case]
    device = fake.add_device(kind, USER, **state)

    response = invoke(
        "AWS.SendCommand",
        connectorDeviceId=device,
        traceId="trace-0001",
        endpoints=endpoints(cluster, command, fields, shape),
    )

    assert response == {"header": {"responseCode": 200}, "payload": {}}
    assert vendor_commands(fake) == expected_calls
    (event,) = sent
    assert (event["Operation"], event["TraceId"], event["ConnectorDeviceId"]) == (
        "DEVICE_COMMAND_RESPONSE",
        "trace-0001",
        device,
    )
    assert (event["ConnectorId"], event["UserId"], event["StatusCode"]) == (CONNECTOR_ID, USER, 200)
    reported = {c["id"]: c["attributes"] for c in event["MatterEndpoint"]["clusters"]}
    for cluster_id, attributes in expected.items():
        assert attributes.items() <= reported[cluster_id].items()


def test_trace_id_is_the_idempotency_key_so_a_retry_applies_and_responds_once(invoke, fake, auth, sent):
    device = fake.add_device("plug", USER, on=True)
    request = {"connectorDeviceId": device, "traceId": "trace-retry", "endpoints": endpoints("0x0006", "0x02", {})}

    first = invoke("AWS.SendCommand", **request)
    second = invoke("AWS.SendCommand", **request)

    assert first["header"]["responseCode"] == second["header"]["responseCode"] == 200
    posts = fake.calls_to("POST", "/v1/devices/")
    assert [c.headers["idempotency-key"] for c in posts] == ["trace-retry", "trace-retry"]
    assert len(fake.commands) == 1
    assert fake.devices[device]["state"]["on"] is False  # toggled once, not twice
    assert [e["TraceId"] for e in sent] == ["trace-retry"]  # the retry finds the response sent


def test_several_vendor_commands_get_distinct_derived_keys(invoke, fake, auth, sent):
    device = fake.add_device("dimmable_light", USER, on=False)

    invoke(
        "AWS.SendCommand",
        connectorDeviceId=device,
        traceId="t-2",
        endpoints=endpoints("0x0008", "0x04", {"0x0000": 127}),
    )

    assert [c.headers["idempotency-key"] for c in fake.calls_to("POST", "/v1/devices/")] == ["t-2.0", "t-2.1"]


def test_several_clusters_in_one_request(invoke, fake, auth, sent):
    device = fake.add_device("color_light", USER, on=False)
    request = [
        {
            "id": "1",
            "clusters": [
                {"id": "0x0006", "commands": [{"0x01": {}}]},
                {"id": "0x0008", "commands": {"0x00": {"0x0000": 254}}},
            ],
        }
    ]

    invoke("AWS.SendCommand", connectorDeviceId=device, traceId="t-3", endpoints=request)

    assert vendor_commands(fake) == [ON, ("set_brightness", {"brightness": 100})]
    assert {c["id"] for c in sent[0]["MatterEndpoint"]["clusters"]} == {"0x0006", "0x0008"}


def test_unknown_device_is_a_404(invoke, fake, auth, sent):
    response = invoke(
        "AWS.SendCommand", connectorDeviceId="dev-nope", traceId="t", endpoints=endpoints("0x0006", "0x01", {})
    )

    assert response["header"]["responseCode"] == 404
    assert sent == []


@pytest.mark.parametrize(
    ("cluster", "command", "fields"),
    [
        ("0x0006", "0x40", {}),
        ("0x0300", "0x06", {}),
        ("0x0006", "0xff01", {"0x4003": 1}),
        ("0x0008", "0x00", {"0x0000": "high"}),
    ],
    ids=["unsupported-command", "cluster-not-on-device", "read-only-attribute", "bad-field-value"],
)
def test_untranslatable_command_is_a_400_and_nothing_is_sent(invoke, fake, auth, sent, cluster, command, fields):
    device = fake.add_device("dimmable_light", USER)

    response = invoke(
        "AWS.SendCommand", connectorDeviceId=device, traceId="t", endpoints=endpoints(cluster, command, fields)
    )

    assert response["header"]["responseCode"] == 400
    assert vendor_commands(fake) == []
    assert sent == []


@pytest.mark.parametrize(
    "payload",
    [
        {"traceId": "t", "endpoints": []},
        {"connectorDeviceId": "dev-1", "endpoints": []},
        {"connectorDeviceId": "dev-1", "traceId": "t", "endpoints": [{"id": "1"}]},
        {
            "connectorDeviceId": "dev-1",
            "traceId": "t",
            "endpoints": [{"id": "1", "clusters": [{"id": "0x0006", "commands": [{"0x01": {}, "0x00": {}}]}]}],
        },
    ],
    ids=["no-device", "no-trace", "no-clusters", "multi-key-command-item"],
)
def test_malformed_command_request_is_a_400(invoke, fake, auth, sent, payload):
    assert invoke("AWS.SendCommand", **payload)["header"]["responseCode"] == 400


def test_a_command_the_vendor_fails_is_a_409_without_event(invoke, fake, auth, sent):
    fake.apply_commands = "failed"
    device = fake.add_device("door_lock", USER, door_open=True)

    response = invoke(
        "AWS.SendCommand", connectorDeviceId=device, traceId="t", endpoints=endpoints("0x0101", "0x00", {})
    )

    assert response["header"]["responseCode"] == 409
    assert sent == []


def test_a_slow_vendor_result_arrives_through_the_webhook(invoke, fake, auth, sent, monkeypatch):
    monkeypatch.setenv("COMMAND_RESULT_WAIT_MS", "30")
    monkeypatch.setenv("VENDOR_WEBHOOK_SECRET", "whsec-test-secret")
    fake.apply_commands = "accepted"
    device = fake.add_device("on_off_light", USER, on=False)
    invoke("AWS.ActivateUser")

    response = invoke(
        "AWS.SendCommand", connectorDeviceId=device, traceId="trace-slow", endpoints=endpoints("0x0006", "0x01", {})
    )
    assert response["header"]["responseCode"] == 200
    assert sent == []

    body = json.dumps(
        {
            "event_id": "evt-1",
            "type": "device.state_changed",
            "device_id": device,
            "user_id": USER,
            "state": {"on": True},
            "changed": {"on": True},
            "cause": "command",
            "command_id": "cmd-0001",
        }
    )
    stamp = str(int(time.time()))
    headers = {
        "X-Sandbox-Timestamp": stamp,
        "X-Sandbox-Signature": webhook.sign("whsec-test-secret", stamp, body.encode()),
    }
    reply = webhook.lambda_handler({"headers": headers, "body": body, "isBase64Encoded": False}, None)

    assert reply["statusCode"] == 200
    (event,) = sent
    assert (event["Operation"], event["TraceId"]) == ("DEVICE_COMMAND_RESPONSE", "trace-slow")
    assert event["MatterEndpoint"]["clusters"] == [{"id": "0x0006", "attributes": {"0x0000": True}}]
