"""Token helpers that never reveal a token: fingerprints, JWT claims and format checks."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from typing import Any

__all__ = [
    "fingerprint",
    "jwt_claims",
    "jwt_subject",
    "token_format_problem",
    "user_id_problem",
]

# contract.md §6.1 #6 / §9 #29: tokens should be Base64 UTF-8; the toolkit accepts the Base64 and
# Base64url alphabets plus "=" padding and "." (so JWTs pass) and only warns otherwise.
_TOKEN_ALPHABET = re.compile(r"[A-Za-z0-9+/\-_=.]+")
# contract.md §4.2: the user id is echoed as SendConnectorEvent.UserId (ThirdPartyUserId).
_THIRD_PARTY_USER_ID = re.compile(r"[a-zA-Z0-9_.,@-]{1,64}")


def fingerprint(token: str | None) -> str | None:
    """The first 8 hex digits of the token's SHA-256: enough to tell tokens apart, useless to an attacker."""
    if not token:
        return None
    return hashlib.sha256(token.encode("utf-8")).hexdigest()[:8]


def jwt_claims(token: str) -> dict[str, Any] | None:
    """The payload of a JWT (RFC 7519 §7.2 steps 1-2), WITHOUT verifying its signature.

    The toolkit only reads the user id the way a connector would (contract.md §3.1); trust comes from
    having received the token from the token endpoint over TLS, not from the signature.

    Returns:
        The claims, or ``None`` when ``token`` is not a JWS compact serialization with a JSON object payload.
    """
    parts = token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError):
        return None
    return claims if isinstance(claims, dict) else None


def jwt_subject(token: str) -> str | None:
    """The JWT ``sub`` claim (RFC 7519 §4.1.2) when it is a non-empty string."""
    claims = jwt_claims(token)
    sub = claims.get("sub") if claims else None
    return sub if isinstance(sub, str) and sub else None


def token_format_problem(token: str) -> str | None:
    """Why ``token`` does not look Base64-encoded (contract.md §6.1 #6), or ``None`` when it does.

    The message names the offending characters (at most three) but never the token itself.
    """
    if not token:
        return "is empty"
    if _TOKEN_ALPHABET.fullmatch(token):
        return None
    bad = sorted({c for c in token if not _TOKEN_ALPHABET.fullmatch(c)})
    shown = ", ".join(repr(c) for c in bad[:3])
    return f"has {len(bad)} character(s) outside the Base64/Base64url alphabet ({shown})"


def user_id_problem(user_id: str) -> str | None:
    """Why ``user_id`` cannot be sent as ``SendConnectorEvent.UserId`` (contract.md §4.2), else ``None``."""
    if _THIRD_PARTY_USER_ID.fullmatch(user_id):
        return None
    return "is not 1-64 characters of [a-zA-Z0-9_.,@-] (ThirdPartyUserId)"
