"""``c2c test``'s concurrency case (issue 16): concurrent SendCommands to several devices of one user and to
one device, each in a worker process of its own; every response event and the final state are checked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from c2c_cli.cli import app

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
runner = CliRunner()
pytestmark = pytest.mark.timeout(180)


def conformance(project: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    args = ["test", "--project", str(project), "--sandbox", "--json", "-k", "robustness.concurrent-commands"]
    result = runner.invoke(app, [*args, *extra])
    return result.exit_code, json.loads(result.stdout)


def case(data: dict[str, Any]) -> dict[str, Any]:
    return next(c for c in data["cases"] if c["id"] == "robustness.concurrent-commands")


@pytest.mark.parametrize("target", [(), ("--in-process",)])
def test_a_correct_connector_passes_with_four_workers(target: tuple[str, ...]) -> None:
    code, data = conformance(FIXTURES / "broken" / "correct", *target)
    assert code == 0, case(data)
    evidence = case(data)["evidence"]
    assert "4 command(s) to 4 device(s) and 4 to" in evidence and "in 4 worker(s): 8 answered 200" in evidence
    assert "after 5 applied command(s)" in evidence  # one of the four devices, then four to it


def test_concurrency_sets_the_number_of_workers() -> None:
    code, data = conformance(FIXTURES / "broken" / "correct", "--concurrency", "2")
    assert code == 0, case(data)
    assert "in 2 worker(s): 4 answered 200" in case(data)["evidence"]


def test_shared_state_across_concurrent_invocations_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FIXTURE_SHARED_TRACE", str(tmp_path / "trace"))
    code, data = conformance(FIXTURES / "continuation")
    assert code == 3
    assert case(data)["status"] == "fail"
    # the responses carry each other's trace ids (or are missing where the vendor merged the commands)
    assert "correlation.trace-id" in {v["rule"] for v in case(data)["violations"]}
    assert "correlation.trace-id" in data["failed_rules"]
