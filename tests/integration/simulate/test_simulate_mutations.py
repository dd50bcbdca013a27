"""Mutation check (issue 7 acceptance): 'c2c test' fails each broken connector and names the right rule."""

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from c2c_cli.cli import app

runner = CliRunner()

MUTATIONS = {
    "missing_user_id": "ack.user-id-required",
    "string_response_code": "ack.response-code-type",
    "discovery_without_id": "correlation.discovery-id",
    "invalid_cluster_id": "ClusterId",
    "response_without_trace": "correlation.trace-id",
    "raises": "sim.handler-raised",
    "applies_twice": "sim.duplicate-apply",
    "logs_token": "sim.token-in-logs",
    "accepts_unknown_operation": "sim.negative-not-rejected",
}


def _conformance(project: Path, *extra: str) -> tuple[int, dict]:
    result = runner.invoke(app, ["test", "--project", str(project), "--sandbox", "--json", *extra])
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize(("name", "rule"), sorted(MUTATIONS.items()))
def test_each_broken_connector_fails_with_its_rule(
    broken: Callable[[str], Path], name: str, rule: str
) -> None:
    code, data = _conformance(broken(name), "--in-process", "--retries", "1")
    assert code == 3
    assert data["ok"] is False
    assert rule in data["failed_rules"]


@pytest.mark.slow
def test_a_handler_sleeping_3s_is_killed_and_fails_the_budget(broken: Callable[[str], Path]) -> None:
    # The default target: a subprocess worker, killed at the 2 s deadline (one retry keeps this short).
    code, data = _conformance(broken("sleeps_3s"), "--retries", "1")
    assert code == 3
    assert "sim.budget-exceeded" in data["failed_rules"]
    assert data["target"] == "subprocess"
    assert any(c["status"] == "skip" for c in data["cases"])


def test_the_unbroken_connector_passes(broken: Callable[[str], Path]) -> None:
    code, data = _conformance(broken("correct"), "--in-process")
    assert code == 0, data["failed_rules"]
    assert data["counts"]["fail"] == 0
    ids = {c["id"] for c in data["cases"]}
    assert {
        "lifecycle.activate",
        "robustness.duplicate-command",
        "negative.revoked-token",
        "lifecycle.deactivate",
    } <= ids
