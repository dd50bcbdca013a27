"""The generated project's DynamoDB state store against template.yaml's table in a moto server.

The project's own ``tests/test_store.py`` creates the ``StateTable`` resource of its ``template.yaml`` in
moto (keys, TTL) and runs every store operation and race against it; here it runs in c2c's environment
(moto, PyYAML and boto3 are c2c's dependencies too), so a change to the template's table or store is
caught without building the project's venv.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from c2c_cli.cli import app

pytestmark = [pytest.mark.timeout(300)]
runner = CliRunner()


def _init(tmp_path: Path, template: str) -> Path:
    result = runner.invoke(
        app, ["init", str(tmp_path / "acme"), "--template", template, "--no-input", "--json"]
    )
    assert result.exit_code == 0, result.output
    return Path(json.loads(result.stdout)["path"])


@pytest.mark.parametrize("template", ["oauth2", "general-auth"])
def test_the_dynamodb_store_passes_the_projects_store_tests(tmp_path, template, clean_env):
    project = _init(tmp_path, template)

    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "tests/test_store.py", "-k", "dynamodb"],
        cwd=project,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=240,
    )

    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    passed = [line for line in run.stdout.splitlines() if line.startswith("PASSED")]
    assert any("race" in line and "[dynamodb]" in line for line in passed), run.stdout[-2000:]
    assert "skipped" not in run.stdout.lower()
