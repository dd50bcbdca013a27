"""c2c test through the CLI: summary table, -k, JUnit XML, exit codes 0 and 3."""

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from c2c_cli.cli import app

BROKEN = Path(__file__).resolve().parents[1] / "fixtures" / "broken"
runner = CliRunner()


def _test(project: str, *args: str):
    return runner.invoke(app, ["test", "-p", str(BROKEN / project), "--sandbox", "--in-process", *args])


@pytest.mark.slow
def test_summary_table_and_exit_0() -> None:
    result = _test("correct", "--sandbox-devices", "2")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "lifecycle.discover" in result.stdout
    assert "0 failed" in result.stdout


def test_k_selects_cases_and_junit_is_written(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    result = _test("correct", "-k", "negative", "--junit-xml", str(junit), "--json")
    assert result.exit_code == 0, result.stderr
    ids = [c["id"] for c in json.loads(result.stdout)["cases"]]
    assert ids and all(i.startswith("negative.") for i in ids)
    root = ET.parse(junit).getroot()
    assert root.tag == "testsuite"
    assert sorted(c.get("name") for c in root.iter("testcase")) == sorted(ids)


def test_violations_exit_3_and_name_the_rule(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    result = _test("missing_user_id", "--junit-xml", str(junit))
    assert result.exit_code == 3
    assert "ack.user-id-required" in result.stdout
    failures = [f.get("type") for f in ET.parse(junit).getroot().iter("failure")]
    assert "ack.user-id-required" in failures


def test_test_without_credentials_is_a_usage_error() -> None:
    result = runner.invoke(app, ["test", "-p", str(BROKEN / "correct"), "--auth", "general"])
    assert result.exit_code == 2
    assert "secret" in result.stderr


def test_without_sandbox_vendor_side_cases_are_skipped(monkeypatch) -> None:
    from c2c_cli.sandbox import SandboxSettings, start_sandbox
    from c2c_cli.simulate.environment import sandbox_login

    with start_sandbox(SandboxSettings(port=0, devices_per_user=2)) as sb:
        token, _ = sandbox_login(sb, "alice")
        monkeypatch.setenv("VENDOR_API_URL", sb.base_url)
        monkeypatch.setenv("C2C_TOKEN", token)
        result = runner.invoke(app, ["test", "-p", str(BROKEN / "correct"), "--in-process", "--json"])
    assert result.exit_code == 0, result.stdout
    statuses = {c["id"]: c["status"] for c in json.loads(result.stdout)["cases"]}
    assert statuses["robustness.duplicate-command"] == "skip"
    assert statuses["negative.revoked-token"] == "skip"
    assert statuses["negative.invalid-token"] == "pass"
    assert token not in result.stdout


def test_k_that_matches_no_case_exits_2_with_one_line() -> None:
    result = _test("correct", "--sandbox-devices", "1", "-k", "negatve", "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "Error: -k 'negatve' matched no case of this connector"
    assert lines[1].startswith("Hint:") and "c2c test --json" in lines[1]


def test_select_is_the_long_form_of_k() -> None:
    result = _test("correct", "--sandbox-devices", "1", "--select", "negative.unknown-device", "--json")
    assert result.exit_code == 0, result.stderr
    assert [c["id"] for c in json.loads(result.stdout)["cases"]] == ["negative.unknown-device"]


LONG_ID = "lifecycle.update-state.dev-a2ec01a64405.WindowCovering.Mode"


def _rendered(width: int) -> str:
    from rich.console import Console

    from c2c_cli.cli.test import render_suite
    from c2c_cli.simulate.suite.report import CaseResult, SuiteResult
    from c2c_cli.violation import Violation

    failing = CaseResult(
        "negative.unknown-device", "t", (), "fail",
        (Violation("ack", "was 200", "sim.negative-not-rejected"),), "ACK 200, 0 event(s), 1 attempt(s)",
    )  # fmt: skip
    cases = (
        CaseResult(LONG_ID, "t", (), "pass", (), "ACK 200, 1 event(s), 1 attempt(s), slowest 3 ms"),
        failing,
    )
    console = Console(width=width, file=io.StringIO(), color_system=None)
    render_suite(console, SuiteResult(cases, "/p", "subprocess", "oauth", True, 10.0))
    return console.file.getvalue()


@pytest.mark.parametrize("width", [200, 80, 60, 40])
def test_case_ids_are_never_folded(width: int) -> None:
    lines = _rendered(width).splitlines()
    for case_id in (LONG_ID, "negative.unknown-device"):
        assert any(case_id in line for line in lines), f"{case_id} is folded at {width} columns"
    assert "sim.negative-not-rejected" in _rendered(width)


def test_wide_consoles_get_a_table() -> None:
    assert "failed rules" in _rendered(200)
    assert "failed rules" not in _rendered(80)
