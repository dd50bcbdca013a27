"""Error paths of c2c register: one clear Error/Hint on stderr, the right exit code, no traceback."""

from __future__ import annotations

import pytest

from c2c_cli.emulator import EmulatorSettings, start_emulator


def _clean(result, code: int) -> None:
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error:")


def test_no_credentials(aws_env, project, c2c, monkeypatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    result = c2c("register", "--project", str(project), "--dry-run")
    _clean(result, 5)
    assert "no AWS credentials" in result.stderr and "Hint:" in result.stderr


def test_unknown_profile(aws_env, project, c2c) -> None:
    result = c2c("register", "--project", str(project), "--dry-run", "--profile", "nope")
    _clean(result, 5)
    assert "'nope' not found" in result.stderr


def test_wrong_region_finds_no_function(aws_env, project, c2c) -> None:
    result = c2c("register", "--project", str(project), "--dry-run", "--region", "eu-west-1")
    _clean(result, 5)
    assert "not found" in result.stderr and "eu-west-1" in result.stderr


def test_lambda_not_found(aws_env, make_project, c2c) -> None:
    project = make_project(with_function=False)
    result = c2c("register", "--project", str(project), "--yes")
    _clean(result, 5)
    assert f"Lambda function '{project.name}' not found" in result.stderr
    assert "Deploy the connector first" in result.stderr


def test_credentials_the_service_does_not_know(aws_env, project, c2c, monkeypatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAUNKNOWNKEY000000")
    result = c2c("register", "--project", str(project), "--dry-run")
    _clean(result, 5)
    assert "UnrecognizedClientException" in result.stderr and "ListCloudConnectors" in result.stderr


def test_another_account_than_configured(aws_env, project, c2c) -> None:
    config = project / "c2c.yaml"
    config.write_text(config.read_text() + '  account_id: "999999999999"\n')
    result = c2c("register", "--project", str(project), "--dry-run")
    _clean(result, 5)
    assert "999999999999" in result.stderr and "--profile" in result.stderr


def test_missing_client_secret_is_a_usage_error(aws_env, project, c2c, monkeypatch) -> None:
    monkeypatch.delenv("ACME_TEST_CLIENT_SECRET")
    result = c2c("register", "--project", str(project), "--dry-run")
    _clean(result, 2)
    assert "ACME_TEST_CLIENT_SECRET" in result.stderr


def test_emulator_not_running(aws_env, project, c2c, monkeypatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_IOT_MANAGED_INTEGRATIONS", "http://127.0.0.1:9")
    result = c2c("register", "--project", str(project), "--dry-run")
    _clean(result, 5)
    assert "cannot reach" in result.stderr


@pytest.mark.parametrize("operation", ["CreateCloudConnector", "ListCloudConnectors"])
def test_throttling_is_retried_then_reported(make_project, point_at, function_in, c2c, operation) -> None:
    settings = EmulatorSettings(throttle_rate=1.0, fault_operations=(operation,), seed=3)
    with start_emulator(settings) as emu:
        point_at(emu)
        project = make_project(with_function=False)
        function_in(emu, project.name)
        result = c2c("register", "--project", str(project), "--yes")
        attempts = [r["attempt"] for r in emu.requests() if r["operation"] == operation]
    _clean(result, 5)
    assert f"{operation} failed: ThrottlingException" in result.stderr
    assert "after 3 attempts" in result.stderr
    assert len(attempts) == 3
