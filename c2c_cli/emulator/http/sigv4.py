"""SigV4 verification: recompute the signature with botocore's signer and compare in constant time.

The request is rebuilt as a botocore ``AWSRequest`` holding only the headers the client signed, the raw
path and query as received, and the raw body; ``SigV4Auth.canonical_request`` / ``string_to_sign`` /
``signature`` then run with the request's own ``x-amz-date`` (never ``add_auth``, which would restamp it).
The body hash is always recomputed from the bytes received, so a tampered body cannot hide behind a
copied ``x-amz-content-sha256`` header. Errors never include the secret or the expected signature.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from c2c_cli.emulator.http.errors import ApiError
from c2c_cli.emulator.http.settings import Account

__all__ = ["SIGNING_NAME", "SignedRequest", "check_headers", "verify"]

SIGNING_NAME = "iotmanagedintegrations"
_AUTH = re.compile(
    r"AWS4-HMAC-SHA256\s+Credential=(?P<cred>[^,\s]+),\s*SignedHeaders=(?P<signed>[^,\s]+),"
    r"\s*Signature=(?P<sig>[0-9a-f]{64})\s*"
)
_AMZ_DATE = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True)
class SignedRequest:
    """What the verifier needs from an HTTP request.

    Attributes:
        method: HTTP method.
        url: ``http://host`` + raw path + (``?`` + raw query), exactly as received.
        headers: every request header (names in any case).
        body: the raw body.
    """

    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes


def _header(headers: Mapping[str, str], name: str) -> str | None:
    lname = name.lower()
    return next((v for k, v in headers.items() if k.lower() == lname), None)


def _parse_authorization(value: str | None) -> tuple[list[str], list[str], str]:
    if not value:
        raise ApiError("MissingAuthenticationTokenException", "Missing Authentication Token")
    match = _AUTH.fullmatch(value.strip())
    if not match:
        raise ApiError(
            "IncompleteSignatureException",
            "Authorization header requires Credential, SignedHeaders and Signature (AWS4-HMAC-SHA256)",
        )
    scope = match["cred"].split("/")
    if len(scope) != 5 or scope[4] != "aws4_request":
        raise ApiError(
            "IncompleteSignatureException", "Credential must be AKID/date/region/service/aws4_request"
        )
    return scope, match["signed"].lower().split(";"), match["sig"]


def _check_time(amz_date: str | None, scope_date: str, now: float, max_skew: int) -> str:
    if not amz_date:
        raise ApiError("IncompleteSignatureException", "missing x-amz-date header")
    try:
        stamp = calendar.timegm(time.strptime(amz_date, _AMZ_DATE))
    except ValueError:
        raise ApiError(
            "IncompleteSignatureException", f"x-amz-date {amz_date!r} is not YYYYMMDDTHHMMSSZ"
        ) from None
    if amz_date[:8] != scope_date:
        raise ApiError("InvalidSignatureException", "credential scope date does not match x-amz-date")
    if abs(now - stamp) > max_skew:
        raise ApiError(
            "InvalidSignatureException",
            f"Signature expired: {amz_date} is more than {max_skew // 60} minutes from the server time",
        )
    return amz_date


def _expected_signature(
    req: SignedRequest, account: Account, scope: list[str], signed: list[str], stamp: str
) -> str:
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    headers = {}
    for name in signed:
        value = _header(req.headers, name)
        if value is None and name == "host":
            value = urlsplit(req.url).netloc  # as botocore does when the HTTP client adds Host
        if value is None:
            raise ApiError("InvalidSignatureException", f"signed header {name} is missing from the request")
        headers[name] = value
    body_hash = hashlib.sha256(req.body).hexdigest()
    claimed = headers.get("x-amz-content-sha256")
    if claimed is not None and claimed != body_hash:
        raise ApiError("InvalidSignatureException", "x-amz-content-sha256 does not match the request body")
    aws_req = AWSRequest(method=req.method, url=req.url, headers=headers, data=req.body)
    aws_req.context["timestamp"] = stamp
    signer = SigV4Auth(Credentials(account.access_key_id, account.secret_access_key), scope[3], scope[2])
    canonical = signer.canonical_request(aws_req)
    signature: str = signer.signature(signer.string_to_sign(aws_req, canonical), aws_req)
    return signature


def check_headers(
    headers: Mapping[str, str], lookup: Callable[[str], Account | None], *, now: float, max_skew: int = 300
) -> Account:
    """Everything SigV4 can check before the body is read: the header's form, the key, scope and time.

    The app calls it first, so an unsigned or badly signed request is refused without reading its body
    (issue 13 §4); :func:`verify` then checks the signature itself.

    Raises:
        ApiError: 403 ``MissingAuthenticationTokenException``, ``IncompleteSignatureException``,
            ``UnrecognizedClientException`` or ``InvalidSignatureException``.
    """
    scope, signed, _ = _parse_authorization(_header(headers, "Authorization"))
    account = lookup(scope[0])
    if account is None:
        raise ApiError(
            "UnrecognizedClientException", "The security token included in the request is invalid."
        )
    if scope[3] != SIGNING_NAME:
        raise ApiError("InvalidSignatureException", f"credential scope service must be {SIGNING_NAME}")
    if "host" not in signed:
        raise ApiError("InvalidSignatureException", "the host header must be signed")
    _check_time(_header(headers, "x-amz-date"), scope[1], now, max_skew)
    return account


def verify(
    req: SignedRequest, lookup: Callable[[str], Account | None], *, now: float, max_skew: int = 300
) -> Account:
    """Check a request's SigV4 signature and return the signing account.

    Args:
        req: the request as received.
        lookup: access key id → account (None when unknown).
        now: current epoch seconds.
        max_skew: allowed distance of ``x-amz-date`` from ``now`` (AWS: 5 minutes).

    Raises:
        ApiError: 403 ``MissingAuthenticationTokenException``, ``IncompleteSignatureException``,
            ``UnrecognizedClientException`` or ``InvalidSignatureException``.
    """
    account = check_headers(req.headers, lookup, now=now, max_skew=max_skew)
    scope, signed, signature = _parse_authorization(_header(req.headers, "Authorization"))
    stamp = _check_time(_header(req.headers, "x-amz-date"), scope[1], now, max_skew)
    expected = _expected_signature(req, account, scope, signed, stamp)
    if not hmac.compare_digest(expected, signature):
        raise ApiError(
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method.",
        )
    return account
