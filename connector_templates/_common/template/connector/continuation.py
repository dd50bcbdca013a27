"""The connector invoking itself asynchronously to go on with work that outlives one invocation.

A discovery larger than one 2 s invocation (contract §2.1, §3.2) hands over to a continuation: the
original request envelope (same ``header.auth``, same ``payload``) plus a top-level
``"c2cContinuation": {"page": n}``, where ``n`` is the sequence number of the next ``DEVICE_DISCOVERY``
event. It goes to this same function with Lambda ``Invoke`` and ``InvocationType="Event"``: Lambda
queues it, answers 202 at once and runs it with its own budget; template.yaml grants
``lambda:InvokeFunction`` on this function only. The state (vendor cursor, pages sent) is in the state
store, never in the payload. An Event is delivered at least once and retried twice on failure, so the
receiver must tolerate duplicates (see :mod:`connector.operations.discover_devices`).

boto3 follows ``AWS_ENDPOINT_URL_LAMBDA`` when set (c2c's emulator). Tests swap the transport with
:func:`set_invoker`.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from typing import Any

from connector.envelope import ConnectorError

Invoker = Callable[[dict[str, Any]], None]

_invoker: Invoker | None = None
_client: Any = None
_client_lock = threading.Lock()


def set_invoker(invoker: Invoker | None) -> None:
    """Deliver continuations to ``invoker(event)`` instead of Lambda (``None`` restores Lambda)."""
    global _invoker
    _invoker = invoker


def available() -> bool:
    """Whether this function can invoke itself (it runs as a Lambda function, or a test set an invoker)."""
    return _invoker is not None or bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME"))


def event(original: dict[str, Any], page: int) -> dict[str, Any]:
    """The continuation of ``original`` (a previous continuation's marker replaced)."""
    return {**{k: v for k, v in original.items() if k != "c2cContinuation"}, "c2cContinuation": {"page": page}}


def _lambda() -> Any:
    global _client
    with _client_lock:
        if _client is None:
            import boto3
            from botocore.config import Config

            config = Config(connect_timeout=0.5, read_timeout=1.0, retries={"max_attempts": 2, "mode": "standard"})
            _client = boto3.client("lambda", config=config)
        return _client


def invoke(original: dict[str, Any], page: int) -> None:
    """Queue the continuation of ``original`` at event ``page`` (Lambda ``InvocationType="Event"``).

    Raises:
        ConnectorError: 503 when Lambda refuses or cannot be reached (nothing was queued).
    """
    continuation = event(original, page)
    if _invoker is not None:
        _invoker(continuation)
        return
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        _lambda().invoke(
            FunctionName=os.environ["AWS_LAMBDA_FUNCTION_NAME"],
            InvocationType="Event",
            Payload=json.dumps(continuation).encode(),
        )
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "ClientError")
        raise ConnectorError(503, f"could not continue discovery: Lambda Invoke failed ({code})") from None
    except BotoCoreError as exc:
        raise ConnectorError(
            503, f"could not continue discovery: Lambda Invoke failed ({type(exc).__name__})"
        ) from None
