"""``SendConnectorEvent``: the connector's results to the service (contract §4).

Events go through boto3's ``iot-managed-integrations`` client (SigV4 signed by botocore, never by hand),
created once per container on first use so the handler's cold import skips boto3. The endpoint follows
``AWS_ENDPOINT_URL_IOT_MANAGED_INTEGRATIONS`` when set (the toolkit's emulator). Tests and local runs
swap the transport with :func:`set_sender`. Builders emit what ``c2c validate --strict`` wants:
``OperationVersion`` "1.0", ``StatusCode`` and ``UserId`` on every event, Matter ids in docs spelling.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from connector.envelope import ConnectorError

Sender = Callable[..., Any]
MAX_DEVICES_PER_EVENT = int(os.environ.get("MAX_DEVICES_PER_EVENT", "100"))
MAX_EVENT_BYTES = 200_000  # quotas are unpublished (contract §9 #28): stay well clear of API body limits
_MESSAGE_UNSAFE = re.compile(r"[^\sa-zA-Z0-9_.,@-]")

_sender: Sender | None = None
_client: Any = None
_client_lock = threading.Lock()


def set_sender(sender: Sender | None) -> None:
    """Send events through ``sender(**params)`` instead of boto3 (``None`` restores boto3)."""
    global _sender
    _sender = sender


def _boto3_client() -> Any:
    global _client
    with _client_lock:
        if _client is None:
            import boto3
            from botocore.config import Config

            # No botocore retries: a retry after a read timeout would deliver the event twice (see send()).
            retries = {"total_max_attempts": 1, "mode": "standard"}
            config = Config(connect_timeout=0.5, read_timeout=1.5, retries=retries)
            endpoint = os.environ.get("AWS_ENDPOINT_URL_IOT_MANAGED_INTEGRATIONS") or None
            _client = boto3.client("iot-managed-integrations", endpoint_url=endpoint, config=config)
        return _client


class OutcomeUnknown(ConnectorError):
    """The request reached the service but no answer came back: the event may have been accepted.

    Sending it again could deliver it twice (a ``DEVICE_DISCOVERY`` page the service cannot tell from new
    devices), so callers must not retry it and must not treat it as unsent.
    """


#: answers that say the service did not take the event: sending again cannot duplicate it.
_NOT_TAKEN = frozenset({"ThrottlingException", "ServiceUnavailableException"})
SEND_ATTEMPTS = 3
SEND_BACKOFF_S = 0.05


def send(params: dict[str, Any]) -> None:
    """Send one event (``ConnectorId`` included: boto3 puts it in the path).

    Retried (``SEND_ATTEMPTS``) only where the event certainly did not arrive: no connection, or a
    throttling/unavailable answer. Anything else is one attempt: a read timeout or a lost connection after
    the request went out is :class:`OutcomeUnknown`, never retried (contract §3.2: a page must not be
    sent twice).

    Raises:
        OutcomeUnknown: 504 when the service may have taken the event without answering.
        ConnectorError: 502 when the service refuses or cannot be reached.
    """
    if _sender is not None:
        _sender(**params)
        return
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        ConnectTimeoutError,
        EndpointConnectionError,
        ReadTimeoutError,
    )

    for attempt in range(1, SEND_ATTEMPTS + 1):
        try:
            _boto3_client().send_connector_event(**params)
            return
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "ClientError")
            if code not in _NOT_TAKEN or attempt == SEND_ATTEMPTS:
                raise ConnectorError(502, f"SendConnectorEvent failed: {code}") from None
        except (EndpointConnectionError, ConnectTimeoutError) as exc:
            if attempt == SEND_ATTEMPTS:
                raise ConnectorError(502, f"SendConnectorEvent failed: {type(exc).__name__}") from None
        except ReadTimeoutError:
            raise OutcomeUnknown(504, "SendConnectorEvent got no answer; the event may have arrived") from None
        except BotoCoreError as exc:
            raise OutcomeUnknown(504, f"SendConnectorEvent failed after sending: {type(exc).__name__}") from None
        time.sleep(SEND_BACKOFF_S * attempt)


def send_command_response(params: dict[str, Any]) -> bool:
    """Send a ``DEVICE_COMMAND_RESPONSE`` unless another invocation already sent one for its ``TraceId``.

    A retried SendCommand and the webhook can both reach the end of one command; the response is
    claimed in the state store first (a conditional write), and the claim given back if sending fails.
    Whether this call sent it.
    """
    from connector import store

    trace_id = str(params["TraceId"])
    if not store.claim_response(trace_id):
        return False
    try:
        send(params)
    except OutcomeUnknown:
        raise  # it may have arrived: keep the claim, so nobody sends it again
    except Exception:
        store.release_response(trace_id)
        raise
    return True


def message(text: str) -> str:
    """``text`` made to fit ``ConnectorEventMessage`` (no quotes, colons or slashes; 1-256 chars)."""
    return (_MESSAGE_UNSAFE.sub(" ", text).strip() or "event")[:256]


def _base(operation: str, connector_id: str, user_id: str, status: int) -> dict[str, Any]:
    return {
        "ConnectorId": connector_id,
        "Operation": operation,
        "OperationVersion": "1.0",
        "UserId": user_id,
        "StatusCode": status,
    }


def discovery(
    connector_id: str, user_id: str, discovery_id: str, devices: list[dict[str, Any]], status: int
) -> dict[str, Any]:
    """A ``DEVICE_DISCOVERY`` event: 3xx while more follow, 200 for the last (contract §3.2)."""
    return {
        **_base("DEVICE_DISCOVERY", connector_id, user_id, status),
        "DeviceDiscoveryId": discovery_id,
        "Devices": devices,
    }


def command_response(
    connector_id: str, user_id: str, device_id: str, trace_id: str, endpoint: dict[str, Any]
) -> dict[str, Any]:
    """A ``DEVICE_COMMAND_RESPONSE`` with the request's ``TraceId`` and the changed attributes (§3.3)."""
    return {
        **_base("DEVICE_COMMAND_RESPONSE", connector_id, user_id, 200),
        "ConnectorDeviceId": device_id,
        "TraceId": trace_id,
        "MatterEndpoint": endpoint,
    }


def device_event(connector_id: str, user_id: str, device_id: str, endpoint: dict[str, Any]) -> dict[str, Any]:
    """A ``DEVICE_EVENT``: a state change the device made by itself (§4.4)."""
    return {
        **_base("DEVICE_EVENT", connector_id, user_id, 200),
        "ConnectorDeviceId": device_id,
        "MatterEndpoint": endpoint,
    }


def chunks(devices: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """Split devices into events of at most :data:`MAX_DEVICES_PER_EVENT` devices and ~200 kB."""
    chunk: list[dict[str, Any]] = []
    size = 0
    for device in devices:
        device_size = len(json.dumps(device, separators=(",", ":")))
        if chunk and (len(chunk) >= MAX_DEVICES_PER_EVENT or size + device_size > MAX_EVENT_BYTES):
            yield chunk
            chunk, size = [], 0
        chunk.append(device)
        size += device_size
    yield chunk  # the final event, possibly empty: discovery still completes with StatusCode 200
