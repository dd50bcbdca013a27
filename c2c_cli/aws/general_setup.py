"""A General Authorization destination made with boto3, as ``c2c register`` makes one (contract.md §7.1).

``c2c demo --auth general`` uses it until ``c2c register`` plans General Authorization itself: a
customer-managed KMS key, the auth material's secret under it with the resource policy that lets the
connector's account read it for the account's associations (``aws:SourceArn``), the cloud connector, and
the destination with ``AuthConfig.GeneralAuthorization``. The secret's value never leaves the call.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

from c2c_cli.aws.session import call

__all__ = ["GeneralDestination", "create_general_destination"]


@dataclass(frozen=True)
class GeneralDestination:
    """What was created: the ids and ARNs (never the secret's value)."""

    connector_id: str
    destination_id: str
    secret_arn: str
    material: str


def _clients(env: dict[str, str]) -> tuple[Any, Any, Any]:
    import boto3

    session = boto3.session.Session(
        aws_access_key_id=env.get("AWS_ACCESS_KEY_ID"),
        aws_secret_access_key=env.get("AWS_SECRET_ACCESS_KEY"),
        region_name=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
    )
    moto = env.get("AWS_ENDPOINT_URL") or None
    iot_url = env.get("AWS_ENDPOINT_URL_IOT_MANAGED_INTEGRATIONS") or None
    return (
        session.client("kms", endpoint_url=moto),
        session.client("secretsmanager", endpoint_url=moto),
        session.client("iot-managed-integrations", endpoint_url=iot_url),
    )


def _policy(account_id: str, region: str) -> str:
    source = f"arn:aws:iotmanagedintegrations:{region}:{account_id}:account-association/*"
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": account_id},
        "Action": "secretsmanager:GetSecretValue",
        "Resource": "*",
        "Condition": {"ArnLike": {"aws:SourceArn": source}},
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def create_general_destination(
    env: dict[str, str], *, name: str, function_arn: str, material: str, secret: dict[str, Any]
) -> GeneralDestination:
    """Create the key, the secret (with its policy), the cloud connector and the destination.

    Args:
        env: ``AWS_*`` settings of the customer (endpoints, test keys, region).
        name: the cloud connector's name (and the secret's prefix).
        function_arn: the connector's Lambda function.
        material: the auth material's name.
        secret: the secret's JSON value (e.g. ``{"api_key", "user_id"}``).

    Raises:
        AwsError: an API call failed.
    """
    kms, sm, iot = _clients(env)
    account_id, region = function_arn.split(":")[4], function_arn.split(":")[3]
    key = call(kms.create_key, Description=f"{name} General Authorization secrets")["KeyMetadata"]["KeyId"]
    made = call(
        sm.create_secret,
        Name=f"{name}/{material}-{secrets.token_hex(4)}",
        KmsKeyId=key,
        SecretString=json.dumps(secret),
    )
    call(sm.put_resource_policy, SecretId=made["ARN"], ResourcePolicy=_policy(account_id, region))
    connector = call(iot.create_cloud_connector, Name=name, EndpointConfig={"lambda": {"arn": function_arn}})
    ref = {"arn": made["ARN"], "versionId": made["VersionId"]}
    destination = call(
        iot.create_connector_destination,
        CloudConnectorId=connector["Id"],
        Name=name,
        AuthConfig={"GeneralAuthorization": [{"AuthMaterialName": material, "SecretsManager": ref}]},
    )
    return GeneralDestination(str(connector["Id"]), str(destination["Id"]), str(made["ARN"]), material)
