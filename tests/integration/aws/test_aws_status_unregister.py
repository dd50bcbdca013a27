"""c2c status (drift against c2c.yaml) and c2c unregister (nothing left behind, idempotent)."""

from __future__ import annotations

import json
import shlex

import pytest

NOTHING = {"connectors": [], "destinations": [], "statements": [], "secrets": [], "aliases": []}


@pytest.fixture
def registered(aws_env, project, c2c):
    result = c2c("register", "--project", str(project), "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    return project


def test_status_before_register_shows_nothing_registered(aws_env, project, c2c) -> None:
    result = c2c("status", "--project", str(project), "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["registered"] is False and report["in_sync"] is False
    assert all(not r["present"] for r in report["resources"])


def test_status_after_register_is_in_sync(registered, c2c, aws_env) -> None:
    result = c2c("status", "--project", str(registered), "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["registered"] is True and report["in_sync"] is True
    assert report["account_id"] == aws_env.account.account_id
    permission = next(r for r in report["resources"] if r["resource"] == "lambda-permission")
    assert permission["present"] is True and permission["drift"] is None
    # ARNs are data, shown verbatim (":secret:" is also a Rich emoji code).
    table = c2c("status", "--project", str(registered))
    secret = next(r for r in report["resources"] if r["resource"] == "secret")
    assert secret["id"] in table.stdout.replace("\n", "")


def test_status_shows_drift_from_c2c_yaml(registered, c2c) -> None:
    config = registered / "c2c.yaml"
    config.write_text(
        config.read_text().replace("https://app.acme.example/linked", "https://app.acme.example/done")
    )
    result = c2c("status", "--project", str(registered), "--json")
    report = json.loads(result.stdout)
    assert report["in_sync"] is False
    drift = next(r for r in report["resources"] if r["resource"] == "connector-destination")["drift"]
    assert drift["action"] == "update" and "oAuthCompleteRedirectUrl" in drift["detail"]


def test_status_lists_associations(registered, c2c, aws, aws_env) -> None:
    state = json.loads((registered / ".c2c" / "state.json").read_text())
    iot = aws(aws_env, "iot-managed-integrations")
    made = iot.create_account_association(ConnectorDestinationId=state["destination_id"], Name="alice")
    report = json.loads(c2c("status", "--project", str(registered), "--json").stdout)
    assert report["associations"] == [
        {
            "id": made["AccountAssociationId"],
            "name": "alice",
            "state": "ASSOCIATION_IN_PROGRESS",
            "error": None,
        }
    ]
    table = c2c("status", "--project", str(registered))
    assert made["AccountAssociationId"] in table.stdout


def test_unregister_leaves_nothing_behind(registered, c2c, aws, aws_env, inventory) -> None:
    key = json.loads((registered / ".c2c" / "state.json").read_text())["kms_key_arn"]
    result = c2c("unregister", "--project", str(registered), "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["applied"] is True
    assert [s["resource"] for s in report["steps"]] == [
        "connector-destination",
        "cloud-connector",
        "secret",
        "kms-key",
        "lambda-permission",
    ]
    assert inventory(aws_env, registered.name) == NOTHING
    assert aws(aws_env, "kms").describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "PendingDeletion"
    assert not (registered / ".c2c" / "state.json").exists()


def test_unregister_deletes_associations_first_and_is_idempotent(
    registered, c2c, aws, aws_env, inventory
) -> None:
    state = json.loads((registered / ".c2c" / "state.json").read_text())
    aws(aws_env, "iot-managed-integrations").create_account_association(
        ConnectorDestinationId=state["destination_id"]
    )
    first = c2c("unregister", "--project", str(registered), "--yes", "--json")
    assert first.exit_code == 0, first.stderr
    assert json.loads(first.stdout)["steps"][0]["resource"] == "account-association"
    second = c2c("unregister", "--project", str(registered), "--yes", "--json")
    assert second.exit_code == 0, second.stderr
    assert {s["action"] for s in json.loads(second.stdout)["steps"]} == {"absent"}
    assert inventory(aws_env, registered.name) == NOTHING


def test_unregister_keep_secret_keeps_secret_and_key(registered, c2c, aws_env, inventory) -> None:
    result = c2c("unregister", "--project", str(registered), "--yes", "--keep-secret")
    assert result.exit_code == 0, result.stderr
    found = inventory(aws_env, registered.name)
    assert found["connectors"] == [] and found["statements"] == []
    assert len(found["secrets"]) == 1 and len(found["aliases"]) == 1


def test_register_after_unregister_starts_fresh(registered, c2c, aws_env, inventory, monkeypatch) -> None:
    monkeypatch.chdir(registered)
    gone = c2c("unregister", "--yes")
    assert gone.exit_code == 0, gone.stderr
    # issue 13 §7: the printed next step is a command that succeeds as typed, here
    argv = shlex.split(gone.stderr.split("Next: ", 1)[1])
    assert argv[:2] == ["c2c", "register"]
    result = c2c(*argv[1:], "--json")
    assert result.exit_code == 0, result.stderr
    assert [s["action"] for s in json.loads(result.stdout)["steps"]] == ["create"] * 6
    assert {k: len(v) for k, v in inventory(aws_env, registered.name).items()} == dict.fromkeys(NOTHING, 1)


def test_unregister_without_yes_and_without_a_tty_refuses(registered, c2c, aws_env, inventory) -> None:
    result = c2c("unregister", "--project", str(registered))
    assert result.exit_code == 2 and "--yes" in result.stderr
    assert len(inventory(aws_env, registered.name)["connectors"]) == 1


def test_status_check_exits_1_on_drift_only(aws_env, project, c2c) -> None:
    before = c2c("status", "--project", str(project), "--check", "--json")
    assert before.exit_code == 1 and json.loads(before.stdout)["registered"] is False
    assert c2c("register", "--project", str(project), "--yes").exit_code == 0
    assert c2c("status", "--project", str(project), "--check").exit_code == 0
    config = project / "c2c.yaml"
    config.write_text(
        config.read_text().replace("https://app.acme.example/linked", "https://app.acme.example/x")
    )
    assert c2c("status", "--project", str(project), "--check").exit_code == 1
    assert c2c("status", "--project", str(project)).exit_code == 0  # without --check, drift is a report
