"""Events the connector sends after its ACK (a continuation, a slow vendor) are still captured and checked.

The capture waits on the emulator's announcements of new event-log records (issue 15), not on a poll:
these connectors ACK first and send from a thread afterwards, so the closing event is always late.
"""

from collections.abc import Callable
from pathlib import Path

from c2c_cli.simulate import SessionOptions, SimulationSettings, simulation
from c2c_cli.simulate.messages import command_endpoints

LATE = """
import os, threading, time
import boto3

def _report():
    cluster = {"id": "0x0006", "revision": 6, "commands": ["0x00", "0x01", "0x02"],
               "attributes": [{"id": "0x0000", "name": "OnOff", "value": False}]}
    return {"version": "1.0.0", "endpoints": [{"id": "1", "deviceTypes": ["On/Off Light"], "clusters": [cluster]}]}

def _later(client, bodies):
    for body in bodies:
        time.sleep(0.1)
        client.send_connector_event(**body)

def handler(event, context):
    p = event["payload"]
    client = boto3.client("iot-managed-integrations", endpoint_url=os.environ["AWS_ENDPOINT_URL_IOT_MANAGED_INTEGRATIONS"])
    base = {"ConnectorId": p["connectorId"], "OperationVersion": "1.0"}
    if p["operationName"] == "AWS.DiscoverDevices":
        page = {**base, "Operation": "DEVICE_DISCOVERY", "DeviceDiscoveryId": p["deviceDiscoveryId"]}
        device = lambda i: {"ConnectorDeviceId": f"d{i}", "ConnectorDeviceName": "Lamp", "CapabilityReport": _report()}
        bodies = [{**page, "StatusCode": 300, "Devices": [device(1)]}, {**page, "StatusCode": 200, "Devices": [device(2)]}]
    elif p["operationName"] == "AWS.SendCommand":
        response = {**base, "Operation": "DEVICE_COMMAND_RESPONSE", "StatusCode": 200, "ConnectorDeviceId": p["connectorDeviceId"],
                    "TraceId": p["traceId"], "MatterEndpoint": {"id": "1", "clusters": [{"id": "0x0006", "attributes": {"0x0000": True}}]}}
        # EXTRA: a second, stray response after the closing one.
        bodies = [response, {**response, "TraceId": "stray"}] if os.environ.get("EXTRA") else [response]
    else:
        return {"header": {"responseCode": 200}, "payload": {"userId": "u1"}}
    threading.Thread(target=_later, args=(client, bodies)).start()
    return {"header": {"responseCode": 200}, "payload": {}}
"""
CONFIG = """connector:
  name: late
  handler: app:handler
  auth: oauth2
oauth:
  authorization_url: http://127.0.0.1:9/authorize
  token_url: http://127.0.0.1:9/token
  client_id: late
"""


def _late_project(handler_project: Callable[[str], Path]) -> Path:
    project = handler_project(LATE)
    (project / "c2c.yaml").write_text(CONFIG)
    return project


def test_pages_and_responses_sent_after_the_ack_are_captured(handler_project: Callable[[str], Path]) -> None:
    options = SessionOptions(token="late-token", settings=SimulationSettings(wait_s=30.0))
    with simulation(_late_project(handler_project), options) as sim:
        assert sim.activate().ok
        discovered = sim.discover()
        assert discovered.ok, discovered.violations
        assert [e.body["StatusCode"] for e in discovered.events] == [300, 200]
        assert [d["ConnectorDeviceId"] for d in sim.devices] == ["d1", "d2"]
        commanded = sim.command("d1", command_endpoints("1", "OnOff", "On", []))
        assert commanded.ok, commanded.violations
        assert [e.body["TraceId"] for e in commanded.events] == [commanded.request["payload"]["traceId"]]


def test_an_event_after_the_closing_one_goes_to_the_next_read(handler_project: Callable[[str], Path]) -> None:
    options = SessionOptions(token="late-token", env={"EXTRA": "1"}, settings=SimulationSettings(wait_s=30.0))
    with simulation(_late_project(handler_project), options) as sim:
        commanded = sim.command("d1", command_endpoints("1", "OnOff", "On", []))
        assert commanded.ok, commanded.violations
        assert len(commanded.events) == 1  # the wait ends at the closing response, no grace period
        late = sim.collect(30.0, lambda events: bool(events))
        assert [e.body["TraceId"] for e in late] == ["stray"]
