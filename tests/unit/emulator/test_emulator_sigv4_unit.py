"""SigV4 verification against botocore-signed requests, with an injected clock."""

from __future__ import annotations

import calendar
import time

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from c2c_cli.emulator.http.errors import ApiError
from c2c_cli.emulator.http.settings import DEFAULT_ACCOUNT
from c2c_cli.emulator.http.sigv4 import SignedRequest, verify

URL = "http://127.0.0.1:9999/connector-event/abc"
BODY = b'{"Operation": "DEVICE_EVENT"}'


def _sign(stamp="20260101T120000Z", secret=DEFAULT_ACCOUNT.secret_access_key, url=URL, body=BODY):
    req = AWSRequest(method="POST", url=url, data=body, headers={"Content-Type": "application/json"})
    req.context["timestamp"] = stamp
    req.headers["X-Amz-Date"] = stamp
    signer = SigV4Auth(
        Credentials(DEFAULT_ACCOUNT.access_key_id, secret), "iotmanagedintegrations", "us-east-1"
    )
    sig = signer.signature(signer.string_to_sign(req, signer.canonical_request(req)), req)
    signer._inject_signature_to_request(req, sig)
    return SignedRequest("POST", url, dict(req.headers.items()), body)


NOW = calendar.timegm(time.strptime("20260101T120000Z", "%Y%m%dT%H%M%SZ"))


def _lookup(key):
    return DEFAULT_ACCOUNT if key == DEFAULT_ACCOUNT.access_key_id else None


def test_valid_signature_returns_the_account():
    assert verify(_sign(), _lookup, now=NOW) == DEFAULT_ACCOUNT


@pytest.mark.parametrize(("skew", "ok"), [(299, True), (-299, True), (301, False), (-301, False)])
def test_five_minute_window(skew, ok):
    if ok:
        assert verify(_sign(), _lookup, now=NOW + skew) == DEFAULT_ACCOUNT
    else:
        with pytest.raises(ApiError, match="Signature expired") as info:
            verify(_sign(), _lookup, now=NOW + skew)
        assert info.value.code == "InvalidSignatureException"


def test_tampered_body_fails():
    signed = _sign()
    tampered = SignedRequest(signed.method, signed.url, signed.headers, b'{"Operation": "DEVICE_DISCOVERY"}')
    with pytest.raises(ApiError) as info:
        verify(tampered, _lookup, now=NOW)
    assert info.value.code == "InvalidSignatureException"


def test_tampered_body_with_matching_content_hash_header_fails():
    import hashlib

    signed = _sign()
    body = b'{"Operation": "DEVICE_DISCOVERY"}'
    headers = {**signed.headers, "X-Amz-Content-SHA256": hashlib.sha256(body).hexdigest()}
    with pytest.raises(ApiError) as info:
        verify(SignedRequest("POST", URL, headers, body), _lookup, now=NOW)
    assert info.value.code == "InvalidSignatureException"


def test_wrong_path_fails():
    signed = _sign()
    with pytest.raises(ApiError):
        verify(SignedRequest("POST", URL + "x", signed.headers, BODY), _lookup, now=NOW)


def test_wrong_secret_fails_without_leaking_it():
    with pytest.raises(ApiError) as info:
        verify(_sign(secret="other"), _lookup, now=NOW)
    assert info.value.code == "InvalidSignatureException"
    assert DEFAULT_ACCOUNT.secret_access_key not in str(info.value)


@pytest.mark.parametrize(
    ("authorization", "code"),
    [
        (None, "MissingAuthenticationTokenException"),
        ("Bearer abc", "IncompleteSignatureException"),
        (
            "AWS4-HMAC-SHA256 Credential=AKIANOBODY/20260101/us-east-1/iotmanagedintegrations/aws4_request, "
            "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64,
            "UnrecognizedClientException",
        ),
    ],
)
def test_header_problems(authorization, code):
    headers = dict(_sign().headers)
    headers.pop("Authorization")
    if authorization:
        headers["Authorization"] = authorization
    with pytest.raises(ApiError) as info:
        verify(SignedRequest("POST", URL, headers, BODY), _lookup, now=NOW)
    assert info.value.code == code


def test_missing_signed_header_fails():
    headers = dict(_sign().headers)
    headers.pop("Content-Type")
    with pytest.raises(ApiError, match="content-type"):
        verify(SignedRequest("POST", URL, headers, BODY), _lookup, now=NOW)


@pytest.mark.parametrize(
    ("url", "extra", "body"),
    [
        ("http://127.0.0.1:9999/connector-event/abc", {}, BODY),
        ("http://127.0.0.1:9999/managed-things", {}, b""),
        ("http://127.0.0.1:9999/managed-things?RoleFilter=DEVICE&MaxResults=5&NextToken=a%2Fb%3D", {}, b""),
        ("http://127.0.0.1:9999/cloud-connectors?b=2&a=1&a=0", {}, b""),
        ("http://localhost/managed-things/id%20with%20space/x", {}, b"{}"),
        ("http://127.0.0.1:9999/a/./b/../c", {}, b"{}"),
        (URL, {"X-Custom": "  spaced   value  ", "amz-sdk-request": "attempt=1; max=3"}, BODY),
        (URL, {"User-Agent": "signed-but-blacklisted", "Expect": "100-continue"}, BODY),
        (URL, {"X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"}, BODY),
    ],
)
def test_verdict_matches_botocore_signer(url, extra, body):
    # The canonical request is built here without botocore's request objects; botocore's signer is the
    # reference: every request it signs verifies, and the same request with another path does not.
    req = AWSRequest(method="GET" if not body else "POST", url=url, data=body, headers={**extra})
    stamp = "20260101T120000Z"
    req.context["timestamp"] = stamp
    req.headers["X-Amz-Date"] = stamp
    signer = SigV4Auth(
        Credentials(DEFAULT_ACCOUNT.access_key_id, DEFAULT_ACCOUNT.secret_access_key),
        "iotmanagedintegrations",
        "us-east-1",
    )
    sig = signer.signature(signer.string_to_sign(req, signer.canonical_request(req)), req)
    signer._inject_signature_to_request(req, sig)
    names = signer.signed_headers(signer.headers_to_sign(req)).split(";")
    auth = req.headers["Authorization"].replace(
        "SignedHeaders=" + ";".join(names), "SignedHeaders=" + ";".join([*names, *(n.lower() for n in extra)])
    )
    headers = {**dict(req.headers.items()), "Authorization": auth, "Host": url.split("/")[2]}
    if extra.get("X-Amz-Content-SHA256"):  # a claimed hash that is not the body's is refused
        with pytest.raises(ApiError, match="x-amz-content-sha256"):
            verify(SignedRequest(req.method, url, headers, body), _lookup, now=NOW)
        return
    assert verify(SignedRequest(req.method, url, headers, body), _lookup, now=NOW) == DEFAULT_ACCOUNT
    with pytest.raises(ApiError) as info:
        verify(
            SignedRequest(req.method, url.replace("9999/", "9999/x") + "x", headers, body), _lookup, now=NOW
        )
    assert info.value.code == "InvalidSignatureException"


@pytest.mark.parametrize(
    "stamp", ["20261301T120000Z", "2026011T120000Z", "20260101T120000", "20260132T000000Z"]
)
def test_malformed_date_is_refused(stamp):
    signed = _sign()
    headers = {**signed.headers, "X-Amz-Date": stamp}
    with pytest.raises(ApiError) as info:
        verify(SignedRequest("POST", URL, headers, BODY), _lookup, now=NOW)
    assert info.value.code in ("IncompleteSignatureException", "InvalidSignatureException")
