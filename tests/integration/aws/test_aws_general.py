"""c2c register / status / unregister for a General Authorization project, against the emulator + moto."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

API_KEY = "vendor-api-key-DO-NOT-PRINT-789"  # a test value; the tests assert it never leaks
OTHER_KEY = "second-key-DO-NOT-PRINT-456"
ROTATED_KEY = "rotated-key-DO-NOT-PRINT-321"
CONFIG = """\
connector:
  name: {name}
  auth: general
  description: Acme API key cloud
general_auth:
  materials:
    - name: vendor-api-key
      secret_env: ACME_GA_KEY
    - name: backup/key=2
      secret_env: ACME_GA_OTHER
aws:
  region: us-east-1
"""
MATERIALS = ("vendor-api-key", "backup/key=2")
ORDER = [
    ("lambda-permission", None),
    ("kms-key", None),
    ("secret", "vendor-api-key"),
    ("secret-policy", "vendor-api-key"),
    ("secret", "backup/key=2"),
    ("secret-policy", "backup/key=2"),
    ("cloud-connector", None),
    ("connector-destination", None),
]


@pytest.fixture
def ga_project(aws_env, tmp_path: Path, function_in, monkeypatch) -> Path:
    name = f"acme-ga-{uuid.uuid4().hex[:8]}"
    function_in(aws_env, name)
    monkeypatch.setenv("ACME_GA_KEY", json.dumps({"api_key": API_KEY}))
    monkeypatch.setenv("ACME_GA_OTHER", json.dumps({"api_key": OTHER_KEY, "user_id": "user-2"}))
    directory = tmp_path / name
    directory.mkdir()
    (directory / "c2c.yaml").write_text(CONFIG.format(name=name))
    return directory


def _register(c2c: Callable[..., Any], project: Path, *extra: str) -> Any:
    result = c2c("register", "--project", str(project), "--json", *extra)
    assert result.exit_code == 0, result.stderr
    return result


def _order(report: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(s["resource"], s.get("material")) for s in report["steps"]]


def _assert_no_secret_in(*texts: str) -> None:
    for text in texts:
        for key in (API_KEY, OTHER_KEY, ROTATED_KEY):
            assert key not in text


def _destination(aws, emu, state: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = aws(emu, "iot-managed-integrations").get_connector_destination(
        Identifier=state["destination_id"]
    )
    return found


def test_dry_run_table_names_each_material(aws_env, ga_project, c2c) -> None:
    result = c2c("register", "--project", str(ga_project), "--dry-run")
    assert result.exit_code == 0, result.stderr
    for material in MATERIALS:
        assert f"secret ({material})" in result.stdout and f"secret-policy ({material})" in result.stdout
    _assert_no_secret_in(result.stdout, result.stderr)


def test_dry_run_plans_every_resource_in_order_and_writes_nothing(aws_env, ga_project, c2c) -> None:
    before = len(aws_env.requests())
    report = json.loads(_register(c2c, ga_project, "--dry-run").stdout)
    assert _order(report) == ORDER
    assert {s["action"] for s in report["steps"]} == {"create"}
    writes = [r["operation"] for r in aws_env.requests()[before:] if r["operation"]]
    assert not [op for op in writes if op.startswith(("Create", "Put", "Update", "Delete", "Add"))]


def test_register_creates_key_secrets_policies_connector_and_destination(
    aws_env, ga_project, c2c, aws
) -> None:
    result = _register(c2c, ga_project, "--yes")
    report = json.loads(result.stdout)
    assert report["applied"] is True and _order(report) == ORDER
    state = report["state"]
    sm, kms = aws(aws_env, "secretsmanager"), aws(aws_env, "kms")
    account = aws_env.account.account_id
    refs = {}
    for material, key in zip(MATERIALS, (API_KEY, OTHER_KEY), strict=True):
        recorded = state["auth_materials"][material]
        found = sm.describe_secret(SecretId=recorded["secret_arn"])
        assert found["Name"] == f"c2c/{ga_project.name}/auth/{material}"
        assert found["KmsKeyId"] in (state["kms_key_arn"], state["kms_key_arn"].rsplit("/", 1)[-1])
        assert json.loads(sm.get_secret_value(SecretId=found["ARN"])["SecretString"])["api_key"] == key
        (statement,) = json.loads(sm.get_resource_policy(SecretId=found["ARN"])["ResourcePolicy"])[
            "Statement"
        ]
        assert statement["Principal"] == {"AWS": account}
        assert statement["Action"] == "secretsmanager:GetSecretValue"
        assert statement["Condition"]["ArnLike"]["aws:SourceArn"].endswith(":account-association/*")
        refs[material] = {"arn": found["ARN"], "versionId": recorded["secret_version_id"]}
    key_meta = kms.describe_key(KeyId=state["kms_key_arn"])["KeyMetadata"]
    assert key_meta["KeyManager"] == "CUSTOMER" and key_meta["KeyState"] == "Enabled"
    destination = _destination(aws, aws_env, state)
    assert destination["CloudConnectorId"] == state["connector_id"]
    assert destination["AuthConfig"]["GeneralAuthorization"] == [
        {"AuthMaterialName": m, "SecretsManager": refs[m]} for m in MATERIALS
    ]
    assert "oAuth" not in destination["AuthConfig"]
    _assert_no_secret_in(result.stdout, result.stderr, (ga_project / ".c2c" / "state.json").read_text())


def test_a_rerun_changes_nothing(aws_env, ga_project, c2c) -> None:
    _register(c2c, ga_project, "--yes")
    before = len(aws_env.requests())
    report = json.loads(_register(c2c, ga_project, "--yes").stdout)
    assert report["applied"] is False
    assert {s["action"] for s in report["steps"]} == {"unchanged"}
    ops = [r["operation"] for r in aws_env.requests()[before:] if r["operation"]]
    assert not [op for op in ops if op.startswith(("Create", "Put", "Update", "Delete", "Add", "Restore"))]


def test_a_changed_secret_value_is_a_new_version_the_destination_references(
    aws_env, ga_project, c2c, aws, monkeypatch
) -> None:
    first = json.loads(_register(c2c, ga_project, "--yes").stdout)["state"]
    monkeypatch.setenv("ACME_GA_KEY", json.dumps({"api_key": ROTATED_KEY}))
    result = _register(c2c, ga_project, "--yes")
    report = json.loads(result.stdout)
    changed = {(s["resource"], s.get("material")) for s in report["steps"] if s["action"] != "unchanged"}
    assert changed == {("secret", "vendor-api-key"), ("connector-destination", None)}
    state = report["state"]
    old, new = (s["auth_materials"]["vendor-api-key"] for s in (first, state))
    assert new["secret_arn"] == old["secret_arn"] and new["secret_version_id"] != old["secret_version_id"]
    sm = aws(aws_env, "secretsmanager")
    current = sm.get_secret_value(SecretId=new["secret_arn"], VersionId=new["secret_version_id"])
    assert json.loads(current["SecretString"]) == {"api_key": ROTATED_KEY}
    materials = _destination(aws, aws_env, state)["AuthConfig"]["GeneralAuthorization"]
    assert {m["AuthMaterialName"]: m["SecretsManager"]["versionId"] for m in materials} == {
        "vendor-api-key": new["secret_version_id"],
        "backup/key=2": state["auth_materials"]["backup/key=2"]["secret_version_id"],
    }
    assert state["destination_id"] == first["destination_id"]
    _assert_no_secret_in(result.stdout, result.stderr, (ga_project / ".c2c" / "state.json").read_text())


def test_status_is_in_sync_then_shows_a_missing_secret_policy_as_drift(aws_env, ga_project, c2c, aws) -> None:
    state = json.loads(_register(c2c, ga_project, "--yes").stdout)["state"]
    synced = c2c("status", "--project", str(ga_project), "--json", "--check")
    assert synced.exit_code == 0, synced.stderr
    rows = json.loads(synced.stdout)["resources"]
    secret_rows = [r for r in rows if r["resource"] == "secret"]
    assert [(r["material"], r["id"]) for r in secret_rows] == [
        (m, state["auth_materials"][m]["secret_arn"]) for m in MATERIALS
    ]
    arn = state["auth_materials"]["backup/key=2"]["secret_arn"]
    aws(aws_env, "secretsmanager").delete_resource_policy(SecretId=arn)
    drifted = c2c("status", "--project", str(ga_project), "--json", "--check")
    assert drifted.exit_code == 1
    found = json.loads(drifted.stdout)
    assert found["in_sync"] is False
    drift = [(r["resource"], r.get("material")) for r in found["resources"] if r["drift"]]
    assert drift == [("secret-policy", "backup/key=2")]
    table = c2c("status", "--project", str(ga_project))
    assert "secret-policy (backup/key=2)" in table.stdout and "drift" in table.stdout
    _assert_no_secret_in(synced.stdout, drifted.stdout, table.stdout, table.stderr)


def test_unregister_removes_secrets_key_connector_and_destination(aws_env, ga_project, c2c, aws) -> None:
    state = json.loads(_register(c2c, ga_project, "--yes").stdout)["state"]
    result = c2c("unregister", "--project", str(ga_project), "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    deleted = [(s["resource"], s.get("material")) for s in json.loads(result.stdout)["steps"]]
    assert ("secret", "vendor-api-key") in deleted and ("secret", "backup/key=2") in deleted
    sm, kms = aws(aws_env, "secretsmanager"), aws(aws_env, "kms")
    names = {s["Name"] for s in sm.list_secrets()["SecretList"]}
    assert not {f"c2c/{ga_project.name}/auth/{m}" for m in MATERIALS} & names
    assert kms.describe_key(KeyId=state["kms_key_arn"])["KeyMetadata"]["KeyState"] == "PendingDeletion"
    iot = aws(aws_env, "iot-managed-integrations")
    assert ga_project.name not in {c["Name"] for c in iot.list_cloud_connectors()["Items"]}
    assert not (ga_project / ".c2c" / "state.json").exists()
    again = c2c("unregister", "--project", str(ga_project), "--yes", "--json")
    assert again.exit_code == 0
    assert {s["action"] for s in json.loads(again.stdout)["steps"]} == {"absent"}


@pytest.mark.parametrize(
    ("variable", "value", "needle"),
    [
        ("ACME_GA_OTHER", None, "ACME_GA_OTHER"),
        ("ACME_GA_KEY", f"api_key={API_KEY}", "does not hold a JSON object"),
        ("ACME_GA_KEY", json.dumps([API_KEY]), "does not hold a JSON object"),
    ],
)
def test_bad_secrets_exit_2_before_any_aws_request_without_echoing(
    aws_env, ga_project, c2c, monkeypatch, variable, value, needle
) -> None:
    if value is None:
        monkeypatch.delenv(variable)
    else:
        monkeypatch.setenv(variable, value)
    before = len(aws_env.requests())
    result = c2c("register", "--project", str(ga_project), "--yes")
    assert result.exit_code == 2
    assert needle in result.stderr and variable in result.stderr
    assert result.stderr.count("Error:") == 1 and "Traceback" not in result.stderr
    assert len(aws_env.requests()) == before
    _assert_no_secret_in(result.stdout, result.stderr)
    assert not (ga_project / ".c2c").exists()


def test_a_removed_material_replaces_the_destination(aws_env, ga_project, c2c, aws) -> None:
    first = json.loads(_register(c2c, ga_project, "--yes").stdout)["state"]
    config = ga_project / "c2c.yaml"
    config.write_text(
        config.read_text().replace("    - name: backup/key=2\n      secret_env: ACME_GA_OTHER\n", "")
    )
    report = json.loads(_register(c2c, ga_project, "--yes").stdout)
    assert ("connector-destination", "replace") in [(s["resource"], s["action"]) for s in report["steps"]]
    state = report["state"]
    assert state["destination_id"] != first["destination_id"]
    materials = _destination(aws, aws_env, state)["AuthConfig"]["GeneralAuthorization"]
    assert [m["AuthMaterialName"] for m in materials] == ["vendor-api-key"]
    # The removed material's secret is deleted last, once the new destination no longer references it.
    assert [(s["resource"], s["action"], s.get("material")) for s in report["steps"]][-2:] == [
        ("connector-destination", "replace", None),
        ("secret", "delete", "backup/key=2"),
    ]
    names = {s["Name"] for s in aws(aws_env, "secretsmanager").list_secrets()["SecretList"]}
    assert f"c2c/{ga_project.name}/auth/backup/key=2" not in names
    assert list(state["auth_materials"]) == ["vendor-api-key"]
    again = json.loads(_register(c2c, ga_project, "--yes").stdout)
    assert {s["action"] for s in again["steps"]} == {"unchanged"}


def test_the_general_auth_template_registers_as_scaffolded(
    aws_env, tmp_path, c2c, function_in, aws, monkeypatch
):
    from c2c_cli.scaffold import render_project

    name = f"acme-init-{uuid.uuid4().hex[:8]}"
    function_in(aws_env, name)
    render_project("general-auth", tmp_path / name, name=name)
    monkeypatch.setenv("VENDOR_API_KEY_SECRET", json.dumps({"api_key": API_KEY}))
    state = json.loads(_register(c2c, tmp_path / name, "--yes").stdout)["state"]
    materials = _destination(aws, aws_env, state)["AuthConfig"]["GeneralAuthorization"]
    assert [m["AuthMaterialName"] for m in materials] == ["vendor-api-key"]


def test_unregister_keep_secret_keeps_the_material_secrets_and_the_key(aws_env, ga_project, c2c, aws) -> None:
    state = json.loads(_register(c2c, ga_project, "--yes").stdout)["state"]
    result = c2c("unregister", "--project", str(ga_project), "--yes", "--keep-secret", "--json")
    assert result.exit_code == 0, result.stderr
    sm, kms = aws(aws_env, "secretsmanager"), aws(aws_env, "kms")
    for material in MATERIALS:
        found = sm.describe_secret(SecretId=state["auth_materials"][material]["secret_arn"])
        assert "DeletedDate" not in found
    assert kms.describe_key(KeyId=state["kms_key_arn"])["KeyMetadata"]["KeyState"] == "Enabled"
