"""A tiny connector for the emulator's lifecycle tests; ``FIXTURE_MODE`` picks its behaviour.

``normal``: ActivateUser asks the sandbox's userinfo endpoint; DiscoverDevices sends two pages (308, then
200) with two On/Off lights; SendCommand answers with the commanded OnOff value; DeactivateUser revokes
the token (RFC 7009). ``sleep``: DiscoverDevices outlives any budget. ``silent``: discovery is ACKed but
no event is ever sent. ``error``: DiscoverDevices ACKs 503.
"""

import base64
import json
import os
import time

import boto3
import requests

ATTEMPTS_FILE = os.environ.get("FIXTURE_ATTEMPTS_FILE", "")


def _ack(code=200, **payload):
    return {"header": {"responseCode": code}, "payload": payload}


def _vendor():
    return os.environ["VENDOR_API_URL"].rstrip("/")


def _user_id(token):
    response = requests.get(
        _vendor() + "/oauth/userinfo", headers={"Authorization": f"Bearer {token}"}, timeout=2
    )
    response.raise_for_status()
    return response.json()["sub"]


def _device(device_id, on):
    cluster = {
        "id": "0x0006",
        "revision": 6,
        "publicId": "matter.OnOff@1.4",
        "name": "OnOff",
        "attributes": [{"id": "0x0000", "name": "OnOff", "value": on}],
        "commands": ["0x00", "0x01", "0x02"],
    }
    report = {
        "version": "1.0.0",
        "endpoints": [{"id": "1", "deviceTypes": ["On/Off Light"], "clusters": [cluster]}],
    }
    return {
        "ConnectorDeviceId": device_id,
        "ConnectorDeviceName": f"Lamp {device_id}",
        "CapabilityReport": report,
        "DeviceMetadata": {"brand": "Fixture", "model": "L1"},
    }


def _send(connector_id, **members):
    client = boto3.client("iot-managed-integrations")
    client.send_connector_event(ConnectorId=connector_id, OperationVersion="1.0", **members)


def _discover(payload, user_id):
    did, cid = payload["deviceDiscoveryId"], payload["connectorId"]
    on = os.environ.get("FIXTURE_LAMP_ON", "false") == "true"
    _send(
        cid,
        Operation="DEVICE_DISCOVERY",
        UserId=user_id,
        DeviceDiscoveryId=did,
        StatusCode=308,
        Devices=[_device("lamp-1", on)],
    )
    _send(
        cid,
        Operation="DEVICE_DISCOVERY",
        UserId=user_id,
        DeviceDiscoveryId=did,
        StatusCode=200,
        Devices=[_device("lamp-2", False)],
    )


def _command(payload, user_id):
    commands = payload["endpoints"][0]["clusters"][0]["commands"]
    command = next(iter(commands[0]))
    value = {"0x00": False, "0x01": True}.get(command)
    endpoint = {"id": "1", "clusters": [{"id": "0x0006", "attributes": {"0x0000": value}}]}
    if command == "0xff01":
        endpoint["clusters"][0]["attributes"] = commands[0][command]
    _send(
        payload["connectorId"],
        Operation="DEVICE_COMMAND_RESPONSE",
        UserId=user_id,
        StatusCode=200,
        ConnectorDeviceId=payload["connectorDeviceId"],
        TraceId=payload["traceId"],
        MatterEndpoint=endpoint,
    )


def _revoke(token):
    secret = os.environ["FIXTURE_CLIENT_SECRET"]
    basic = base64.b64encode(f"c2c-sandbox-client:{secret}".encode()).decode()
    requests.post(
        _vendor() + "/oauth/revoke",
        data={"token": token},
        headers={"Authorization": f"Basic {basic}"},
        timeout=2,
    )


def handler(event, context):
    if ATTEMPTS_FILE:
        with open(ATTEMPTS_FILE, "a") as fh:
            fh.write(json.dumps(event["payload"]) + "\n")
    mode = os.environ.get("FIXTURE_MODE", "normal")
    payload, auth = event["payload"], event["header"]["auth"]
    operation = payload["operationName"]
    if auth["type"] == "GeneralAuthorization":
        return _ack(userId="api-key-user") if operation == "AWS.ActivateUser" else _ack()
    token = auth["token"]
    if operation == "AWS.DiscoverDevices" and mode == "sleep":
        time.sleep(30)
    if operation == "AWS.DiscoverDevices" and mode == "error":
        return _ack(503, responseMessage="vendor down")
    if operation == "AWS.DeactivateUser":
        _revoke(token)
        return _ack()
    user_id = _user_id(token)
    if operation == "AWS.ActivateUser":
        return _ack(userId=user_id)
    if operation == "AWS.DiscoverDevices" and mode != "silent":
        _discover(payload, user_id)
    if operation == "AWS.SendCommand":
        _command(payload, user_id)
    return _ack()
