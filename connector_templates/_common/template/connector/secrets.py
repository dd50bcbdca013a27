"""Secrets Manager reads, cached for the container's life and never logged.

``GetSecretValue(SecretId=arn, VersionId=version)`` with the function's role (contract §2.2). A version id
names immutable content, so a cache keyed by (arn, version) never goes stale; a value read without a
version is kept for ``SECRET_TTL_S`` seconds so rotations are picked up. Every value read is registered
with :mod:`connector.logs` for redaction.
"""

from __future__ import annotations

import json
import os
import threading
import time
from typing import Any

from connector.envelope import ConnectorError
from connector.logs import register_secret

SECRET_TTL_S = int(os.environ.get("SECRET_TTL_S", "300"))
_cache: dict[tuple[str, str], tuple[str, float]] = {}
_lock = threading.Lock()
_client: Any = None


def set_client(client: Any) -> None:
    """Use ``client`` (anything with ``get_secret_value``) instead of boto3's; clears the cache."""
    global _client
    _client = client
    with _lock:
        _cache.clear()


def _secrets_manager() -> Any:
    global _client
    if _client is None:
        import boto3
        from botocore.config import Config

        _client = boto3.client("secretsmanager", config=Config(connect_timeout=0.5, read_timeout=1.0))
    return _client


def _fetch(arn: str, version_id: str) -> str:
    kwargs = {"SecretId": arn, **({"VersionId": version_id} if version_id else {})}
    try:
        response = _secrets_manager().get_secret_value(**kwargs)
    except Exception as exc:  # botocore's ClientError and transport errors alike
        code = getattr(exc, "response", {}).get("Error", {}).get("Code", type(exc).__name__)
        status = 403 if code in ("AccessDeniedException", "DecryptionFailure") else 502
        raise ConnectorError(status, f"cannot read the secret from Secrets Manager: {code}") from None
    value = response.get("SecretString")
    if not isinstance(value, str):
        raise ConnectorError(500, "the secret has no SecretString")
    return value


def get_secret(arn: str, version_id: str = "") -> str:
    """The secret string (cached; see the module docstring)."""
    key = (arn, version_id)
    with _lock:
        cached = _cache.get(key)
    if cached and (version_id or cached[1] > time.monotonic()):
        return cached[0]
    value = _fetch(arn, version_id)
    register_secret(value)
    with _lock:
        _cache[key] = (value, time.monotonic() + SECRET_TTL_S)
    return value


def get_secret_json(arn: str, version_id: str = "") -> dict[str, Any]:
    """The secret as a JSON object; a plain string becomes ``{"value": string}``."""
    raw = get_secret(arn, version_id)
    try:
        parsed = json.loads(raw)
    except ValueError:
        return {"value": raw}
    if not isinstance(parsed, dict):
        return {"value": raw}
    for item in parsed.values():
        register_secret(item if isinstance(item, str) else None)
    return parsed
