"""Cloud connectors and connector destinations through a real boto3 client."""

from __future__ import annotations

import pytest


def test_create_get_update_delete_cloud_connector(client, unique, lambda_arn):
    name = unique("acme")
    created = client.create_cloud_connector(
        Name=name, Description="Acme lights", EndpointConfig={"lambda": {"arn": lambda_arn(name)}}
    )
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    cid = created["Id"]
    got = client.get_cloud_connector(Identifier=cid)
    assert (got["Id"], got["Name"], got["Description"], got["EndpointType"]) == (
        cid,
        name,
        "Acme lights",
        "LAMBDA",
    )
    assert got["EndpointConfig"] == {"lambda": {"arn": lambda_arn(name)}}
    updated = client.update_cloud_connector(Identifier=cid, Name=name + "-v2", Description="Renamed")
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert client.get_cloud_connector(Identifier=cid)["Name"] == name + "-v2"
    assert client.delete_cloud_connector(Identifier=cid)["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_get_unknown_connector_is_resource_not_found(client, error_of):
    code, status, response = error_of(lambda: client.get_cloud_connector(Identifier="missing"))
    assert (code, status) == ("ResourceNotFoundException", 404)
    assert response["ResourceId"] == "missing"
    assert response["ResourceType"] == "CloudConnector"


def test_modeled_exception_class_is_raised(client):
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.delete_cloud_connector(Identifier="missing")


def test_duplicate_connector_name_conflicts(client, error_of, unique, lambda_arn):
    name = unique("dup")
    client.create_cloud_connector(Name=name, EndpointConfig={"lambda": {"arn": lambda_arn(name)}})
    code, status, _ = error_of(
        lambda: client.create_cloud_connector(Name=name, EndpointConfig={"lambda": {"arn": lambda_arn(name)}})
    )
    assert (code, status) == ("ConflictException", 409)


def test_lambda_of_another_account_is_denied(client, error_of):
    arn = "arn:aws:lambda:us-east-1:999999999999:function:elsewhere"
    code, status, _ = error_of(
        lambda: client.create_cloud_connector(Name="x", EndpointConfig={"lambda": {"arn": arn}})
    )
    assert (code, status) == ("AccessDeniedException", 403)


def test_invalid_name_is_a_validation_error_naming_the_field(client, error_of, lambda_arn):
    code, status, response = error_of(
        lambda: client.create_cloud_connector(
            Name="bad/name" + "x" * 130, EndpointConfig={"lambda": {"arn": lambda_arn("f")}}
        )
    )
    assert (code, status) == ("ValidationException", 400)
    assert "Name" in response["Error"]["Message"]
    assert "2 validation errors" in response["Error"]["Message"]


def test_list_filters_by_lambda_arn_and_type_and_paginates(client, unique, lambda_arn):
    shared = lambda_arn(unique("shared"))
    ids = [
        client.create_cloud_connector(Name=unique("p"), EndpointConfig={"lambda": {"arn": shared}})["Id"]
        for _ in range(5)
    ]
    page1 = client.list_cloud_connectors(LambdaArn=shared, MaxResults=2)
    assert [c["Id"] for c in page1["Items"]] == ids[:2]
    page2 = client.list_cloud_connectors(LambdaArn=shared, MaxResults=2, NextToken=page1["NextToken"])
    page3 = client.list_cloud_connectors(LambdaArn=shared, MaxResults=2, NextToken=page2["NextToken"])
    assert [c["Id"] for c in page2["Items"] + page3["Items"]] == ids[2:]
    assert "NextToken" not in page3
    paginator = client.get_paginator("list_cloud_connectors")
    listed = [
        c["Id"]
        for page in paginator.paginate(LambdaArn=shared, PaginationConfig={"PageSize": 2})
        for c in page["Items"]
    ]
    assert listed == ids
    assert client.list_cloud_connectors(LambdaArn=shared, Type="LISTED")["Items"] == []
    assert len(client.list_cloud_connectors(LambdaArn=shared, Type="UNLISTED")["Items"]) == 5


def test_bad_next_token_is_validation_error(client, error_of):
    code, status, _ = error_of(lambda: client.list_cloud_connectors(NextToken="notanumber"))
    assert (code, status) == ("ValidationException", 400)


def test_query_enum_is_validated(client, error_of):
    code, _, response = error_of(lambda: client.list_cloud_connectors(Type="PRIVATE"))
    assert code == "ValidationException"
    assert "Type" in response["Error"]["Message"]


def test_resources_are_scoped_to_the_calling_account(client, other_client, connector, error_of):
    code, status, _ = error_of(lambda: other_client.get_cloud_connector(Identifier=connector))
    assert (code, status) == ("ResourceNotFoundException", 404)
    assert connector not in [c["Id"] for c in other_client.list_cloud_connectors()["Items"]]
    assert connector in [c["Id"] for c in client.list_cloud_connectors(MaxResults=1000)["Items"]]


def test_destination_lifecycle(client, connector, oauth_config, secret_ref, unique):
    name = unique("dest")
    oauth = {**oauth_config, "oAuthCompleteRedirectUrl": "https://app.example.com/linked"}
    created = client.create_connector_destination(
        CloudConnectorId=connector,
        AuthType="OAUTH",
        AuthConfig={"oAuth": oauth},
        SecretsManager=secret_ref,
        Name=name,
    )
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    did = created["Id"]
    got = client.get_connector_destination(Identifier=did)
    assert (got["CloudConnectorId"], got["Name"], got["AuthType"]) == (connector, name, "OAUTH")
    assert got["AuthConfig"]["oAuth"]["authUrl"] == oauth["authUrl"]
    assert got["OAuthCompleteRedirectUrl"] == "https://app.example.com/linked"
    assert got["SecretsManager"] == secret_ref
    update = client.update_connector_destination(
        Identifier=did,
        Description="Updated",
        AuthConfig={
            "oAuthUpdate": {"proactiveRefreshTokenRenewal": {"enabled": True, "DaysBeforeRenewal": 30}}
        },
    )
    assert update["ResponseMetadata"]["HTTPStatusCode"] == 204
    got = client.get_connector_destination(Identifier=did)
    assert got["Description"] == "Updated"
    assert got["AuthConfig"]["oAuth"]["proactiveRefreshTokenRenewal"] == {
        "enabled": True,
        "DaysBeforeRenewal": 30,
    }
    listed = client.list_connector_destinations(CloudConnectorId=connector)["ConnectorDestinationList"]
    assert [d["Id"] for d in listed] == [did]
    assert client.delete_connector_destination(Identifier=did)["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert client.list_connector_destinations(CloudConnectorId=connector)["ConnectorDestinationList"] == []


def test_destination_needs_an_existing_connector(client, oauth_config, error_of):
    code, status, response = error_of(
        lambda: client.create_connector_destination(
            CloudConnectorId="nope", AuthConfig={"oAuth": oauth_config}
        )
    )
    assert (code, status, response["ResourceId"]) == ("ResourceNotFoundException", 404, "nope")


def test_destination_auth_url_pattern_is_enforced(client, connector, oauth_config, error_of):
    bad = {**oauth_config, "authUrl": "http://localhost:8080/authorize"}
    code, _, response = error_of(
        lambda: client.create_connector_destination(CloudConnectorId=connector, AuthConfig={"oAuth": bad})
    )
    assert code == "ValidationException"
    assert "AuthConfig.oAuth.authUrl" in response["Error"]["Message"]


@pytest.mark.parametrize(
    "call", ["get_connector_destination", "update_connector_destination", "delete_connector_destination"]
)
def test_unknown_destination_is_not_found(client, error_of, call):
    code, status, _ = error_of(lambda: getattr(client, call)(Identifier="nope"))
    assert (code, status) == ("ResourceNotFoundException", 404)


def test_connector_in_use_cannot_be_deleted(client, connector, destination, error_of):
    code, status, response = error_of(lambda: client.delete_cloud_connector(Identifier=connector))
    assert (code, status) == ("ValidationException", 400)
    assert destination in response["Error"]["Message"]
