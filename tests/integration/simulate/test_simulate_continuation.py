"""Discovery across invocations (issue 16): ``c2c simulate discover`` waits for the final page while the
connector continues in Event invocations of itself (the emulator's Lambda Invoke), and names the rules of
a discovery that never ends or sends a page twice. The connector is tests/fixtures/continuation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from c2c_cli.cli import app

PROJECT = Path(__file__).resolve().parents[2] / "fixtures" / "continuation"
runner = CliRunner()
pytestmark = pytest.mark.timeout(180)


def discover(*extra: str) -> tuple[int, dict[str, Any]]:
    args = ["simulate", "discover", "--project", str(PROJECT), "--sandbox", "--sandbox-devices", "1000"]
    result = runner.invoke(app, [*args, "--json", *extra])
    return result.exit_code, json.loads(result.stdout)


def rules(data: dict[str, Any]) -> set[str]:
    return {v["rule"] for v in data["violations"] if v["severity"] == "error"}


def test_a_discovery_continues_until_its_final_page() -> None:
    code, data = discover()
    assert code == 0, data["violations"]
    summary = data["discovery"]
    assert summary["final"] is True
    assert summary["pages"] == 10  # 1000 devices, 100 per page; 5 pages per invocation
    assert summary["invocations"] == 2 and len(data["continuations"]) == 1
    assert summary["devices"] == summary["devices_sent"] > 0
    assert data["continuations"][0]["verdict"] == "ok"
    final = [e for e in data["events"] if e["body"].get("StatusCode") == 200]
    assert len(final) == 1 and final[0] is data["events"][-1]


def test_the_human_output_shows_pages_invocations_and_devices() -> None:
    args = ["simulate", "discover", "--project", str(PROJECT), "--sandbox", "--sandbox-devices", "1000"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stdout
    assert "10 page(s), 2 invocation(s) (1 continuation(s), 0 duplicate)" in result.stdout
    assert "final page received" in result.stdout


def test_in_a_worker_process_too() -> None:
    code, data = discover("--isolated")
    assert code == 0, data["violations"]
    assert data["discovery"]["invocations"] == 2 and data["discovery"]["final"] is True


def test_a_discovery_without_its_final_page_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIXTURE_NO_FINAL_PAGE", "1")
    code, data = discover("--discovery-wait", "2")
    assert code == 3
    assert "sim.discovery-timed-out" in rules(data)
    assert data["discovery"]["final"] is False


def test_a_page_sent_twice_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIXTURE_REPEAT_PAGE", "1")
    code, data = discover()
    assert code == 3
    assert "sim.page-repeated" in rules(data)


def test_an_idempotent_continuation_survives_duplicate_deliveries() -> None:
    code, data = discover("--async-duplicate-rate", "1")
    assert code == 0, data["violations"]
    assert data["discovery"]["duplicate_deliveries"] == 1
    assert data["discovery"]["devices"] == data["discovery"]["devices_sent"]


def test_a_continuation_that_is_not_idempotent_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIXTURE_NOT_IDEMPOTENT", "1")
    code, data = discover("--async-duplicate-rate", "1")
    assert code == 3
    assert "sim.page-repeated" in rules(data)
