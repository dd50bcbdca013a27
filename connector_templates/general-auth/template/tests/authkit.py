"""General Authorization credentials for the tests: API keys in a fake Secrets Manager."""

from __future__ import annotations

import json
import uuid
from typing import Any

from connector import secrets
from tests.fake_vendor import FakeVendor

ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:vendor-api-key-AbCdEf"
VERSION = "a1b2c3d4-5678-90ab-cdef-000000000001"


class FakeSecretsManager:
    """``get_secret_value`` over a dict of ``(arn, version) -> secret string``; counts reads."""

    def __init__(self) -> None:
        self.secrets: dict[tuple[str, str], str] = {}
        self.reads = 0

    def get_secret_value(self, SecretId: str, VersionId: str = "") -> dict[str, Any]:  # boto3's keyword names
        self.reads += 1
        value = self.secrets.get((SecretId, VersionId))
        if value is None:
            error = {"Error": {"Code": "ResourceNotFoundException", "Message": "not found"}}
            raise type("ClientError", (Exception,), {"response": error})("not found")
        return {"ARN": SecretId, "VersionId": VersionId, "SecretString": value}


def header_for(arn: str, version: str) -> dict[str, Any]:
    return {"type": "GeneralAuthorization", "secretsManager": {"arn": arn, "versionId": version}}


class AuthKit:
    """``header`` authenticates ``user_id`` at ``fake``; ``secret`` is what must never be logged."""

    def __init__(self, fake: FakeVendor, user_id: str) -> None:
        self.fake = fake
        self.user_id = user_id
        self.secret = "sbx_" + uuid.uuid4().hex
        fake.api_keys[self.secret] = (user_id,)
        self.secrets = FakeSecretsManager()
        secrets.set_client(self.secrets)
        self.secrets.secrets[(ARN, VERSION)] = json.dumps({"api_key": self.secret, "user_id": user_id})
        self.header = header_for(ARN, VERSION)

    def store_secret(self, value: dict[str, Any] | str, version: str) -> dict[str, Any]:
        """Put another secret version and return the header naming it."""
        self.secrets.secrets[(ARN, version)] = value if isinstance(value, str) else json.dumps(value)
        return header_for(ARN, version)

    def rejected_header(self) -> dict[str, Any]:
        """Credentials the vendor refuses (HTTP 401)."""
        return self.store_secret({"api_key": "sbx_unknown_key", "user_id": self.user_id}, "rejected-version-0001")

    def other_user_header(self, user_id: str) -> dict[str, Any]:
        """Credentials of another user of the same vendor."""
        key = "sbx_" + uuid.uuid4().hex
        self.fake.api_keys[key] = (user_id,)
        return self.store_secret({"api_key": key, "user_id": user_id}, f"other-{user_id}-version")


def sandbox_header(environ: dict[str, str]) -> dict[str, Any] | None:
    """A secret holding ``C2C_SANDBOX_API_KEY`` (in a fake Secrets Manager), or ``None``."""
    key = environ.get("C2C_SANDBOX_API_KEY")
    if not key:
        return None
    manager = FakeSecretsManager()
    manager.secrets[(ARN, VERSION)] = json.dumps({"api_key": key, "user_id": environ.get("C2C_SANDBOX_USER_ID")})
    secrets.set_client(manager)
    return header_for(ARN, VERSION)


def sandbox_secret(environ: dict[str, str]) -> str:
    """The secret the e2e test must not find in logs."""
    return environ.get("C2C_SANDBOX_API_KEY", "")
