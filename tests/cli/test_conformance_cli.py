"""c2c test through the CLI: summary table, -k, JUnit XML, exit codes 0 and 3."""

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from typer.testing import CliRunner

from c2c_cli.cli import app

BROKEN = Path(__file__).resolve().parents[1] / "fixtures" / "broken"
runner = CliRunner()


def _test(project: str, *args: str):
    return runner.invoke(app, ["test", "-p", str(BROKEN / project), "--sandbox", "--in-process", *args])


def test_summary_table_and_exit_0() -> None:
    result = _test("correct", "--sandbox-devices", "2")
    assert result.exit_code == 0, result.stderr
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
