"""ClientToken idempotency: same token + same body → same result; different body → ConflictException."""

from __future__ import annotations

import pytest


def test_same_token_same_body_returns_the_same_connector(client, unique, lambda_arn):
    name = unique("idem")
    kwargs = {
        "Name": name,
        "EndpointConfig": {"lambda": {"arn": lambda_arn(name)}},
        "ClientToken": "token-1" + name,
    }
    first = client.create_cloud_connector(**kwargs)
    second = client.create_cloud_connector(**kwargs)
    assert first["Id"] == second["Id"]
    assert second["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert [c["Id"] for c in client.list_cloud_connectors(LambdaArn=lambda_arn(name))["Items"]] == [
        first["Id"]
    ]


def test_same_token_different_body_conflicts(client, unique, lambda_arn, error_of):
    name = unique("idem")
    token = "token-2" + name
    client.create_cloud_connector(
        Name=name, EndpointConfig={"lambda": {"arn": lambda_arn(name)}}, ClientToken=token
    )
    code, status, _ = error_of(
        lambda: client.create_cloud_connector(
            Name=name + "x", EndpointConfig={"lambda": {"arn": lambda_arn(name)}}, ClientToken=token
        )
    )
    assert (code, status) == ("ConflictException", 409)


def test_tokens_are_per_account(client, other_client, unique, lambda_arn):
    name = unique("idem")
    token = "shared-token" + name
    mine = client.create_cloud_connector(
        Name=name, EndpointConfig={"lambda": {"arn": lambda_arn(name)}}, ClientToken=token
    )
    arn = f"arn:aws:lambda:us-east-1:210987654321:function:{name}"
    theirs = other_client.create_cloud_connector(
        Name=name, EndpointConfig={"lambda": {"arn": arn}}, ClientToken=token
    )
    assert mine["Id"] != theirs["Id"]


@pytest.mark.parametrize("operation", ["create_connector_destination", "create_account_association"])
def test_other_creates_are_idempotent(client, connector, destination, oauth_config, operation):
    kwargs = (
        {"CloudConnectorId": connector, "AuthConfig": {"oAuth": oauth_config}}
        if operation == "create_connector_destination"
        else {"ConnectorDestinationId": destination}
    )
    first = getattr(client, operation)(ClientToken="tok-" + operation.replace("_", "-"), **kwargs)
    second = getattr(client, operation)(ClientToken="tok-" + operation.replace("_", "-"), **kwargs)
    first.pop("ResponseMetadata")
    second.pop("ResponseMetadata")
    assert first == second


def test_boto3_fills_client_token_so_plain_creates_are_distinct(client, destination):
    a = client.create_account_association(ConnectorDestinationId=destination)
    b = client.create_account_association(ConnectorDestinationId=destination)
    assert a["AccountAssociationId"] != b["AccountAssociationId"]
