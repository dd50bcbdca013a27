"""Second entry point (a Lambda Function URL): vendor webhooks -> ``DEVICE_EVENT`` (contract §4.4).

The vendor signs each delivery: ``X-Sandbox-Signature: sha256=HMAC-SHA256(secret, "<timestamp>." +
body)`` with ``X-Sandbox-Timestamp``. The secret is the one the vendor returned when ActivateUser
registered the webhook (stored per user) or ``VENDOR_WEBHOOK_SECRET``. The body is parsed before the
check only to find whose secret applies; nothing in it is used until the signature matches (compared in
constant time) and the timestamp is fresh. Changes of deactivated or unknown users are acknowledged and
dropped unread (an API key's webhook reports every user of the key). A change
caused by a command still waiting for its result becomes that command's ``DEVICE_COMMAND_RESPONSE``.
Answers: 200 (handled or deliberately ignored), 400 (malformed), 401 (bad signature), 502 (the service
refused the event: the vendor should retry).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import time
from typing import Any

from connector import events, store
from connector.envelope import ConnectorError
from connector.logs import log_exception, log_json
from connector.matter_map import KINDS, kind_of_state
from connector.operations.send_command import reads_from_json
from connector.translate import matter_state, with_changes

SIGNATURE_HEADER = "x-sandbox-signature"
TIMESTAMP_HEADER = "x-sandbox-timestamp"
TOLERANCE_S = 300
MAX_BODY = 256 * 1024


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature the vendor sends (also used by tests)."""
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def _reply(status: int, **body: Any) -> dict[str, Any]:
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}


def _raw_body(event: dict[str, Any]) -> bytes:
    body = event.get("body") or ""
    return base64.b64decode(body) if event.get("isBase64Encoded") else str(body).encode()


def _verified(event: dict[str, Any], raw: bytes, record: dict[str, Any], now: float) -> bool:
    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    timestamp = headers.get(TIMESTAMP_HEADER, "")
    if not timestamp.isdigit() or abs(now - int(timestamp)) > TOLERANCE_S:
        return False
    secret = record.get("webhook_secret") or os.environ.get("VENDOR_WEBHOOK_SECRET")
    if not secret:
        return False
    return hmac.compare_digest(sign(secret, timestamp, raw), headers.get(SIGNATURE_HEADER, ""))


def _parse(raw: bytes) -> dict[str, Any] | None:
    try:
        change = json.loads(raw)
    except ValueError:
        return None
    required = ("device_id", "user_id", "state", "changed")
    if not isinstance(change, dict) or not all(k in change for k in required):
        return None
    if not isinstance(change["state"], dict) or not isinstance(change["changed"], dict):
        return None
    return change


def _forward(change: dict[str, Any], record: dict[str, Any]) -> str | None:
    state = change["state"]
    kind_name = change.get("kind") if change.get("kind") in KINDS else kind_of_state(state)
    if kind_name is None:
        return None
    kind, device_id, user_id = KINDS[kind_name], str(change["device_id"]), str(change["user_id"])
    connector_id = record.get("connector_id") or os.environ.get("CONNECTOR_ID", "")
    pending = store.take_command(str(change["command_id"])) if change.get("command_id") else None
    if pending is not None:
        reads = with_changes(kind, reads_from_json(pending["reads"]), {}, change["changed"])
        endpoint = matter_state(kind, state, reads=reads)
        params = events.command_response(connector_id, user_id, device_id, pending["trace_id"], endpoint)
        return str(params["Operation"]) if events.send_command_response(params) else None
    endpoint = matter_state(kind, state, keys=set(change["changed"]))
    if not endpoint["clusters"]:
        return None  # nothing Matter can show changed (e.g. a covering's "moving" flag)
    params = events.device_event(connector_id, user_id, device_id, endpoint)
    events.send(params)
    return str(params["Operation"])


def _handle(event: Any, now: float) -> tuple[dict[str, Any], dict[str, Any]]:
    if not isinstance(event, dict):
        return _reply(400, error="not a Function URL event"), {}
    raw = _raw_body(event)
    change = _parse(raw) if len(raw) <= MAX_BODY else None
    if change is None:
        return _reply(400, error="malformed webhook body"), {}
    fields: dict[str, Any] = {"deviceId": str(change["device_id"])[:256]}
    fields["eventId"] = str(change.get("event_id", ""))[:64]
    record = store.user(str(change["user_id"]))
    if not record or not record.get("active"):
        # Not ours (an API key's webhook also reports users never activated here) or unlinked:
        # acknowledge so the vendor does not retry, and act on nothing in it.
        return _reply(200, ignored="user is not active"), fields
    if not _verified(event, raw, record, now):
        return _reply(401, error="bad or stale signature"), fields
    fields["forwarded"] = _forward(change, record)
    return _reply(200, forwarded=fields["forwarded"]), fields


def lambda_handler(event: Any, context: Any) -> dict[str, Any]:  # noqa: ARG001 - Lambda's signature
    """Handle one webhook delivery."""
    started = time.perf_counter()
    fields: dict[str, Any] = {}
    try:
        response, fields = _handle(event, time.time())
    except ConnectorError as exc:
        response = _reply(502, error=exc.message)
    except Exception as exc:  # answer 500 so the vendor retries; never crash the function URL
        log_exception("webhook error", exc)
        response = _reply(500, error="internal error")
    log_json(
        logging.INFO,
        "webhook",
        status=response["statusCode"],
        latencyMs=round((time.perf_counter() - started) * 1000, 1),
        **fields,
    )
    return response
