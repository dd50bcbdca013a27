"""General Authorization end to end: a plain boto3 customer script against the emulator (issue 17).

A sandbox (two users; its API key acts for both), an emulator with moto, and a freshly rendered
``general-auth`` template attached as the connector's function. ``c2c register --yes`` sets up the
customer's side (contract.md §7.1): a customer-managed KMS key, the API key as a secret under it with a
resource policy for the connector's account, the cloud connector and a destination with
``AuthConfig.GeneralAuthorization``; the refusal tests build variants of that with boto3. Then the customer script links
(no browser), discovers, onboards, commands and unlinks; the API key never reaches the emulator's logs.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from typer.testing import CliRunner

from c2c_cli.cli import app
from c2c_cli.emulator import Emulator, EmulatorSettings, start_emulator
from c2c_cli.sandbox import Sandbox, SandboxSettings, start_sandbox

NAME = "acme-ga"
MATERIAL = "vendor-api-key"
ON_OFF = {"id": "matter.OnOff@1.4", "name": "OnOff", "version": "1"}


def wait_for(probe: Callable[[], Any], timeout: float = 20.0) -> Any:
    """Poll until ``probe`` returns something truthy."""
    deadline = time.monotonic() + timeout * float(os.environ.get("C2C_TEST_WAIT_SCALE", "1"))
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Sandbox, Emulator, Path]]:
    """Sandbox + emulator (moto) + the general-auth template attached for function ``acme-ga``."""
    from c2c_cli.scaffold import render_project

    project = tmp_path_factory.mktemp("ga") / NAME
    with (
        start_sandbox(
            SandboxSettings(port=0, db=":memory:", users=("alice", "bob"), devices_per_user=3)
        ) as sb,
        start_emulator(EmulatorSettings(port=0, db=":memory:", with_moto=True)) as emu,
    ):
        render_project("general-auth", project, name=NAME, vendor_url=sb.base_url)
        emu.attach_connector(NAME, project, env={"VENDOR_API_URL": sb.base_url})
        yield sb, emu, project


def _client(emu: Emulator, service: str, account: Any = None) -> Any:
    account = account or emu.account
    endpoint = emu.endpoint_url if service == "iot-managed-integrations" else emu.aws_endpoint_url
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=emu.region,
        aws_access_key_id=account.access_key_id,
        aws_secret_access_key=account.secret_access_key,
    )


def register_general(emu: Emulator, secret: dict[str, str], principal: str, account: Any = None) -> str:
    """What ``c2c register`` creates for General Authorization; the destination id."""
    account = account or emu.account
    kms, sm = _client(emu, "kms", account), _client(emu, "secretsmanager", account)
    key = kms.create_key(Description=f"{NAME} secrets")["KeyMetadata"]["KeyId"]
    created = sm.create_secret(
        Name=f"{NAME}-{os.urandom(4).hex()}/{MATERIAL}", KmsKeyId=key, SecretString=json.dumps(secret)
    )
    source = f"arn:aws:iotmanagedintegrations:{emu.region}:{account.account_id}:account-association/*"
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": principal},
                "Action": "secretsmanager:GetSecretValue",
                "Resource": "*",
                "Condition": {"ArnLike": {"aws:SourceArn": source}},
            }
        ],
    }
    sm.put_resource_policy(SecretId=created["ARN"], ResourcePolicy=json.dumps(policy))
    iot = _client(emu, "iot-managed-integrations", account)
    arn = f"arn:aws:lambda:{emu.region}:{account.account_id}:function:{NAME}"
    name = f"{NAME}-{os.urandom(4).hex()}"
    cid = iot.create_cloud_connector(Name=name, EndpointConfig={"lambda": {"arn": arn}})["Id"]
    ref = {"arn": created["ARN"], "versionId": created["VersionId"]}
    material = {"AuthMaterialName": MATERIAL, "SecretsManager": ref}
    return str(
        iot.create_connector_destination(
            CloudConnectorId=cid, AuthConfig={"GeneralAuthorization": [material]}
        )["Id"]
    )


def _state(iot: Any, aid: str) -> dict[str, Any]:
    found = iot.get_account_association(AccountAssociationId=aid)
    return found if found["AssociationState"] != "ASSOCIATION_IN_PROGRESS" else {}


def _on_off(iot: Any, tid: str) -> Any:
    for endpoint in iot.get_managed_thing_state(ManagedThingId=tid)["Endpoints"]:
        for cap in endpoint["capabilities"]:
            if cap["id"] == ON_OFF["id"]:
                return (cap.get("properties") or {}).get("OnOff")
    return None


def _invocations(emu: Emulator, operation: str) -> list[dict[str, Any]]:
    return [r for r in emu.events() if r.get("kind") == "invocation" and r.get("operation") == operation]


def c2c_register(emu: Emulator, project: Path, secret: dict[str, str]) -> tuple[str, str]:
    """``c2c register --yes`` of the project against the emulator (its c2c.yaml names the material and
    ``VENDOR_API_KEY_SECRET``); the destination id and everything the command printed."""
    env = {
        **emu.client_env(),
        "VENDOR_API_KEY_SECRET": json.dumps(secret),
        "C2C_HOME": str(project / ".home"),
    }
    result = CliRunner().invoke(app, ["register", "--project", str(project), "--yes", "--json"], env=env)
    assert result.exit_code == 0, result.stdout + result.stderr
    return str(json.loads(result.stdout)["state"]["destination_id"]), result.stdout + result.stderr


def test_a_boto3_customer_links_discovers_commands_and_unlinks(stack: tuple[Sandbox, Emulator, Path]) -> None:
    sb, emu, project = stack
    api_key, alice = str(sb.info["api_key"]), sb.user_id("alice")
    did, printed = c2c_register(emu, project, {"api_key": api_key, "user_id": alice})
    assert api_key not in printed and api_key not in (project / ".c2c" / "state.json").read_text()
    iot = _client(emu, "iot-managed-integrations")

    destination = iot.get_connector_destination(Identifier=did)
    assert [m["AuthMaterialName"] for m in destination["AuthConfig"]["GeneralAuthorization"]] == [MATERIAL]

    created = iot.create_account_association(
        ConnectorDestinationId=did, GeneralAuthorization={"AuthMaterialName": MATERIAL}
    )
    assert created["OAuthAuthorizationUrl"] == ""
    aid = created["AccountAssociationId"]
    assert wait_for(lambda: _state(iot, aid))["AssociationState"] == "ASSOCIATION_SUCCEEDED"
    activate = _invocations(emu, "AWS.ActivateUser")[-1]
    ref = destination["AuthConfig"]["GeneralAuthorization"][0]["SecretsManager"]
    assert activate["request"]["header"]["auth"] == {"type": "GeneralAuthorization", "secretsManager": ref}
    assert activate["response"]["payload"]["userId"] == alice

    run = iot.start_device_discovery(DiscoveryType="CLOUD", AccountAssociationId=aid)["Id"]
    assert wait_for(lambda: iot.get_device_discovery(Identifier=run)["Status"] != "RUNNING")
    assert iot.get_device_discovery(Identifier=run)["Status"] == "SUCCEEDED"
    found = iot.list_discovered_devices(Identifier=run)["Items"]
    assert sorted(d["ConnectorDeviceId"] for d in found) == sorted(d["id"] for d in sb.devices_of(alice))

    light = next(d for d in sb.devices_of(alice) if d["state"].get("on") is False)
    device = next(d for d in found if d["ConnectorDeviceId"] == light["id"])
    tid = iot.create_managed_thing(
        Role="DEVICE",
        AuthenticationMaterial=device["AuthenticationMaterial"],
        AuthenticationMaterialType="DISCOVERED_DEVICE",
    )["Id"]
    iot.register_account_association(ManagedThingId=tid, AccountAssociationId=aid, DeviceDiscoveryId=run)
    endpoints = [{"endpointId": "1", "capabilities": [{**ON_OFF, "actions": [{"name": "On"}]}]}]
    iot.send_managed_thing_command(ManagedThingId=tid, Endpoints=endpoints)
    wait_for(lambda: _on_off(iot, tid) is True)
    assert sb.device(light["id"])["state"]["on"] is True
    poke = ["sandbox", "poke", light["id"], "on=false", "--url", sb.base_url, "--admin-key", sb.admin_key]
    assert CliRunner().invoke(app, poke).exit_code == 0  # the vendor's webhook -> DEVICE_EVENT
    wait_for(lambda: _on_off(iot, tid) is False)

    iot.delete_account_association(AccountAssociationId=aid)
    deactivate = _invocations(emu, "AWS.DeactivateUser")
    assert deactivate and deactivate[-1]["verdict"] == "ok"
    assert deactivate[-1]["request"]["header"]["auth"]["type"] == "GeneralAuthorization"
    assert iot.list_managed_things()["Items"] == []
    assert api_key not in json.dumps(emu.events()) and api_key not in json.dumps(emu.requests())


def test_an_unknown_auth_material_is_the_models_validation_error(
    stack: tuple[Sandbox, Emulator, Path],
) -> None:
    sb, emu, _ = stack
    did = register_general(emu, {"api_key": str(sb.info["api_key"])}, emu.account.account_id)
    iot = _client(emu, "iot-managed-integrations")
    with pytest.raises(iot.exceptions.ValidationException, match="no-such-key"):
        iot.create_account_association(
            ConnectorDestinationId=did, GeneralAuthorization={"AuthMaterialName": "no-such-key"}
        )


def test_a_connector_of_an_account_the_secret_policy_does_not_name_is_refused(
    stack: tuple[Sandbox, Emulator, Path],
) -> None:
    sb, emu, _ = stack
    other = emu.add_account("333333333333", "AKIAC2CEMULATOR33333", "c2c-emulator-test-secret-333333333333")
    secret = {"api_key": str(sb.info["api_key"]), "user_id": sb.user_id("alice")}
    iot = _client(emu, "iot-managed-integrations", other)
    # moto files account 333333333333's secret under its default account, so it is another account's
    refused = register_general(emu, secret, "444444444444", other)
    aid = iot.create_account_association(ConnectorDestinationId=refused)["AccountAssociationId"]
    failed = wait_for(lambda: _state(iot, aid))
    assert failed["AssociationState"] == "ASSOCIATION_FAILED"
    assert "AccessDeniedException" in failed["ErrorMessage"]
    refusal = _invocations(emu, "AWS.ActivateUser")[-1]
    assert (refusal["verdict"], refusal["attempts"]) == ("failed", [])  # recorded, the connector not run
    assert "333333333333 is not allowed" in refusal["error_message"]
    allowed = register_general(emu, secret, "arn:aws:iam::333333333333:root", other)
    aid = iot.create_account_association(ConnectorDestinationId=allowed)["AccountAssociationId"]
    assert wait_for(lambda: _state(iot, aid))["AssociationState"] == "ASSOCIATION_SUCCEEDED"
