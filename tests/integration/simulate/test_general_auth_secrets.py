"""The General Authorization API key appears nowhere (issue 17, secrets): not in 'c2c test' or 'c2c simulate'
output (text or --json, with --debug), JUnit XML, project files, or the emulator's event and request logs.

The sandbox's API keys (the seeded one and the one the rotation case issues) all start with ``sbx_``."""

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from c2c_cli.cli import app
from c2c_cli.simulate.environment import SandboxOptions
from c2c_cli.simulate.session import SessionOptions, simulation
from c2c_cli.simulate.suite.model import Context
from c2c_cli.simulate.suite.runner import run_cases
from c2c_cli.simulate.suite.table import CASES

runner = CliRunner()
KEY = "sk_c2c_file_api_key_5f2b9e"
SANDBOX_KEY = re.compile(r"sbx_[A-Za-z0-9_-]{20,}")  # "sbx_" + token_urlsafe(24); docs show "sbx_..."


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("ga-secrets") / "acme"
    result = runner.invoke(app, ["init", str(target), "--template", "general-auth", "--no-input", "--json"])
    assert result.exit_code == 0, result.output
    return Path(json.loads(result.stdout)["path"])


def _project_text(project: Path) -> str:
    return "".join(
        p.read_text(errors="replace")
        for p in project.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )


@pytest.mark.parametrize("form", ["text", "json"])
def test_c2c_test_never_shows_the_sandbox_api_key(project: Path, tmp_path: Path, form: str) -> None:
    junit = tmp_path / "junit.xml"
    args = [
        "--debug",
        "test",
        "--project",
        str(project),
        "--sandbox",
        "--in-process",
        "--junit-xml",
        str(junit),
    ]
    result = runner.invoke(app, [*args, *(["--json"] if form == "json" else [])])
    failed = [line for line in result.output.splitlines() if "FAIL" in line]
    if form == "json":
        cases = json.loads(result.stdout)["cases"]
        failed = [(c["id"], c["evidence"], c["violations"]) for c in cases if c["status"] == "fail"]
    assert result.exit_code == 0, failed
    # the rotation case ran: a second key was issued and used
    assert "lifecycle.rotated-secret" in result.output
    assert not SANDBOX_KEY.search(result.output)
    assert not SANDBOX_KEY.search(junit.read_text())
    assert not SANDBOX_KEY.search(_project_text(project))


def test_a_secret_file_key_never_shows_in_test_simulate_or_junit(project: Path, tmp_path: Path) -> None:
    secret, junit = tmp_path / "secret.json", tmp_path / "junit.xml"
    secret.write_text(json.dumps({"api_key": KEY, "user_id": "user-file"}))
    outputs = []
    for args in (
        ["test", "--in-process", "--junit-xml", str(junit)],
        ["test", "--in-process", "--json"],
        ["simulate", "activate"],
        ["simulate", "discover", "--json"],
    ):
        result = runner.invoke(
            app, ["--debug", *args, "--project", str(project), "--secret-file", str(secret)]
        )
        assert "Traceback" not in result.output
        outputs.append(result.output)
    # the connector did read the key: the user id comes from the same secret
    assert "user-file" in outputs[2]
    assert all(KEY not in out for out in outputs)
    assert KEY not in junit.read_text()
    assert KEY not in _project_text(project)


def test_the_emulator_logs_never_hold_the_api_key(project: Path) -> None:
    options = SessionOptions(sandbox=SandboxOptions(devices_per_user=3), isolated=False)
    with simulation(project, options) as sim:
        env = sim.environment
        first = env.sandbox.info["api_key"]
        results = run_cases(CASES, Context(sim))
        second = env.sandbox.info["api_key"]
        logs = json.dumps(env.emulator.events()) + json.dumps(env.emulator.requests())
    assert {r.case_id: r.status for r in results}["lifecycle.rotated-secret"] == "pass"
    assert first.startswith("sbx_") and second.startswith("sbx_") and first != second
    assert "DEVICE_DISCOVERY" in logs and "DEVICE_COMMAND_RESPONSE" in logs  # the events were logged
    assert first not in logs
    assert second not in logs
    assert not SANDBOX_KEY.search(logs)


@pytest.mark.parametrize("form", ["text", "json"])
def test_a_connector_logging_its_api_key_fails_and_the_report_hides_it(form: str) -> None:
    broken = Path(__file__).resolve().parents[2] / "fixtures" / "broken" / "ga_logs_api_key"
    args = ["--debug", "test", "--project", str(broken), "--sandbox", "--in-process", "--retries", "1"]
    result = runner.invoke(app, [*args, *(["--json"] if form == "json" else [])])
    assert result.exit_code == 3
    assert "sim.token-in-logs" in result.output
    assert not SANDBOX_KEY.search(result.output)
