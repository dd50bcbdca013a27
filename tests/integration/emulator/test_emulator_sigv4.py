"""SigV4 at the front door: boto3 and a second signer pass; every kind of bad signature is a 403."""

from __future__ import annotations

import datetime
import json

import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from requests_aws4auth import AWS4Auth

from c2c_cli.emulator import Account

SIGNING_NAME = "iotmanagedintegrations"


def _signed(emu, path, body, *, key=None, secret=None, when=None, service=SIGNING_NAME, method="POST"):
    """A botocore-signed request (optionally at another time) as (url, headers, body bytes)."""
    account = emu.account
    request = AWSRequest(
        method=method, url=emu.endpoint_url + path, data=body, headers={"Content-Type": "application/json"}
    )
    signer = SigV4Auth(
        Credentials(key or account.access_key_id, secret or account.secret_access_key), service, emu.region
    )
    if when is None:
        signer.add_auth(request)
    else:
        request.context["timestamp"] = when.strftime("%Y%m%dT%H%M%SZ")
        request.headers["X-Amz-Date"] = request.context["timestamp"]
        signature = signer.signature(
            signer.string_to_sign(request, signer.canonical_request(request)), request
        )
        signer._inject_signature_to_request(request, signature)
    return request.url, dict(request.headers.items()), body


def _post(url, headers, body):
    return requests.post(url, data=body, headers=headers, timeout=10)


def _event_body():
    return json.dumps({"Operation": "DEVICE_EVENT"}).encode()


def test_boto3_signed_request_passes(client, connector):
    assert client.get_cloud_connector(Identifier=connector)["Id"] == connector


def test_requests_aws4auth_signed_request_passes(emu, connector):
    account = emu.account
    auth = AWS4Auth(account.access_key_id, account.secret_access_key, emu.region, SIGNING_NAME)
    response = requests.get(f"{emu.endpoint_url}/cloud-connectors/{connector}", auth=auth, timeout=10)
    assert response.status_code == 200, response.text
    assert response.json()["Id"] == connector
    listed = requests.get(
        f"{emu.endpoint_url}/cloud-connectors", params={"MaxResults": "5"}, auth=auth, timeout=10
    )
    assert listed.status_code == 200, listed.text


def test_requests_aws4auth_signed_post_passes(emu, unique):
    account = emu.account
    auth = AWS4Auth(account.access_key_id, account.secret_access_key, emu.region, SIGNING_NAME)
    name = unique("aws4auth")
    body = {
        "Name": name,
        "EndpointConfig": {"lambda": {"arn": f"arn:aws:lambda:us-east-1:123456789012:function:{name}"}},
    }
    response = requests.post(f"{emu.endpoint_url}/cloud-connectors", json=body, auth=auth, timeout=10)
    assert response.status_code == 201, response.text


def test_botocore_signed_request_passes(emu, connector):
    body = json.dumps({"Name": "renamed"}).encode()
    url, headers, data = _signed(emu, f"/cloud-connectors/{connector}", body, method="PUT")
    response = requests.put(url, data=data, headers=headers, timeout=10)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("how", "code"),
    [
        ("wrong_secret", "InvalidSignatureException"),
        ("tampered_body", "InvalidSignatureException"),
        ("stale", "InvalidSignatureException"),
        ("future", "InvalidSignatureException"),
        ("unknown_key", "UnrecognizedClientException"),
        ("missing_header", "MissingAuthenticationTokenException"),
        ("wrong_service", "InvalidSignatureException"),
        ("unsigned_header_changed", "InvalidSignatureException"),
    ],
)
def test_bad_signatures_are_rejected_with_403(emu, connector, how, code):
    path, body = f"/connector-event/{connector}", _event_body()
    now = datetime.datetime.now(datetime.UTC)
    kwargs = {
        "wrong_secret": {"secret": "not-the-secret"},
        "stale": {"when": now - datetime.timedelta(minutes=6)},
        "future": {"when": now + datetime.timedelta(minutes=6)},
        "unknown_key": {"key": "AKIAUNKNOWNKEY000000"},
        "wrong_service": {"service": "execute-api"},
    }.get(how, {})
    url, headers, data = _signed(emu, path, body, **kwargs)
    if how == "tampered_body":
        data = json.dumps({"Operation": "DEVICE_DISCOVERY"}).encode()
    if how == "missing_header":
        headers.pop("Authorization")
    if how == "unsigned_header_changed":
        headers["Host"] = "attacker.example.com"
    response = _post(url, headers, data)
    assert response.status_code == 403
    assert response.headers["x-amzn-ErrorType"] == code
    assert response.headers["x-amzn-RequestId"]
    assert emu.account.secret_access_key not in response.text
    assert "Message" in response.json()


def test_replayed_request_within_the_window_still_verifies(emu, connector):
    """A replay of a fresh, valid request is accepted (AWS does the same within 5 minutes)."""
    path = f"/connector-event/{connector}"
    url, headers, data = _signed(
        emu, path, json.dumps({"Operation": "DEVICE_EVENT", "ConnectorDeviceId": "d1"}).encode()
    )
    first, second = _post(url, headers, data), _post(url, headers, data)
    assert first.status_code == second.status_code
    assert first.status_code != 403


def test_boto3_with_wrong_secret_gets_client_error(emu, make_client, error_of):
    bad = make_client(emu, Account(emu.account.account_id, emu.account.access_key_id, "wrong"))
    code, status, _ = error_of(lambda: bad.list_cloud_connectors())
    assert (code, status) == ("InvalidSignatureException", 403)


def test_boto3_with_unknown_key_gets_unrecognized_client(emu, make_client, error_of):
    bad = make_client(emu, Account("111111111111", "AKIANOBODY0000000000", "whatever"))
    code, status, _ = error_of(lambda: bad.list_cloud_connectors())
    assert (code, status) == ("UnrecognizedClientException", 403)


def test_added_account_can_sign(emu, make_client):
    account = emu.add_account("333333333333", "AKIAC2CEMULATOR00333", "third-secret")
    assert make_client(emu, account).list_cloud_connectors()["Items"] == []
