"""General Authorization in 'c2c test' (issue 17 item 5): a real secret in moto, the wrong auth type, an
unreadable secret and a rotated secret; the general-auth template passes, each broken GA connector fails
with its rule."""

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from c2c_cli.cli import app

runner = CliRunner()
GA_CASES = ("negative.wrong-auth-type", "negative.unreadable-secret", "lifecycle.rotated-secret")
MUTATIONS = {
    "ga_ignores_auth_type": ("negative.wrong-auth-type", "sim.auth-type-accepted"),
    "ga_raises_on_unreadable_secret": ("negative.unreadable-secret", "sim.unreadable-secret"),
    "ga_caches_by_arn": ("lifecycle.rotated-secret", "sim.stale-secret"),
}


def _conformance(project: Path, *extra: str) -> tuple[int, dict]:
    result = runner.invoke(app, ["test", "--project", str(project), "--sandbox", "--json", *extra])
    return result.exit_code, json.loads(result.stdout)


def _statuses(data: dict) -> dict[str, str]:
    return {c["id"]: c["status"] for c in data["cases"]}


@pytest.fixture(scope="module")
def general_auth_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("ga") / "acme"
    result = runner.invoke(app, ["init", str(target), "--template", "general-auth", "--no-input", "--json"])
    assert result.exit_code == 0, result.output
    return Path(json.loads(result.stdout)["path"])


def test_the_general_auth_template_passes_every_case_in_its_worker(general_auth_project: Path) -> None:
    # The default target: one subprocess worker; the rotation must not restart it (a cold start).
    code, data = _conformance(general_auth_project)
    assert code == 0, [
        (c["id"], c["evidence"], c["violations"]) for c in data["cases"] if c["status"] == "fail"
    ]
    assert data["target"] == "subprocess"
    statuses = _statuses(data)
    assert {statuses[case] for case in GA_CASES} == {"pass"}
    rotated = next(c for c in data["cases"] if c["id"] == "lifecycle.rotated-secret")
    assert "warm: True" in rotated["evidence"]
    # OAuth-only cases do not exist for a General Authorization connector.
    assert "negative.revoked-token" not in statuses


def test_the_unbroken_general_authorization_minikit_passes(broken: Callable[[str], Path]) -> None:
    code, data = _conformance(broken("ga_correct"), "--in-process")
    assert code == 0, data["failed_rules"]
    assert {_statuses(data)[case] for case in GA_CASES} == {"pass"}


@pytest.mark.parametrize(("name", "expected"), sorted(MUTATIONS.items()))
def test_each_broken_general_authorization_connector_fails_its_case(
    broken: Callable[[str], Path], name: str, expected: tuple[str, str]
) -> None:
    case, rule = expected
    code, data = _conformance(broken(name), "--in-process", "--retries", "1")
    assert code == 3
    assert rule in data["failed_rules"]
    assert _statuses(data)[case] == "fail"
    others = {c for c in GA_CASES if c != case}
    assert {_statuses(data)[c] for c in others} == {"pass"}


def test_without_a_sandbox_the_cases_needing_it_are_skipped(
    broken: Callable[[str], Path], tmp_path: Path
) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"api_key": "sk_c2c_skip_case_key", "user_id": "user-alice"}))
    result = runner.invoke(
        app, ["test", "--project", str(broken("ga_correct")), "--in-process", "--json", "--secret-file", str(secret),
              "-k", "negative.wrong-auth-type", "-k", "negative.unreadable-secret", "-k", "lifecycle.rotated-secret"],
    )  # fmt: skip
    data = json.loads(result.stdout)
    statuses = _statuses(data)
    assert statuses["negative.wrong-auth-type"] == "pass"
    assert statuses["negative.unreadable-secret"] == "pass"
    assert statuses["lifecycle.rotated-secret"] == "skip"


def test_a_secret_file_is_a_real_secret_the_connector_reads(
    broken: Callable[[str], Path], tmp_path: Path
) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"api_key": "sk_c2c_file_key", "user_id": "user-from-the-secret"}))
    result = runner.invoke(
        app,
        [
            "simulate",
            "activate",
            "--project",
            str(broken("ga_correct")),
            "--secret-file",
            str(secret),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # The user id is only in the secret: the connector read it from the local Secrets Manager.
    assert data["user_id"] == "user-from-the-secret"
    assert data["request"]["header"]["auth"]["secretsManager"]["arn"].startswith("arn:aws:secretsmanager:")


@pytest.mark.parametrize("command", [["test"], ["simulate", "activate"]])
def test_a_secret_arn_without_a_deployed_function_is_a_usage_error(
    broken: Callable[[str], Path], command: list[str]
) -> None:
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:vendor-key-AbCdEf"
    result = runner.invoke(app, [*command, "--project", str(broken("ga_correct")), "--secret-arn", arn])
    assert result.exit_code == 2
    assert "Error: --secret-arn names a deployed secret" in result.output
    assert "--function" in result.output
    assert "Traceback" not in result.output
