"""c2c register against the emulator + moto: dry run, apply, policies, idempotency, convergence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

CLIENT_SECRET = "acme-client-secret-DO-NOT-PRINT-123"
WRITE_PREFIXES = ("Create", "Update", "Delete", "Put", "Register", "Start")


def _writes(emu: Any) -> list[str]:
    return [
        r["operation"] for r in emu.requests() if r["operation"] and r["operation"].startswith(WRITE_PREFIXES)
    ]


def test_dry_run_plans_every_step_and_writes_nothing(aws_env, project, c2c, inventory) -> None:
    before = _writes(aws_env)
    result = c2c("register", "--project", str(project), "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["applied"] is False
    assert [s["action"] for s in report["steps"]] == ["create"] * 6
    assert _writes(aws_env) == before
    assert inventory(aws_env, project.name) == {
        "connectors": [],
        "destinations": [],
        "statements": [],
        "secrets": [],
        "aliases": [],
    }
    assert not (project / ".c2c" / "state.json").exists()


def test_dry_run_prints_the_plan_as_a_table(aws_env, project, c2c) -> None:
    result = c2c("register", "--project", str(project), "--dry-run")
    assert result.exit_code == 0, result.stderr
    for resource in (
        "lambda-permission",
        "kms-key",
        "secret",
        "secret-policy",
        "cloud-connector",
        "connector-destination",
    ):
        assert resource in result.stdout
    assert "Dry run" in result.stderr


def test_apply_without_yes_and_without_a_tty_refuses(aws_env, project, c2c, inventory) -> None:
    result = c2c("register", "--project", str(project))
    assert result.exit_code == 2
    assert "--yes" in result.stderr
    assert inventory(aws_env, project.name)["connectors"] == []


@pytest.fixture
def registered(aws_env, project, c2c) -> dict[str, Any]:
    result = c2c("register", "--project", str(project), "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    return {"result": result, "report": json.loads(result.stdout), "project": project}


def test_apply_creates_every_resource_and_records_the_state(registered, aws_env, inventory) -> None:
    project, report = registered["project"], registered["report"]
    assert report["applied"] is True
    found = inventory(aws_env, project.name)
    assert {k: len(v) for k, v in found.items()} == {
        "connectors": 1,
        "destinations": 1,
        "statements": 1,
        "secrets": 1,
        "aliases": 1,
    }
    state = json.loads((project / ".c2c" / "state.json").read_text())
    assert state["connector_id"] == found["connectors"][0]["Id"]
    assert state["destination_id"] == found["destinations"][0]["Id"]
    assert report["state"]["connector_id"] == state["connector_id"]


def test_lambda_policy_allows_the_service_for_this_accounts_associations(registered, aws_env, aws) -> None:
    name = registered["project"].name
    policy = json.loads(aws(aws_env, "lambda").get_policy(FunctionName=name)["Policy"])
    (stmt,) = [s for s in policy["Statement"] if s["Sid"] == "c2c-iotmanagedintegrations-invoke"]
    assert stmt["Principal"] == {"Service": "iotmanagedintegrations.amazonaws.com"}
    assert stmt["Action"] == "lambda:InvokeFunction"
    account = aws_env.account.account_id
    assert (
        stmt["Condition"]["ArnLike"]["AWS:SourceArn"]
        == f"arn:aws:iotmanagedintegrations:us-east-1:{account}:account-association/*"
    )
    assert stmt["Condition"]["StringEquals"]["AWS:SourceAccount"] == account


def test_secret_holds_the_client_and_its_policy_names_the_service(registered, aws_env, aws) -> None:
    sm = aws(aws_env, "secretsmanager")
    name = registered["project"].name
    arn = registered["report"]["state"]["secret_arn"]
    assert json.loads(sm.get_secret_value(SecretId=arn)["SecretString"]) == {
        "clientId": "acme-client-id",
        "clientSecret": CLIENT_SECRET,
    }
    policy = json.loads(sm.get_resource_policy(SecretId=arn)["ResourcePolicy"])
    (stmt,) = policy["Statement"]
    assert stmt["Principal"] == {"Service": "iotmanagedintegrations.amazonaws.com"}
    assert stmt["Action"] == "secretsmanager:GetSecretValue"
    assert stmt["Condition"]["ArnLike"]["aws:SourceArn"].endswith(":account-association/*")
    described = sm.describe_secret(SecretId=arn)
    assert described["KmsKeyId"] == registered["report"]["state"]["kms_key_arn"]
    assert described["Name"] == f"c2c/{name}/oauth-client"


def test_kms_key_policy_lets_the_service_decrypt(registered, aws_env, aws) -> None:
    key = registered["report"]["state"]["kms_key_arn"]
    policy = json.loads(aws(aws_env, "kms").get_key_policy(KeyId=key, PolicyName="default")["Policy"])
    service = [
        s
        for s in policy["Statement"]
        if s["Principal"] == {"Service": "iotmanagedintegrations.amazonaws.com"}
    ]
    assert service and set(service[0]["Action"]) == {"kms:Decrypt", "kms:DescribeKey"}


def test_connector_and_destination_carry_the_lambda_oauth_config_and_secret_version(
    registered, aws_env, aws
) -> None:
    iot = aws(aws_env, "iot-managed-integrations")
    state = registered["report"]["state"]
    connector = iot.get_cloud_connector(Identifier=state["connector_id"])
    assert connector["EndpointConfig"]["lambda"]["arn"] == state["function_arn"]
    assert connector["EndpointType"] == "LAMBDA"
    dest = iot.get_connector_destination(Identifier=state["destination_id"])
    assert dest["AuthType"] == "OAUTH"
    assert dest["AuthConfig"]["oAuth"] == {
        "authUrl": "https://auth.acme.example/oauth/authorize",
        "tokenUrl": "https://auth.acme.example/oauth/token",
        "scope": "devices.read devices.write",
        "tokenEndpointAuthenticationScheme": "HTTP_BASIC",
        "oAuthCompleteRedirectUrl": "https://app.acme.example/linked",
    }
    assert dest["SecretsManager"] == {"arn": state["secret_arn"], "versionId": state["secret_version_id"]}


def test_no_secret_is_printed(registered, aws_env) -> None:
    result = registered["result"]
    for text in (result.stdout, result.stderr):
        assert CLIENT_SECRET not in text
        assert aws_env.account.secret_access_key not in text


def test_second_apply_is_a_no_op(registered, aws_env, c2c, inventory) -> None:
    project = registered["project"]
    writes = _writes(aws_env)
    again = c2c("register", "--project", str(project), "--yes", "--json")
    assert again.exit_code == 0, again.stderr
    report = json.loads(again.stdout)
    assert report["applied"] is False
    assert {s["action"] for s in report["steps"]} == {"unchanged"}
    assert _writes(aws_env) == writes
    assert {k: len(v) for k, v in inventory(aws_env, project.name).items()} == dict.fromkeys(
        ("connectors", "destinations", "statements", "secrets", "aliases"), 1
    )


def test_a_new_client_secret_updates_the_secret_and_the_destination_version(
    registered, aws_env, c2c, aws, monkeypatch
) -> None:
    project = registered["project"]
    monkeypatch.setenv("ACME_TEST_CLIENT_SECRET", "rotated-secret-value-456")
    result = c2c("register", "--project", str(project), "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    actions = {s["resource"]: s["action"] for s in report["steps"]}
    assert actions["secret"] == "update" and actions["connector-destination"] == "update"
    assert actions["cloud-connector"] == "unchanged"
    dest = aws(aws_env, "iot-managed-integrations").get_connector_destination(
        Identifier=report["state"]["destination_id"]
    )
    assert dest["SecretsManager"]["versionId"] == report["state"]["secret_version_id"]
    assert dest["SecretsManager"]["versionId"] != registered["report"]["state"]["secret_version_id"]


def test_a_changed_scope_replaces_the_destination(registered, aws_env, c2c, inventory) -> None:
    project = registered["project"]
    text = (project / "c2c.yaml").read_text().replace("devices.read, devices.write", "devices.read")
    (project / "c2c.yaml").write_text(text)
    result = c2c("register", "--project", str(project), "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    actions = {s["resource"]: s["action"] for s in json.loads(result.stdout)["steps"]}
    assert actions["connector-destination"] == "replace"
    (dest,) = inventory(aws_env, project.name)["destinations"]
    assert dest["Id"] == json.loads(result.stdout)["state"]["destination_id"]


def test_state_file_is_private_and_holds_no_secret(registered) -> None:
    path: Path = registered["project"] / ".c2c" / "state.json"
    assert path.stat().st_mode & 0o777 == 0o600
    assert CLIENT_SECRET not in path.read_text()
