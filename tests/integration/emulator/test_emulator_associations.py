"""Account associations through a real boto3 client (contract.md §6.2, §7.2)."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit


def test_create_returns_in_progress_with_authorization_url(client, emu, destination, oauth_config):
    out = client.create_account_association(
        ConnectorDestinationId=destination, Name="Living room", Tags={"k": "v"}
    )
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 201
    aid = out["AccountAssociationId"]
    assert out["AssociationState"] == "ASSOCIATION_IN_PROGRESS"
    assert out["Arn"] == f"arn:aws:iotmanagedintegrations:us-east-1:123456789012:account-association/{aid}"
    url = urlsplit(out["OAuthAuthorizationUrl"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == oauth_config["authUrl"]
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert query["response_type"] == "code"
    assert query["redirect_uri"] == emu.endpoint_url + "/_emulator/oauth/callback"
    assert query["scope"] == oauth_config["scope"]
    assert query["code_challenge_method"] == "S256"
    assert len(query["state"]) >= 20
    assert "client_id" not in query  # no moto in this module: the secret is unreadable
    got = client.get_account_association(AccountAssociationId=aid)
    assert (got["AssociationState"], got["Name"], got["Tags"]) == (
        "ASSOCIATION_IN_PROGRESS",
        "Living room",
        {"k": "v"},
    )
    assert got["OAuthAuthorizationUrl"] == out["OAuthAuthorizationUrl"]


def test_pkce_challenge_is_s256_of_a_stored_verifier(client, emu, destination):
    out = client.create_account_association(ConnectorDestinationId=destination)
    query = parse_qs(urlsplit(out["OAuthAuthorizationUrl"]).query)
    row = emu.service.store.get("account-association", out["AccountAssociationId"])
    assert row is not None
    verifier = row[1]["_oauth"]["code_verifier"]
    expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert query["code_challenge"] == [expected]
    assert query["state"] == [row[1]["_oauth"]["state"]]


def test_list_update_delete(client, destination):
    aid = client.create_account_association(ConnectorDestinationId=destination, Name="one")[
        "AccountAssociationId"
    ]
    items = client.list_account_associations(ConnectorDestinationId=destination)["Items"]
    assert [(i["AccountAssociationId"], i["AssociationState"], i["Name"]) for i in items] == [
        (aid, "ASSOCIATION_IN_PROGRESS", "one")
    ]
    assert "OAuthAuthorizationUrl" not in items[0]
    update = client.update_account_association(
        AccountAssociationId=aid, Name="two", Description="Second name"
    )
    assert update["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert client.get_account_association(AccountAssociationId=aid)["Name"] == "two"
    assert (
        client.delete_account_association(AccountAssociationId=aid)["ResponseMetadata"]["HTTPStatusCode"]
        == 200
    )
    assert client.list_account_associations(ConnectorDestinationId=destination)["Items"] == []


def test_destination_in_use_cannot_be_deleted(client, destination, error_of):
    aid = client.create_account_association(ConnectorDestinationId=destination)["AccountAssociationId"]
    code, status, response = error_of(lambda: client.delete_connector_destination(Identifier=destination))
    assert (code, status) == ("ValidationException", 400)
    assert aid in response["Error"]["Message"]
    client.delete_account_association(AccountAssociationId=aid)
    assert (
        client.delete_connector_destination(Identifier=destination)["ResponseMetadata"]["HTTPStatusCode"]
        == 200
    )


def test_unknown_destination_or_association_is_not_found(client, error_of):
    code, status, _ = error_of(lambda: client.create_account_association(ConnectorDestinationId="nope"))
    assert (code, status) == ("ResourceNotFoundException", 404)
    for call in (
        client.get_account_association,
        client.delete_account_association,
        client.update_account_association,
    ):
        code, status, response = error_of(lambda call=call: call(AccountAssociationId="abc123"))
        assert (code, status, response["ResourceType"]) == (
            "ResourceNotFoundException",
            404,
            "AccountAssociation",
        )


def test_association_id_pattern_is_enforced(client, error_of):
    code, _, response = error_of(lambda: client.get_account_association(AccountAssociationId="has-dash"))
    assert code == "ValidationException"
    assert "AccountAssociationId" in response["Error"]["Message"]


def test_other_account_cannot_see_association(client, other_client, destination, error_of):
    aid = client.create_account_association(ConnectorDestinationId=destination)["AccountAssociationId"]
    code, _, _ = error_of(lambda: other_client.get_account_association(AccountAssociationId=aid))
    assert code == "ResourceNotFoundException"
    code, _, _ = error_of(lambda: other_client.create_account_association(ConnectorDestinationId=destination))
    assert code == "ResourceNotFoundException"
