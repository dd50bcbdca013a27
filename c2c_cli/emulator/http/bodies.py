"""Request bodies, read only up to a limit (issue 13 §4: an unbounded body is a denial of service).

The model bounds no ``SendConnectorEvent`` member that can grow (``Devices`` has no size limit,
``DeviceMetadata`` and attribute values are free documents; contract.md §4.2), so the limit is the
boundary a connector already lives within: Lambda's 6 MiB synchronous payload limit, which also bounds
a Function URL request. A body announced larger (``Content-Length``) is refused before a byte of it is
read; one without a length (chunked) is read up to the limit plus one byte. The answer is a 413 with
a ``ValidationException``-shaped body (``x-amzn-ErrorType`` and ``Message``), which botocore raises
as ``ValidationException``; the connection is closed, as the unread body cannot be skipped.
"""

from __future__ import annotations

from typing import Any

from c2c_cli.emulator.http.errors import ApiError

__all__ = ["MAX_BODY_BYTES", "read_body", "too_large"]

MAX_BODY_BYTES = 6 * 1024 * 1024
_CACHE = "c2c.emulator.body"


def too_large(limit: int) -> ApiError:
    """The 413 answer to a body over ``limit`` bytes."""
    error = ApiError(
        "ValidationException",
        f"request body is larger than the emulator's limit of {limit} bytes (docs/emulator.md, 'Limits')",
    )
    error.status = 413
    return error


def read_body(request: Any, limit: int = MAX_BODY_BYTES) -> bytes:
    """A werkzeug request's body, at most ``limit`` bytes.

    Raises:
        ApiError: 413 ``ValidationException`` when the body is (or announces itself) larger.
    """
    cached = request.environ.get(_CACHE)
    if isinstance(cached, bytes):
        return cached  # the stream is read once; SigV4 and the handler both need the body
    length = request.content_length
    if length is not None and length > limit:
        raise too_large(limit)
    # A body with a length is read to exactly that length (the stream ends there); asking for
    # limit + 1 bytes would make the reader allocate a 6 MiB buffer for every request.
    data: bytes = request.stream.read(limit + 1 if length is None else length)
    if len(data) > limit:
        raise too_large(limit)
    request.environ[_CACHE] = data
    return data
