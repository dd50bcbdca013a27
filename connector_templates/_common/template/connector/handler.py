"""Lambda entry point: parse the envelope, dispatch on ``operationName``, always return an ACK.

Malformed requests and unknown operations get a 400 ACK with a message; failures of the vendor, the
service or the connector itself get the matching non-200 ACK (contract §2.4), never an unhandled
exception. One JSON log line per invocation records the operation, the ids and the latency; secrets are
redacted by :mod:`connector.logs`. Operation modules are imported on first use to keep cold starts short.
"""

from __future__ import annotations

import importlib
import logging
import time
from typing import Any

from connector.envelope import ConnectorError, ack, parse_request
from connector.logs import log_exception, log_json

_OPERATIONS = {
    "AWS.ActivateUser": "connector.operations.activate_user",
    "AWS.DiscoverDevices": "connector.operations.discover_devices",
    "AWS.SendCommand": "connector.operations.send_command",
    "AWS.DeactivateUser": "connector.operations.deactivate_user",
}
_cold = True


def _dispatch(event: Any, context: Any, fields: dict[str, Any]) -> dict[str, Any]:
    from connector.context import Invocation

    request = parse_request(event)
    fields.update(request.log_fields())
    invocation = Invocation(request, context, event)
    try:
        module = importlib.import_module(_OPERATIONS[request.operation])
        return dict(module.run(invocation))
    finally:
        if "vendor" in invocation.__dict__:
            fields["vendorCalls"] = invocation.vendor.calls


def lambda_handler(event: Any, context: Any) -> dict[str, Any]:
    """Handle one invocation of the service (contract §2)."""
    global _cold
    started = time.perf_counter()
    fields: dict[str, Any] = {"coldStart": _cold}
    _cold = False
    try:
        response = _dispatch(event, context, fields)
    except ConnectorError as exc:
        response = ack(exc.code, exc.message)
    except Exception as exc:  # the service must get an ACK, whatever happened
        log_exception("unhandled error", exc, **fields)
        response = ack(500, "internal connector error; see the connector logs")
    fields["responseCode"] = response["header"]["responseCode"]
    fields["latencyMs"] = round((time.perf_counter() - started) * 1000, 1)
    log_json(logging.INFO, "invocation", **fields)
    return response
