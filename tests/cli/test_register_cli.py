"""c2c register / status / unregister: the failures that happen before any AWS call."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from c2c_cli.cli import app

runner = CliRunner()
CONFIG = """\
connector:
  name: acme
oauth:
  authorization_url: https://auth.acme.example/authorize
  token_url: https://auth.acme.example/token
  client_id: cid
  client_secret_env: ACME_CLI_SECRET
"""


@pytest.fixture(autouse=True)
def no_aws(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    empty = tmp_path / "empty"
    empty.write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.delenv("ACME_CLI_SECRET", raising=False)


@pytest.mark.parametrize("command", ["register", "status", "unregister"])
def test_no_project_is_a_usage_error(tmp_path, command) -> None:
    result = runner.invoke(app, [command, "--project", str(tmp_path / "empty-dir")])
    assert result.exit_code == 2
    assert "no c2c.yaml" in result.stderr and "Traceback" not in result.stderr


def test_register_without_the_client_secret_is_a_usage_error(tmp_path) -> None:
    (tmp_path / "c2c.yaml").write_text(CONFIG)
    result = runner.invoke(app, ["register", "--project", str(tmp_path), "--dry-run"])
    assert result.exit_code == 2
    assert "ACME_CLI_SECRET" in result.stderr


@pytest.mark.parametrize("command", [["register", "--dry-run"], ["status"], ["unregister", "--dry-run"]])
def test_no_region_anywhere_is_an_aws_error_with_a_hint(tmp_path, monkeypatch, command) -> None:
    monkeypatch.setenv("ACME_CLI_SECRET", "s3cret-value")
    (tmp_path / "c2c.yaml").write_text(CONFIG)
    result = runner.invoke(app, [*command, "--project", str(tmp_path)])
    assert result.exit_code == 5
    assert "no AWS region" in result.stderr and "--region" in result.stderr
    assert "s3cret-value" not in result.stderr + result.stdout


def test_a_bad_aws_account_id_in_c2c_yaml_is_reported(tmp_path) -> None:
    (tmp_path / "c2c.yaml").write_text(CONFIG + 'aws:\n  account_id: "12"\n')
    result = runner.invoke(app, ["status", "--project", str(tmp_path)])
    assert result.exit_code == 2 and "aws.account_id" in result.stderr


def test_help_lists_the_safety_flags() -> None:
    result = runner.invoke(app, ["register", "--help"])
    assert result.exit_code == 0
    for flag in ("--dry-run", "--yes", "--json", "--profile", "--region", "--link"):
        assert flag in result.stdout
