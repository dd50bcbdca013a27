"""Valid sample documents of every kind, for ``c2c events new`` (like ``sam local generate-event``)."""

from __future__ import annotations

from typing import Any

import c2c_cli.contract.builders as builders
from c2c_cli.contract.document import KINDS
from c2c_cli.errors import UsageError

__all__ = ["SAMPLE_CONNECTOR_ID", "new_sample", "sample_devices"]

SAMPLE_CONNECTOR_ID = "c2c-sample-connector"
SAMPLE_USER_ID = "user-0001"
SAMPLE_DISCOVERY_ID = "d2a6f0c4e1b34c9f8a7e5d3c2b1a0f9e"
SAMPLE_TRACE_ID = "trace-5f2b8c1d-9e4a-4b7c-8d6e-1a2b3c4d5e6f"
SAMPLE_TOKEN = "ZXhhbXBsZS1hY2Nlc3MtdG9rZW4tbm90LWEtc2VjcmV0"  # base64 of an obviously fake token
SAMPLE_SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:c2c-sample-api-key-AbCdEf"
SAMPLE_SECRET_VERSION = "a1b2c3d4-5678-90ab-cdef-1234567890ab"


def sample_devices(count: int) -> list[dict[str, Any]]:
    """``count`` discovered devices cycling through every sample kind (contract.md §4.5)."""
    from c2c_cli.matter import SAMPLE_KINDS, sample_capability_report

    devices = []
    for i in range(count):
        kind = SAMPLE_KINDS[i % len(SAMPLE_KINDS)]
        devices.append(
            {
                "ConnectorDeviceId": f"dev-{i + 1:05d}",
                "ConnectorDeviceName": f"{kind.replace('_', ' ').title()} {i + 1}",
                "CapabilityReport": sample_capability_report(kind),
            }
        )
    return devices


def _auth(general: bool) -> dict[str, Any]:
    if general:
        return builders.general_auth(SAMPLE_SECRET_ARN, SAMPLE_SECRET_VERSION)
    return builders.oauth_auth(SAMPLE_TOKEN)


def _command_endpoints() -> list[dict[str, Any]]:
    # The documented list form of commands (contract.md §3.3, §5.4 policy 2): OnOff On on endpoint 1.
    return [{"id": "1", "clusters": [{"id": "0x0006", "commands": [{"0x01": {}}]}]}]


def _request(kind: str, general: bool) -> dict[str, Any]:
    auth = _auth(general)
    connector = SAMPLE_CONNECTOR_ID
    if kind == "discover-devices.request":
        return builders.request(
            "AWS.DiscoverDevices",
            auth,
            connector,
            deviceDiscoveryId=SAMPLE_DISCOVERY_ID,
            connectorDeviceIdList=[],
        )
    if kind == "send-command.request":
        return builders.request(
            "AWS.SendCommand",
            auth,
            connector,
            connectorDeviceId="dev-00001",
            traceId=SAMPLE_TRACE_ID,
            endpoints=_command_endpoints(),
        )
    operation = "AWS.ActivateUser" if kind.startswith("activate") else "AWS.DeactivateUser"
    return builders.request(operation, auth, connector)


def _event(kind: str, devices: int) -> dict[str, Any]:
    if kind == "event.device-discovery":
        return builders.discovery_event(SAMPLE_DISCOVERY_ID, SAMPLE_USER_ID, sample_devices(devices))
    if kind == "event.device-command-response":
        endpoint = {
            "id": "1",
            "clusters": [{"id": "0x0006", "attributes": {"0x0000": True}, "commands": {"0x01": {}}}],
        }
        return builders.event(
            "DEVICE_COMMAND_RESPONSE",
            UserId=SAMPLE_USER_ID,
            StatusCode=200,
            ConnectorDeviceId="dev-00001",
            TraceId=SAMPLE_TRACE_ID,
            MatterEndpoint=endpoint,
        )
    if kind == "event.device-event":
        # A contact sensor opened: BooleanState StateValue false (contract.md §5.5).
        endpoint = {"id": "1", "clusters": [{"id": "0x0045", "attributes": {"0x0000": False}}]}
        return builders.event(
            "DEVICE_EVENT",
            UserId=SAMPLE_USER_ID,
            StatusCode=200,
            ConnectorDeviceId="dev-00009",
            MatterEndpoint=endpoint,
        )
    return builders.event("DEVICE_COMMAND_REQUEST", UserId=SAMPLE_USER_ID, ConnectorDeviceId="dev-00001")


def new_sample(kind: str, *, devices: int = 1, general_auth: bool = False) -> dict[str, Any]:
    """A valid document of ``kind`` (one of :data:`~c2c_cli.contract.KINDS`).

    Args:
        kind: the document kind.
        devices: number of devices in a DEVICE_DISCOVERY sample.
        general_auth: requests use the General Authorization header instead of OAuth 2.0.

    Raises:
        UsageError: for an unknown kind or a negative device count.
    """
    if kind not in KINDS:
        raise UsageError(f"unknown kind {kind!r}", hint=f"use one of: {', '.join(KINDS)}")
    if devices < 0:
        raise UsageError("--devices must be 0 or more")
    if kind.startswith("event."):
        return _event(kind, devices)
    if kind.endswith(".request"):
        return _request(kind, general_auth)
    if kind == "activate-user.response":
        return builders.ack(200, "User activated", userId=SAMPLE_USER_ID)
    return builders.ack(200, "Request accepted")
