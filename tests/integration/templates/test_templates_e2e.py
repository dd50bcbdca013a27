"""Each template, rendered by ``c2c init``, passes its own tests in a fresh venv against a real sandbox,
passes its own ruff configuration, and everything it produced validates with ``c2c validate --strict``."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from c2c_cli.cli import app

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]
runner = CliRunner()
RUFF = Path(sys.executable).parent / "ruff"


def _init(tmp_path: Path, template: str) -> Path:
    result = runner.invoke(
        app, ["init", str(tmp_path / "acme"), "--template", template, "--no-input", "--json"]
    )
    assert result.exit_code == 0, result.output
    return Path(json.loads(result.stdout)["path"])


@pytest.mark.parametrize("template", ["oauth2", "general-auth"])
def test_generated_project_passes_its_tests_and_strict_validation(
    tmp_path, template, project_venv, sandbox_env, clean_env
):
    project = _init(tmp_path, template)
    captured = tmp_path / "captured"
    env = {**clean_env, **sandbox_env, "C2C_CAPTURE_DIR": str(captured)}

    run = subprocess.run(
        [str(project_venv / "bin" / "python"), "-m", "pytest", "-q", "-rs"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert " passed" in run.stdout
    # The sandbox e2e test ran too; only the plugin tests skip where c2c itself is not installed.
    assert run.stdout.count("SKIPPED") == 1 and "install c2c to run the simulator tests" in run.stdout
    files = sorted(captured.glob("*.json"))
    kinds = {f.name.split(".", 1)[1].removesuffix(".json") for f in files}
    assert {"activate-user.response", "response", "event.device-discovery"} <= kinds
    assert {"event.device-command-response", "event.device-event"} <= kinds
    failures = []
    for file in files:
        kind = file.name.split(".", 1)[1].removesuffix(".json")
        result = runner.invoke(app, ["validate", str(file), "--kind", kind, "--strict", "--json"])
        if result.exit_code != 0:
            failures.append((file.name, json.loads(result.stdout)["violations"][:3]))
    assert failures == [], failures[:5]


@pytest.mark.parametrize("template", ["oauth2", "general-auth"])
def test_generated_project_is_clean_under_its_own_ruff_config(tmp_path, template):
    project = _init(tmp_path, template)

    for args in (["check", "."], ["format", "--check", "."]):
        run = subprocess.run([str(RUFF), *args], cwd=project, capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("template", ["oauth2", "general-auth"])
def test_c2c_test_passes_on_the_generated_project(tmp_path, template):
    project = _init(tmp_path, template)

    result = runner.invoke(app, ["test", "--project", str(project), "--sandbox", "--json"])

    assert result.exit_code == 0, result.stdout[-3000:] + result.stderr[-2000:]


@pytest.mark.parametrize("template", ["oauth2", "general-auth"])
def test_generated_plugin_tests_pass_where_c2c_is_installed(tmp_path, template, clean_env):
    project = _init(tmp_path, template)

    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "tests/test_c2c_simulator.py"],
        cwd=project,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "2 passed" in run.stdout and "skipped" not in run.stdout
