"""SigV4 verification: recompute the signature from the request as received and compare in constant time.

The canonical request is built the way botocore's ``SigV4Auth.canonical_request`` builds it (botocore's
own ``normalize_url_path`` and header blacklist; the unit tests check the result against botocore's
signer), from only the headers the client signed, the raw path and query as received, and the raw body,
with the request's own ``x-amz-date``. It is done here without botocore's request objects because that
was a third of the emulator's time per request (issue 15's profile); the derived signing key is cached
per (secret, date, region, service), as the AWS SDKs do. The body hash is always recomputed from the
bytes received, so a tampered body cannot hide behind a copied ``x-amz-content-sha256`` header. Errors
never include the secret or the expected signature.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from urllib.parse import quote, urlsplit

from c2c_cli.emulator.http.errors import ApiError
from c2c_cli.emulator.http.settings import Account

__all__ = ["SIGNING_NAME", "SignedRequest", "check_headers", "verify"]

SIGNING_NAME = "iotmanagedintegrations"
_AUTH = re.compile(
    r"AWS4-HMAC-SHA256\s+Credential=(?P<cred>[^,\s]+),\s*SignedHeaders=(?P<signed>[^,\s]+),"
    r"\s*Signature=(?P<sig>[0-9a-f]{64})\s*"
)
_AMZ_DATE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})T([0-9]{2})([0-9]{2})([0-9]{2})Z")


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


def _lowered(headers: Mapping[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


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


@lru_cache(maxsize=64)
def _epoch(amz_date: str) -> int:
    """``YYYYMMDDTHHMMSSZ`` as epoch seconds (a request's clients share a handful of stamps per second)."""
    match = _AMZ_DATE.fullmatch(amz_date)
    if match is None:
        raise ValueError(amz_date)
    year, month, day, hour, minute, second = (int(p) for p in match.groups())
    datetime(year, month, day, hour, minute, second)  # range check (month 13, day 32, ...): ValueError
    return calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0))


def _check_time(amz_date: str | None, scope_date: str, now: float, max_skew: int) -> str:
    if not amz_date:
        raise ApiError("IncompleteSignatureException", "missing x-amz-date header")
    try:
        stamp = _epoch(amz_date)
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


@lru_cache(maxsize=1)
def _botocore_rules() -> tuple[frozenset[str], Callable[[str], str]]:
    """Botocore's header blacklist and path normaliser, so the canonical request is exactly its own."""
    from botocore.auth import SIGNED_HEADERS_BLACKLIST
    from botocore.utils import normalize_url_path

    return frozenset(SIGNED_HEADERS_BLACKLIST), normalize_url_path


@lru_cache(maxsize=256)
def _signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    key = hmac.new(f"AWS4{secret}".encode(), date.encode(), hashlib.sha256).digest()
    for part in (region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


@lru_cache(maxsize=1024)
def _canonical_path(path: str) -> str:
    # botocore's SigV4Auth._normalize_url_path (a connector sends to one path again and again)
    return quote(_botocore_rules()[1](path), safe="/~")


def _canonical_query(query: str) -> str:
    # botocore's _canonical_query_string_url: the raw pairs, sorted, not re-encoded
    if not query:
        return ""
    pairs = sorted(pair.partition("=")[::2] for pair in query.split("&"))
    return "&".join(f"{k}={v}" for k, v in pairs)


def _expected_signature(
    req: SignedRequest, low: dict[str, str], account: Account, scope: list[str], signed: list[str], stamp: str
) -> str:
    blacklist = _botocore_rules()[0]
    parts = urlsplit(req.url)
    headers: dict[str, str] = {}
    for name in signed:
        value = low.get(name)
        if value is None and name == "host":
            value = parts.netloc  # as botocore does when the HTTP client adds Host
        if value is None:
            raise ApiError("InvalidSignatureException", f"signed header {name} is missing from the request")
        if name not in blacklist:
            headers[name] = " ".join(value.split())
    body_hash = hashlib.sha256(req.body).hexdigest()
    claimed = headers.get("x-amz-content-sha256")
    if claimed is not None and claimed != body_hash:
        raise ApiError("InvalidSignatureException", "x-amz-content-sha256 does not match the request body")
    names = sorted(headers)
    canonical = "\n".join(
        (
            req.method.upper(),
            _canonical_path(parts.path),
            _canonical_query(parts.query),
            "".join(f"{n}:{headers[n]}\n" for n in names),
            ";".join(names),
            claimed or body_hash,
        )
    )
    credential_scope = "/".join(scope[1:])
    to_sign = (
        f"AWS4-HMAC-SHA256\n{stamp}\n{credential_scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    )
    key = _signing_key(account.secret_access_key, stamp[:8], scope[2], scope[3])
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def _checked(
    low: dict[str, str],
    lookup: Callable[[str], Account | None],
    now: float,
    max_skew: int,
    service: str = SIGNING_NAME,
) -> tuple[Account, list[str], list[str], str, str]:
    scope, signed, signature = _parse_authorization(low.get("authorization"))
    account = lookup(scope[0])
    if account is None:
        raise ApiError(
            "UnrecognizedClientException", "The security token included in the request is invalid."
        )
    if scope[3] != service:
        raise ApiError("InvalidSignatureException", f"credential scope service must be {service}")
    if "host" not in signed:
        raise ApiError("InvalidSignatureException", "the host header must be signed")
    stamp = _check_time(low.get("x-amz-date"), scope[1], now, max_skew)
    return account, scope, signed, signature, stamp


def check_headers(
    headers: Mapping[str, str],
    lookup: Callable[[str], Account | None],
    *,
    now: float,
    max_skew: int = 300,
    service: str = SIGNING_NAME,
) -> Account:
    """Everything SigV4 can check before the body is read: the header's form, the key, scope and time.

    The app calls it first, so an unsigned or badly signed request is refused without reading its body
    (issue 13 §4); :func:`verify` then checks the signature itself.

    Raises:
        ApiError: 403 ``MissingAuthenticationTokenException``, ``IncompleteSignatureException``,
            ``UnrecognizedClientException`` or ``InvalidSignatureException``.
    """
    return _checked(_lowered(headers), lookup, now, max_skew, service)[0]


def verify(
    req: SignedRequest,
    lookup: Callable[[str], Account | None],
    *,
    now: float,
    max_skew: int = 300,
    service: str = SIGNING_NAME,
) -> Account:
    """Check a request's SigV4 signature and return the signing account.

    Args:
        req: the request as received.
        lookup: access key id → account (None when unknown).
        now: current epoch seconds.
        max_skew: allowed distance of ``x-amz-date`` from ``now`` (AWS: 5 minutes).
        service: the signing name the credential scope must carry (``lambda`` for the Invoke endpoint).

    Raises:
        ApiError: 403 ``MissingAuthenticationTokenException``, ``IncompleteSignatureException``,
            ``UnrecognizedClientException`` or ``InvalidSignatureException``.
    """
    low = _lowered(req.headers)
    account, scope, signed, signature, stamp = _checked(low, lookup, now, max_skew, service)
    expected = _expected_signature(req, low, account, scope, signed, stamp)
    if not hmac.compare_digest(expected, signature):
        raise ApiError(
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method.",
        )
    return account
