"""An interrupted General Authorization register resumes without duplicate secrets or destinations."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from c2c_cli.aws import apply_registration, make_clients, prepare_registration
from c2c_cli.aws.general import read_auth_secrets
from c2c_cli.config import load_config

CONFIG = """\
connector:
  name: {name}
  auth: general
general_auth:
  materials:
    - {{name: k1, secret_env: ACME_CONV_K1}}
    - {{name: k2, secret_env: ACME_CONV_K2}}
aws:
  region: us-east-1
"""
STEPS = 8


class Killed(Exception):
    """Stands in for the process dying after a step."""


@pytest.fixture
def project(aws_env, tmp_path: Path, function_in, monkeypatch) -> Path:
    name = f"acme-gc-{uuid.uuid4().hex[:8]}"
    function_in(aws_env, name)
    monkeypatch.setenv("ACME_CONV_K1", '{"api_key": "one"}')
    monkeypatch.setenv("ACME_CONV_K2", '{"api_key": "two"}')
    (tmp_path / name).mkdir()
    (tmp_path / name / "c2c.yaml").write_text(CONFIG.format(name=name))
    return tmp_path / name


def _kill_after(project: Path, n: int) -> None:
    cfg = load_config(project)
    clients = make_clients(None, "us-east-1")
    prepared = prepare_registration(cfg, clients, None, read_auth_secrets(cfg))
    done: list[str] = []

    def hook(step, _state) -> None:
        done.append(step.resource)
        if len(done) == n:
            raise Killed(step.resource)

    with pytest.raises(Killed):
        apply_registration(prepared, clients, cfg.project_dir, after_step=hook)


def _counts(aws, emu, name: str) -> tuple[int, int]:
    secrets = [
        s
        for s in aws(emu, "secretsmanager").list_secrets()["SecretList"]
        if s["Name"].startswith(f"c2c/{name}/")
    ]
    iot = aws(emu, "iot-managed-integrations")
    connectors = [c for c in iot.list_cloud_connectors()["Items"] if c["Name"] == name]
    destinations = [
        d
        for c in connectors
        for d in iot.list_connector_destinations(CloudConnectorId=c["Id"])["ConnectorDestinationList"]
    ]
    return len(secrets), len(destinations)


@pytest.mark.parametrize("n", [2, 3, 5, 7])
def test_killed_after_step_n_then_rerun_converges(aws_env, project, c2c, aws, n) -> None:
    _kill_after(project, n)
    result = c2c("register", "--project", str(project), "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    actions = [s["action"] for s in json.loads(result.stdout)["steps"]]
    assert actions == ["unchanged"] * n + ["create"] * (STEPS - n)
    assert _counts(aws, aws_env, project.name) == (2, 1)


def test_a_lost_state_file_still_converges(aws_env, project, c2c, aws) -> None:
    _kill_after(project, 6)
    (project / ".c2c" / "state.json").unlink()
    result = c2c("register", "--project", str(project), "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    (project / ".c2c" / "state.json").unlink()
    again = c2c("register", "--project", str(project), "--yes", "--json")
    assert {s["action"] for s in json.loads(again.stdout)["steps"]} == {"unchanged"}
    assert set(json.loads(again.stdout)["state"]["auth_materials"]) == {"k1", "k2"}
    assert _counts(aws, aws_env, project.name) == (2, 1)
