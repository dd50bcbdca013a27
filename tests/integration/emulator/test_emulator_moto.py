"""The companion moto server: one start gives Lambda/Secrets Manager/IAM/STS, and the OAuth client id is read."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest

from c2c_cli.emulator import EmulatorSettings, start_emulator


@pytest.fixture(scope="module")
def full():
    with start_emulator(EmulatorSettings(with_moto=True)) as emulator:
        yield emulator


def _aws(full, service, account=None):
    account = account or full.account
    return boto3.client(
        service,
        endpoint_url=full.aws_endpoint_url,
        region_name=full.region,
        aws_access_key_id=account.access_key_id,
        aws_secret_access_key=account.secret_access_key,
    )


def test_client_env_points_at_both_servers(full):
    env = full.client_env()
    assert env["AWS_ENDPOINT_URL_IOT_MANAGED_INTEGRATIONS"] == full.endpoint_url
    assert env["AWS_ENDPOINT_URL"] == full.aws_endpoint_url
    assert env["AWS_ACCESS_KEY_ID"] == full.account.access_key_id
    assert env["AWS_DEFAULT_REGION"] == env["AWS_REGION"] == "us-east-1"
    assert set(full.info) >= {
        "endpoint_url",
        "aws_endpoint_url",
        "region",
        "account_id",
        "access_key_id",
        "secret_access_key",
    }


def test_env_only_boto3_session_reaches_the_emulator(full, monkeypatch):
    for key, value in full.client_env().items():
        monkeypatch.setenv(key, value)
    session = boto3.session.Session()
    assert session.client("iot-managed-integrations").list_cloud_connectors()["Items"] == []
    assert session.client("sts").get_caller_identity()["Account"] == "123456789012"


def test_authorization_url_carries_client_id_from_the_secret(full):
    secret = _aws(full, "secretsmanager").create_secret(
        Name="acme-oauth-client",
        SecretString=json.dumps({"clientId": "acme-client", "clientSecret": "s3cr3t"}),
    )
    api = boto3.client(
        "iot-managed-integrations",
        endpoint_url=full.endpoint_url,
        region_name=full.region,
        aws_access_key_id=full.account.access_key_id,
        aws_secret_access_key=full.account.secret_access_key,
    )
    cid = api.create_cloud_connector(Name="moto-acme", EndpointConfig={"lambda": {"arn": "moto-acme"}})["Id"]
    did = api.create_connector_destination(
        CloudConnectorId=cid,
        AuthConfig={
            "oAuth": {
                "authUrl": "https://auth.example.com/authorize",
                "tokenUrl": "https://auth.example.com/token",
                "tokenEndpointAuthenticationScheme": "HTTP_BASIC",
            }
        },
        SecretsManager={"arn": secret["ARN"], "versionId": secret["VersionId"]},
    )["Id"]
    url = api.create_account_association(ConnectorDestinationId=did)["OAuthAuthorizationUrl"]
    assert parse_qs(urlsplit(url).query)["client_id"] == ["acme-client"]
    assert "s3cr3t" not in url
