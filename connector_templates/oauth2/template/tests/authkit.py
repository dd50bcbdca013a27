"""OAuth 2.0 credentials for the tests: unsigned JWT access tokens the fake vendor knows."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

from tests.fake_vendor import FakeVendor


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def make_jwt(sub: str | None) -> str:
    """A JWT-shaped token (the connector reads ``sub`` without verifying; the vendor verifies)."""
    claims = {"jti": uuid.uuid4().hex, "scope": "devices:read devices:write", **({"sub": sub} if sub else {})}
    return f"{_b64({'alg': 'HS256', 'typ': 'JWT'})}.{_b64(claims)}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk"


class AuthKit:
    """``header`` authenticates ``user_id`` at ``fake``; ``secret`` is what must never be logged."""

    def __init__(self, fake: FakeVendor, user_id: str) -> None:
        self.fake = fake
        self.user_id = user_id
        self.secret = make_jwt(user_id)
        fake.tokens[self.secret] = user_id
        self.header = {"type": "OAuth2.0", "token": self.secret}

    def rejected_header(self) -> dict[str, Any]:
        """Credentials the vendor refuses (HTTP 401)."""
        return {"type": "OAuth2.0", "token": make_jwt(self.user_id)}

    def other_user_header(self, user_id: str) -> dict[str, Any]:
        """Credentials of another user of the same vendor."""
        token = make_jwt(user_id)
        self.fake.tokens[token] = user_id
        return {"type": "OAuth2.0", "token": token}


def sandbox_header(environ: dict[str, str]) -> dict[str, Any] | None:
    """Credentials for a real ``c2c sandbox`` from ``C2C_SANDBOX_TOKEN``, or ``None``."""
    token = environ.get("C2C_SANDBOX_TOKEN")
    return {"type": "OAuth2.0", "token": token} if token else None


def sandbox_secret(environ: dict[str, str]) -> str:
    """The secret the e2e test must not find in logs."""
    return environ.get("C2C_SANDBOX_TOKEN", "")
