"""Credentials the simulated service obtains the real way: a sandbox user's OAuth login, a local secret."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["moto_secret", "put_moto_secret", "sandbox_login"]


def sandbox_login(sandbox: Any, username: str) -> tuple[str, str | None]:
    """Access and refresh token of a seeded sandbox user: the code flow with PKCE and a fake browser."""
    from c2c_cli.config import OAuthSettings
    from c2c_cli.oauth import LoginOptions, login
    from c2c_cli.sandbox.browser import login_and_consent

    info = sandbox.info
    password = next(u["password"] for u in info["users"] if u["username"] == username)
    settings = OAuthSettings(
        authorization_url=info["authorize_url"],
        token_url=info["token_url"],
        client_id=info["client_id"],
        revocation_url=info["revoke_url"],
        scopes=tuple(info["scope"].split()),
    )

    def opener(url: str) -> bool:
        # The fake browser logs in, consents and follows the redirect to the loopback callback.
        import requests

        location = login_and_consent(url, username, password)
        requests.get(location, timeout=5)
        return True

    record = login(settings, info["client_secret"], opener=opener, options=LoginOptions(timeout=10))
    return record.access_token, record.refresh_token


def _client(emulator: Any) -> Any:
    import botocore.session

    account = emulator.account
    return botocore.session.get_session().create_client(
        "secretsmanager",
        region_name=emulator.region,
        endpoint_url=emulator.aws_endpoint_url,
        aws_access_key_id=account.access_key_id,
        aws_secret_access_key=account.secret_access_key,
    )


def put_moto_secret(emulator: Any, arn: str, value: dict[str, Any]) -> str:
    """A new version of a secret in the companion moto server (a rotation); returns its version id."""
    return str(_client(emulator).put_secret_value(SecretId=arn, SecretString=json.dumps(value))["VersionId"])


def moto_secret(emulator: Any, name: str, value: dict[str, Any]) -> tuple[str, str]:
    """Store a secret in the companion moto server; returns (arn, version id)."""
    client = _client(emulator)
    try:
        created = client.create_secret(Name=name, SecretString=json.dumps(value))
    except client.exceptions.ResourceExistsException:
        # moto's state is per process: a second simulation in the same process (the pytest plugin)
        # finds the secret of the first; a new version is what rotating the key would make.
        created = client.put_secret_value(SecretId=name, SecretString=json.dumps(value))
    return str(created["ARN"]), str(created["VersionId"])
