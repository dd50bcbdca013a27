"""PKCE (RFC 7636): a random code verifier and its S256 code challenge."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass, field

__all__ = ["Pkce", "new_pkce", "s256_challenge"]

# RFC 7636 §4.1: code-verifier = 43*128unreserved, unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~".
_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")


@dataclass(frozen=True)
class Pkce:
    """A code verifier (kept secret until the token request) and the challenge sent with the authorization.

    Attributes:
        verifier: the RFC 7636 §4.1 code verifier; never printed (``repr=False``).
        challenge: ``BASE64URL(SHA256(verifier))`` (RFC 7636 §4.2).
        method: always ``S256``; ``plain`` is not offered (RFC 7636 §4.2 "MUST use S256 if capable").
    """

    verifier: str = field(repr=False)
    challenge: str
    method: str = "S256"


def _b64url(data: bytes) -> str:
    # RFC 7636 Appendix A: base64url without padding.
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def s256_challenge(verifier: str) -> str:
    """The S256 code challenge of ``verifier`` (RFC 7636 §4.2).

    Args:
        verifier: a code verifier of 43-128 unreserved characters.

    Returns:
        ``BASE64URL-ENCODE(SHA256(ASCII(code_verifier)))``.

    Raises:
        ValueError: when ``verifier`` is not a valid RFC 7636 §4.1 code verifier.
    """
    if not _VERIFIER.fullmatch(verifier):
        raise ValueError("a code verifier is 43-128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1)")
    return _b64url(hashlib.sha256(verifier.encode("ascii")).digest())


def new_pkce(nbytes: int = 32) -> Pkce:
    """A fresh verifier and challenge.

    Args:
        nbytes: random octets in the verifier; RFC 7636 §4.1 recommends 32 (a 43-character verifier,
            256 bits of entropy, §7.1). 32-96 keeps the verifier within 43-128 characters.

    Returns:
        The verifier/challenge pair.
    """
    if not 32 <= nbytes <= 96:
        raise ValueError("nbytes must be 32..96 so the verifier has 43..128 characters")
    verifier = _b64url(secrets.token_bytes(nbytes))
    return Pkce(verifier=verifier, challenge=s256_challenge(verifier))
