"""``c2c test``'s scale cases (issue 16): a 5,000-device account discovered across invocations, and a
throttling vendor, against tests/fixtures/continuation (a connector that continues in Event invocations
of itself) and the minikit (one invocation, waits a 429's Retry-After)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from c2c_cli.cli import app

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CASES = ("-k", "scale.large-account", "-k", "robustness.throttled-discovery")
runner = CliRunner()
pytestmark = pytest.mark.timeout(300)


def conformance(project: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(app, ["test", "--project", str(project), "--sandbox", "--json", *CASES, *extra])
    return result.exit_code, json.loads(result.stdout)


def by_id(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in data["cases"]}


def test_a_continuing_connector_discovers_the_large_account_and_survives_throttling() -> None:
    code, data = conformance(FIXTURES / "continuation")
    assert code == 0, data["failed_rules"]
    cases = by_id(data)
    assert cases["scale.large-account"]["status"] == "pass"
    assert "5000 vendor devices" in cases["scale.large-account"]["evidence"]
    assert "over 10 invocation(s)" in cases["scale.large-account"]["evidence"]  # 50 pages, 5 per invocation
    assert cases["robustness.throttled-discovery"]["status"] == "pass"


def test_a_connector_that_never_sends_the_final_page_fails_with_the_timeout_rule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FIXTURE_NO_FINAL_PAGE", "1")
    code, data = conformance(FIXTURES / "continuation", "--discovery-wait", "3", "--wait", "1")
    assert code == 3
    assert "sim.discovery-timed-out" in data["failed_rules"]
    assert by_id(data)["scale.large-account"]["status"] == "fail"


def test_a_connector_repeating_pages_under_duplicate_delivery_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIXTURE_NOT_IDEMPOTENT", "1")
    code, data = conformance(FIXTURES / "continuation", "--async-duplicate-rate", "1")
    assert code == 3
    assert "sim.page-repeated" in data["failed_rules"]


def test_a_connector_that_stops_at_its_budget_misses_devices(monkeypatch: pytest.MonkeyPatch) -> None:
    # one page per invocation and no continuation: what a connector without the self-invoke sends
    monkeypatch.setenv("FIXTURE_PAGES_PER_INVOCATION", "1")
    monkeypatch.setenv("FIXTURE_NO_CONTINUATION", "1")
    code, data = conformance(FIXTURES / "continuation", "--discovery-wait", "3", "--wait", "1")
    assert code == 3
    assert {"sim.devices-exactly-once", "sim.discovery-timed-out"} <= set(data["failed_rules"])


def test_a_single_invocation_connector_that_waits_out_the_429_passes() -> None:
    code, data = conformance(FIXTURES / "broken" / "correct", "--in-process")
    assert code == 0, data["failed_rules"]
    assert "over 1 invocation(s)" in by_id(data)["scale.large-account"]["evidence"]
