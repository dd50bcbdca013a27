"""An interrupted c2c register resumes without duplicates (killed after step N, lost state, faults)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from c2c_cli.aws import apply_registration, make_clients, prepare_registration
from c2c_cli.aws.desired import read_client_secret
from c2c_cli.config import load_config
from c2c_cli.emulator import EmulatorSettings, start_emulator

ONE_EACH = dict.fromkeys(("connectors", "destinations", "statements", "secrets", "aliases"), 1)


class Killed(Exception):
    """Stands in for the process dying after a step."""


def _run_and_kill_after(project: Path, n: int) -> None:
    cfg = load_config(project)
    clients = make_clients(None, "us-east-1")
    prepared = prepare_registration(cfg, clients, read_client_secret(cfg))
    done: list[str] = []

    def hook(step, _state) -> None:
        done.append(step.resource)
        if len(done) == n:
            raise Killed(step.resource)

    with pytest.raises(Killed):
        apply_registration(prepared, clients, cfg.project_dir, after_step=hook)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_killed_after_step_n_then_rerun_converges(aws_env, project, c2c, inventory, n) -> None:
    _run_and_kill_after(project, n)
    result = c2c("register", "--project", str(project), "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    actions = [s["action"] for s in json.loads(result.stdout)["steps"]]
    assert actions == ["unchanged"] * n + ["create"] * (6 - n)
    assert {k: len(v) for k, v in inventory(aws_env, project.name).items()} == ONE_EACH


@pytest.mark.parametrize("n", [3, 5, 6])
def test_lost_state_file_still_converges(aws_env, project, c2c, inventory, n) -> None:
    if n == 6:
        assert c2c("register", "--project", str(project), "--yes").exit_code == 0
    else:
        _run_and_kill_after(project, n)
    (project / ".c2c" / "state.json").unlink()
    result = c2c("register", "--project", str(project), "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    assert {k: len(v) for k, v in inventory(aws_env, project.name).items()} == ONE_EACH
    (project / ".c2c" / "state.json").unlink()
    again = c2c("register", "--project", str(project), "--yes", "--json")
    assert {s["action"] for s in json.loads(again.stdout)["steps"]} == {"unchanged"}
    # A no-op run still rewrites the lost state file with the ids it found.
    recorded = json.loads((project / ".c2c" / "state.json").read_text())
    assert recorded["connector_id"] == json.loads(again.stdout)["state"]["connector_id"] is not None


def test_throttled_destination_fails_clearly_and_a_later_run_resumes(
    tmp_path, make_project, point_at, function_in, c2c, inventory
) -> None:
    db = str(tmp_path / "emulator.db")
    faulty = EmulatorSettings(
        db=db, throttle_rate=1.0, fault_operations=("CreateConnectorDestination",), seed=1
    )
    with start_emulator(faulty) as emu:
        point_at(emu)
        project = make_project(with_function=False)
        function_in(emu, project.name)
        failed = c2c("register", "--project", str(project), "--yes")
        attempts = [r for r in emu.requests() if r["operation"] == "CreateConnectorDestination"]
    assert failed.exit_code == 5
    assert "ThrottlingException" in failed.stderr and "CreateConnectorDestination" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert len(attempts) == 3  # botocore standard mode: 3 attempts in total (contract.md §8.2)
    with start_emulator(EmulatorSettings(db=db)) as emu:
        point_at(emu)
        result = c2c("register", "--project", str(project), "--yes", "--json")
        assert result.exit_code == 0, result.stderr
        actions = {s["resource"]: s["action"] for s in json.loads(result.stdout)["steps"]}
        assert actions["cloud-connector"] == "unchanged" and actions["connector-destination"] == "create"
        assert {k: len(v) for k, v in inventory(emu, project.name).items()} == ONE_EACH
