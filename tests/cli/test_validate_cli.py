"""c2c validate through the CLI: exit codes, stdout JSON, stderr messages."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from c2c_cli.cli import app

VECTORS = Path(__file__).resolve().parents[3] / "shared" / "spec" / "vectors"
runner = CliRunner()


def _run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def test_valid_file_exits_0_with_json_result() -> None:
    result = _run("validate", str(VECTORS / "activate_user.response.json"), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == {"kind": "activate-user.response", "valid": True, "violations": []}


def test_errors_exit_3_and_list_every_violation() -> None:
    doc = {
        "ConnectorId": "c" * 65,
        "Operation": "DEVICE_DISCOVERY",
        "StatusCode": 600,
        "DeviceDiscoveryId": "x-1",
    }
    result = _run("validate", "-", "--json", input=json.dumps(doc))
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert data["valid"] is False
    paths = {v["path"] for v in data["violations"] if v["severity"] == "error"}
    assert {"$.StatusCode", "$.DeviceDiscoveryId", "$.Devices"} <= paths
    assert all(set(v) >= {"path", "message", "rule", "severity"} for v in data["violations"])


def test_human_output_is_a_table_on_stdout() -> None:
    result = _run("validate", "-", input=json.dumps({"header": {"responseCode": "200"}}))
    assert result.exit_code == 3
    assert "ack.response-code-type" in result.stdout and "INVALID" in result.stdout
    assert result.stderr == ""


def test_not_json_exits_2_naming_line_and_column() -> None:
    result = _run("validate", "-", input='{\n  "a": 1,\n}')
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "line 3, column 1" in result.stderr and result.stderr.startswith("Error:")
    assert "Traceback" not in result.stderr


def test_missing_file_exits_2() -> None:
    result = _run("validate", "/nonexistent/file.json")
    assert result.exit_code == 2 and "cannot read" in result.stderr


def test_unknown_kind_exits_2_with_a_hint() -> None:
    result = _run("validate", "-", "--kind", "event.bogus", input="{}")
    assert result.exit_code == 2
    assert "Hint:" in result.stderr


@pytest.mark.parametrize(("flag", "code"), [("--strict", 3), ("--lenient", 0)])
def test_strict_turns_warnings_into_errors(flag: str, code: int) -> None:
    # Valid, but a non-200 2xx ACK warns.
    result = _run("validate", "-", flag, "--json", input=json.dumps({"header": {"responseCode": 202}}))
    assert result.exit_code == code
    severities = {v["severity"] for v in json.loads(result.stdout)["violations"]}
    assert severities == ({"error"} if flag == "--strict" else {"warning"})


def test_api_kind_validates_any_registration_request() -> None:
    result = _run(
        "validate",
        str(VECTORS / "create_cloud_connector.request.json"),
        "--kind",
        "api.CreateCloudConnector",
        "--json",
    )
    assert result.exit_code == 3
    assert [v["path"] for v in json.loads(result.stdout)["violations"]] == ["$.EndpointConfig.lambda.arn"]


def test_strict_and_lenient_exclude_each_other() -> None:
    result = _run("validate", "-", "--strict", "--lenient", input="{}")
    assert result.exit_code == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000, "nested too deeply"),
        ('{"StatusCode": NaN}', "line 1, column 16: NaN is not a JSON number"),
        ("[Infinity]", "line 1, column 2: Infinity is not a JSON number"),
        ("", "Error: stdin is empty"),
    ],
)
def test_bad_input_exits_2_with_one_line(text: str, message: str) -> None:
    result = _run("validate", "-", input=text)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and result.stderr.startswith("Error:")
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def _files(tmp_path: Path) -> dict[str, str]:
    return {
        "valid": str(VECTORS / "activate_user.response.json"),
        "invalid": _write(tmp_path, "bad.json", json.dumps({"header": {"responseCode": "200"}})),
        "broken": _write(tmp_path, "broken.json", "{"),
    }


@pytest.mark.parametrize(
    ("which", "code"),
    [
        (("valid", "valid"), 0),
        (("valid", "invalid"), 3),
        (("invalid", "broken", "valid"), 2),
        (("broken", "valid"), 2),
    ],
)
def test_several_files_exit_with_the_worst_code(tmp_path: Path, which: tuple[str, ...], code: int) -> None:
    files = _files(tmp_path)
    result = _run("validate", *(files[w] for w in which))
    assert result.exit_code == code, result.output
    # Every file is reported, in order, even after a broken one.
    reported = [
        line.split(":")[0]
        for line in result.stdout.splitlines()
        if " is valid " in line or " is INVALID " in line
    ]
    assert reported == [files[w] for w in which if w != "broken"]
    assert ("broken.json" in result.stderr) == ("broken" in which)


def test_several_files_json_lists_each_document(tmp_path: Path) -> None:
    files = _files(tmp_path)
    result = _run("validate", files["valid"], files["invalid"], files["broken"], "--json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["valid"] is False
    assert [(d["source"], d["valid"]) for d in data["documents"]] == [
        (files["valid"], True),
        (files["invalid"], False),
        (files["broken"], False),
    ]
    assert data["documents"][1]["kind"] == "response" and "not valid JSON" in data["documents"][2]["error"]


def test_stdin_is_read_once() -> None:
    result = _run("validate", "-", "-", input="{}")
    assert result.exit_code == 2 and "only once" in result.stderr
