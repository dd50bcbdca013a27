"""Fixtures: a real emulator on 127.0.0.1 and real boto3 clients signed with its test accounts."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

from c2c_cli.emulator import SECOND_ACCOUNT, Account, Emulator, EmulatorSettings, start_emulator

SERVICE = "iot-managed-integrations"
LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:{}"


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    """One in-memory emulator per test module (no moto: faster; moto tests start their own)."""
    with start_emulator(EmulatorSettings(port=0, db=":memory:", with_moto=False)) as emulator:
        yield emulator


def _make_client(emulator: Emulator, account: Account | None = None, attempts: int = 1) -> Any:
    account = account or emulator.account
    return boto3.client(
        SERVICE,
        endpoint_url=emulator.endpoint_url,
        region_name=emulator.region,
        aws_access_key_id=account.access_key_id,
        aws_secret_access_key=account.secret_access_key,
        config=Config(retries={"total_max_attempts": attempts, "mode": "standard"}),
    )


@pytest.fixture
def make_client() -> Callable[..., Any]:
    """``make_client(emulator, account=None, attempts=1)`` → a real boto3 client."""
    return _make_client


@pytest.fixture
def client(emu: Emulator) -> Any:
    """A boto3 client of the default account, no retries (error tests see the first answer)."""
    return _make_client(emu)


@pytest.fixture
def other_client(emu: Emulator) -> Any:
    """A boto3 client of the second built-in account."""
    return _make_client(emu, SECOND_ACCOUNT)


def _unique(prefix: str = "c") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def unique() -> Callable[[str], str]:
    """``unique(prefix)`` → a fresh resource name."""
    return _unique


@pytest.fixture
def lambda_arn() -> Callable[[str], str]:
    """``lambda_arn(name)`` → a Lambda ARN in the default account."""
    return LAMBDA_ARN.format


@pytest.fixture
def connector(client: Any) -> str:
    """A fresh cloud connector of the default account; returns its id."""
    name = _unique("acme")
    return str(
        client.create_cloud_connector(Name=name, EndpointConfig={"lambda": {"arn": LAMBDA_ARN.format(name)}})[
            "Id"
        ]
    )


@pytest.fixture
def oauth_config() -> dict[str, str]:
    return dict(OAUTH)


@pytest.fixture
def secret_ref() -> dict[str, str]:
    return dict(SECRET_REF)


OAUTH = {
    "authUrl": "https://auth.example.com/authorize",
    "tokenUrl": "https://auth.example.com/token",
    "tokenEndpointAuthenticationScheme": "HTTP_BASIC",
    "scope": "devices.read devices.write",
}
SECRET_REF = {
    "arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:acme-oauth-AbCdEf",
    "versionId": "3f0c1c1e-0000-4000-8000-000000000001",
}


@pytest.fixture
def destination(client: Any, connector: str) -> str:
    """A fresh OAuth connector destination on ``connector``."""
    out = client.create_connector_destination(
        CloudConnectorId=connector,
        AuthType="OAUTH",
        AuthConfig={"oAuth": OAUTH},
        SecretsManager=SECRET_REF,
        Name=_unique("dest"),
    )
    return str(out["Id"])


def _error_of(call: Callable[[], Any]) -> tuple[str, int, dict[str, Any]]:
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as info:
        call()
    response = info.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response


@pytest.fixture
def error_of() -> Callable[[Callable[[], Any]], tuple[str, int, dict[str, Any]]]:
    """``error_of(lambda: client.op(...))`` → (code, HTTP status, response) of a call that must fail."""
    return _error_of
