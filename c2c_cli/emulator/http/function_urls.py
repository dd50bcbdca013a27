"""An attached project's Lambda Function URL, served at ``/_emulator/function-url/<function>``.

HTTP requests become payload-format-2.0 events and the handler's answers become HTTP responses, as a
Lambda Function URL (``AuthType NONE``) does. The simulator's webhook receiver uses the same two
translations.
"""

from __future__ import annotations

import base64
from typing import Any

__all__ = ["FUNCTION_URL_PATH", "function_url_answer", "function_url_event"]

FUNCTION_URL_PATH = "/_emulator/function-url/"


def function_url_event(
    method: str, path: str, query: str, headers: dict[str, str], body: bytes, ip: str
) -> dict[str, Any]:
    """A Lambda Function URL event (payload format 2.0)."""
    try:
        text, encoded = body.decode("utf-8"), False
    except UnicodeDecodeError:
        text, encoded = base64.b64encode(body).decode(), True
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "headers": {k.lower(): v for k, v in headers.items()},
        "requestContext": {"http": {"method": method, "path": path, "sourceIp": ip}},
        "body": text,
        "isBase64Encoded": encoded,
    }


def function_url_answer(answer: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    """``(status, headers, body)`` of a Function URL answer; a bare object is sent as JSON, like AWS."""
    import json

    if "statusCode" not in answer:
        return 200, {"Content-Type": "application/json"}, json.dumps(answer).encode()
    body = answer.get("body") or ""
    data = base64.b64decode(body) if answer.get("isBase64Encoded") else str(body).encode()
    headers = {str(k): str(v) for k, v in (answer.get("headers") or {}).items()}
    return int(answer["statusCode"]), headers, data
