"""Lambda's ``Invoke`` on the emulator: ``POST /2015-03-31/functions/{FunctionName}/invocations``.

An attached project self-invokes to continue a discovery past one invocation (contract.md §2.1 budget,
§3.2 pagination; issue 16): ``boto3.client("lambda").invoke(..., InvocationType="Event")`` reaches this
endpoint through ``AWS_ENDPOINT_URL_LAMBDA``, which the emulator sets in its workers' environment. The
request is SigV4-verified like every other route, with the signing name ``lambda``. The answers are
Lambda's (botocore's ``lambda`` model, ``Invoke``):

- ``X-Amz-Invocation-Type: RequestResponse`` (the default): 200 with the function's return value as the
  body; a handler that raised or timed out is still a 200, with ``X-Amz-Function-Error: Unhandled`` and
  ``{"errorMessage", "errorType"}``, as Lambda answers;
- ``Event``: 202 with an empty body at once; the invocation is queued and run by the backend
  (at-least-once, the async retry policy);
- ``DryRun``: 204 once the function is known and the caller may invoke it.

Every other Lambda API call (``GetFunction``...) goes on to the companion moto server, as it would
without ``AWS_ENDPOINT_URL_LAMBDA``. Errors are Lambda's JSON error shape (``x-amzn-ErrorType`` header, ``{"Type": "User", "Message"}``),
which botocore raises as e.g. ``lambda_client.exceptions.ResourceNotFoundException``.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import unquote

from c2c_cli.emulator.http.bodies import read_body
from c2c_cli.emulator.http.errors import SIGNATURE_ERRORS, ApiError
from c2c_cli.emulator.http.settings import Account
from c2c_cli.emulator.http.sigv4 import SignedRequest, check_headers, verify
from c2c_cli.emulator.http.store import REQUEST_LOG
from c2c_cli.emulator.http.wire import Answer, WireRequest

__all__ = [
    "INVOCATION_TYPES",
    "LAMBDA_PREFIX",
    "LAMBDA_SIGNING_NAME",
    "LambdaAnswer",
    "LambdaError",
    "LambdaHost",
    "handle_lambda",
    "is_lambda_path",
]

LAMBDA_PREFIX = "/2015-03-31/functions/"
LAMBDA_SIGNING_NAME = "lambda"
INVOCATION_TYPES = ("RequestResponse", "Event", "DryRun")
_INVOKE = re.compile(r"/2015-03-31/functions/(?P<name>[^/]+)/invocations/?")
#: Lambda's limits on the request payload: 6 MB synchronous, 1 MB (since 2024) asynchronous.
_EVENT_LIMIT = 1024 * 1024


@dataclass(frozen=True)
class LambdaAnswer:
    """What ``Invoke`` answers: status, extra headers (``X-Amz-Function-Error``...) and body."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


class LambdaError(Exception):
    """A Lambda API error (``ResourceNotFoundException`` 404, ``InvalidRequestContentException`` 400...)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class LambdaHost(Protocol):
    """What the endpoint needs of the backend (``operations.service.Service`` is one)."""

    settings: Any
    store: Any
    clock: Callable[[], float]

    def account_for_key(self, access_key_id: str) -> Account | None:
        """The account an access key signs for."""
        ...

    def lambda_invoke(
        self, caller: Account, function: str, invocation_type: str, payload: bytes
    ) -> LambdaAnswer:
        """Run (or queue) one invocation.

        Raises:
            LambdaError: unknown function, bad payload.
        """
        ...


def is_lambda_path(path: str) -> bool:
    """Whether a request goes to the Lambda API rather than managed integrations."""
    return path.startswith(LAMBDA_PREFIX)


def handle_lambda(host: LambdaHost, request: WireRequest, raw_path: str, raw_query: str) -> Answer:
    """Verify, route and run one Lambda API request; every request goes to the request log."""
    request_id = str(uuid.uuid4())
    received = host.clock()
    account: Account | None = None
    error: str | None = None
    try:
        account, answer = _handle(host, request, raw_path, raw_query, received)
    except ApiError as exc:  # the SigV4 front door, an unknown path, a body over the limit
        error = exc.code
        answer = _error(exc.status or SIGNATURE_ERRORS.get(exc.code, 400), exc.code, exc.message)
    except LambdaError as exc:
        error = exc.code
        answer = _error(exc.status, exc.code, exc.message)
    answer.headers["x-amzn-RequestId"] = request_id
    host.store.append_log(
        REQUEST_LOG,
        {
            "received_at": received,
            "request_id": request_id,
            "operation": "Lambda.Invoke" if _INVOKE.fullmatch(raw_path) else "Lambda",
            "method": request.method,
            "path": raw_path,
            "account_id": account.account_id if account else None,
            "access_key_id": None,
            "attempt": None,
            "server": "emulator",
            "http_status": answer.status,
            "error_code": error,
            "fault": None,
            "duration_ms": round((host.clock() - received) * 1000, 3),
        },
    )
    return answer


def _handle(
    host: LambdaHost, request: WireRequest, raw_path: str, raw_query: str, received: float
) -> tuple[Account, Answer]:
    skew = host.settings.max_skew_seconds
    lookup = host.account_for_key
    check_headers(request.headers, lookup, now=received, max_skew=skew, service=LAMBDA_SIGNING_NAME)
    body = read_body(request)
    url = f"http://{request.host}{raw_path}" + (f"?{raw_query}" if raw_query else "")
    signed = SignedRequest(request.method, url, request.headers, body)
    account = verify(signed, lookup, now=received, max_skew=skew, service=LAMBDA_SIGNING_NAME)
    match = _INVOKE.fullmatch(raw_path)
    if match is None or request.method != "POST":
        moto = getattr(host, "aws_endpoint_url", None)
        if moto:  # the rest of the Lambda API is moto's, as without AWS_ENDPOINT_URL_LAMBDA
            return account, _forward(moto, request, raw_path, raw_query, body)
        raise ApiError(
            "UnknownOperationException", f"only Lambda Invoke is emulated, not {request.method} {raw_path}"
        )
    kind = request.headers.get("x-amz-invocation-type") or "RequestResponse"
    if kind not in INVOCATION_TYPES:
        raise LambdaError(
            400,
            "InvalidParameterValueException",
            f"X-Amz-Invocation-Type must be one of {', '.join(INVOCATION_TYPES)}",
        )
    if kind == "Event" and len(body) > _EVENT_LIMIT:
        raise LambdaError(
            413, "RequestTooLargeException", f"an Event payload is at most {_EVENT_LIMIT} bytes"
        )
    if body.strip():
        try:
            json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise LambdaError(
                400, "InvalidRequestContentException", "Could not parse request body into json"
            ) from None
    result = host.lambda_invoke(account, unquote(match["name"]), kind, body)
    headers = {"Content-Type": "application/json", **result.headers}
    return account, Answer(result.status, headers, result.body)


def _forward(moto: str, request: WireRequest, raw_path: str, raw_query: str, body: bytes) -> Answer:
    """The request as the companion moto server answers it (the signature was verified here)."""
    import requests

    url = moto + raw_path + (f"?{raw_query}" if raw_query else "")
    headers = {k: v for k, v in request.headers.items() if k not in ("host", "content-length")}
    answer = requests.request(request.method, url, headers=headers, data=body, timeout=30)
    kept = {k: v for k, v in answer.headers.items() if k.lower() in ("content-type", "x-amzn-errortype")}
    return Answer(answer.status_code, kept, answer.content)


def _error(status: int, code: str, message: str) -> Answer:
    headers = {"Content-Type": "application/json", "x-amzn-ErrorType": code}
    return Answer(status, headers, json.dumps({"Type": "User", "Message": message}).encode())
