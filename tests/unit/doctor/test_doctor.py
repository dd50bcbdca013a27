import json
import os
from importlib import metadata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from c2c_cli.cli import app
from c2c_cli.doctor import check_packages, check_project, check_python, check_token_store, run_doctor

runner = CliRunner()


def _no_aws(online: bool):
    return [("aws-credentials", "warn", "no AWS credentials found", "")]


def test_python_version_gate() -> None:
    assert check_python((3, 11)).status == "pass"
    assert check_python((3, 10)).status == "fail"


def test_missing_core_package_fails_and_missing_dev_extra_warns() -> None:
    def version_of(name: str) -> str:
        if name in ("moto", "ruff"):
            raise metadata.PackageNotFoundError(name)
        return "1.0"

    core, dev = check_packages(version_of)
    assert (core.status, dev.status) == ("fail", "warn")
    assert "moto" in core.detail and "ruff" in dev.detail


def test_token_store_shared_with_others_fails(tmp_path: Path) -> None:
    store = tmp_path / "tokens.json"
    store.write_text('{"version": 1, "profiles": {}}')
    os.chmod(store, 0o644)
    check = check_token_store(tmp_path)
    assert check.status == "fail" and "chmod 600" in check.hint
    os.chmod(store, 0o600)
    assert check_token_store(tmp_path).status == "pass"


def test_invalid_project_config_fails_with_the_problems(tmp_path: Path) -> None:
    (tmp_path / "c2c.yaml").write_text("connector:\n  name: 1bad\n  auth: general\n")
    check = check_project(tmp_path)
    assert check.status == "fail" and "connector.name" in check.detail
    (tmp_path / "c2c.yaml").write_text("connector:\n  name: good\n  auth: general\n")
    assert check_project(tmp_path).status == "pass"


def test_report_is_ok_without_failures(tmp_path: Path) -> None:
    report = run_doctor(project=tmp_path, home=tmp_path, aws_checks=_no_aws)
    ids = [c.id for c in report.checks]
    assert ids[:1] == ["python"] and {"loopback", "token-store", "project", "aws-credentials"} <= set(ids)
    assert report.ok


def test_cli_json_and_no_secret_in_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("C2C_HOME", str(tmp_path))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIADOCTORTEST000001")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "doctor-secret-never-printed")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    result = runner.invoke(app, ["doctor", "--project", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    checks = {c["id"]: c for c in data["checks"]}
    assert checks["aws-credentials"]["status"] == "pass" and "env" in checks["aws-credentials"]["detail"]
    assert checks["aws-region"]["detail"] == "eu-west-1"
    assert "doctor-secret-never-printed" not in result.output and "AKIADOCTORTEST000001" not in result.output


def test_cli_exits_1_when_a_check_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("C2C_HOME", str(tmp_path))
    (tmp_path / "c2c.yaml").write_text("connector: [\n")
    result = runner.invoke(app, ["doctor", "--project", str(tmp_path)])
    assert result.exit_code == 1
    assert "project" in result.stdout


def test_a_home_that_is_a_file_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # issue 13 §13: c2c doctor reports an unusable C2C_HOME as a failure (exit 1).
    home = tmp_path / "home"
    home.write_text("not a directory")
    monkeypatch.setenv("C2C_HOME", str(home))
    result = runner.invoke(app, ["doctor", "--project", str(tmp_path), "--json"])
    assert result.exit_code == 1
    checks = {c["id"]: c for c in json.loads(result.stdout)["checks"]}
    assert checks["home"]["status"] == "fail"
    assert "is not a directory" in checks["home"]["detail"] and "C2C_HOME" in checks["home"]["hint"]


def test_a_missing_home_passes_and_is_not_created(tmp_path: Path) -> None:
    report = run_doctor(project=tmp_path, home=tmp_path / "new", aws_checks=_no_aws)
    assert {c.id: c.status for c in report.checks}["home"] == "pass"
    assert not (tmp_path / "new").exists()
