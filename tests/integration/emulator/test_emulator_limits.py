"""Bodies are bounded (issue 13 §4): signature headers first, then at most 6 MiB, over real HTTP.

The requests here announce a large body and send none of it: the emulator must answer from the headers
alone. Were it reading the body first, no answer would come before the socket's timeout.
"""

from __future__ import annotations

import json
import socket
import time
from typing import Any
from urllib.parse import urlsplit

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from c2c_cli.emulator.http.bodies import MAX_BODY_BYTES, read_body
from c2c_cli.emulator.http.errors import ApiError

PATH = "/connector-event/c-limits"


def _signed_headers(emu: Any) -> dict[str, str]:
    """A well-formed SigV4 header set of a known key (the signature itself cannot be checked yet)."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    scope = f"{emu.account.access_key_id}/{stamp[:8]}/{emu.region}/iotmanagedintegrations/aws4_request"
    auth = f"AWS4-HMAC-SHA256 Credential={scope}, SignedHeaders=host;x-amz-date, Signature={'0' * 64}"
    return {"Authorization": auth, "X-Amz-Date": stamp}


def _announce(url: str, length: int, headers: dict[str, str]) -> tuple[int, dict[str, str], dict[str, Any]]:
    """POST headers announcing ``length`` body bytes, send no body, read the answer."""
    parts = urlsplit(url)
    lines = [f"POST {PATH} HTTP/1.1", f"Host: {parts.netloc}", f"Content-Length: {length}"]
    lines += ["Content-Type: application/json", *(f"{k}: {v}" for k, v in headers.items())]
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode().split("\r\n")
    found = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in header_lines)}
    return int(status_line.split()[1]), found, json.loads(body)


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "MissingAuthenticationTokenException"),
        ({"Authorization": "AWS4-HMAC-SHA256 nonsense"}, "IncompleteSignatureException"),
    ],
)
def test_an_unsigned_60_mb_post_is_refused_from_its_headers(emu, headers, code):
    status, found, body = _announce(emu.endpoint_url, 60_000_000, headers)
    assert (status, found["x-amzn-errortype"]) == (403, code)
    assert body["Message"]


def test_a_signed_10_mb_event_is_413_without_being_read(emu):
    status, found, body = _announce(emu.endpoint_url, 10 * 1024 * 1024, _signed_headers(emu))
    assert status == 413
    assert found["x-amzn-errortype"] == "ValidationException"
    assert str(MAX_BODY_BYTES) in body["Message"]
    assert found["connection"].lower() == "close"


def test_a_refused_body_is_in_the_request_and_event_logs(emu):
    before = emu.requests()[-1]["seq"] if emu.requests() else 0
    _announce(emu.endpoint_url, MAX_BODY_BYTES + 1, _signed_headers(emu))
    (record,) = [r for r in emu.requests(after=before) if r["operation"] == "SendConnectorEvent"]
    assert (record["http_status"], record["error_code"]) == (413, "ValidationException")
    assert any(e["http_status"] == 413 and e["verdict"] == "rejected" for e in emu.events())


def test_the_admin_endpoints_are_bounded_too(emu):
    parts = urlsplit(emu.endpoint_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        request = (
            f"POST /_emulator/device-discoveries HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"X-C2C-Emulator-Token: {emu.admin_token}\r\nContent-Length: 60000000\r\n\r\n"
        )
        sock.sendall(request.encode())
        assert sock.recv(65536).startswith(b"HTTP/1.1 413")


def _request(body: bytes, chunked: bool) -> Request:
    headers = {"Transfer-Encoding": "chunked"} if chunked else {}
    environ = EnvironBuilder(method="POST", data=body, headers=headers).get_environ()
    if chunked:
        environ.pop("CONTENT_LENGTH", None)
        environ["wsgi.input_terminated"] = True
    return Request(environ)


@pytest.mark.parametrize("chunked", [False, True])
def test_read_body_stops_one_byte_past_the_limit(chunked):
    with pytest.raises(ApiError) as caught:
        read_body(_request(b"x" * 101, chunked), limit=100)
    assert (caught.value.status, caught.value.code) == (413, "ValidationException")
    assert read_body(_request(b"x" * 100, chunked), limit=100) == b"x" * 100
