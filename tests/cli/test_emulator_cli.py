"""``c2c emulator start|events|reset`` end to end: a real subprocess serving, CliRunner clients."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from typer.testing import CliRunner

from c2c_cli.cli import app
from c2c_cli.emulator import EmulatorClient

runner = CliRunner()


def _start(args: list[str], home: Path) -> tuple[subprocess.Popen[str], dict[str, Any]]:
    env = {**os.environ, "C2C_HOME": str(home), "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "c2c_cli", "emulator", "start", "--json", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    line = proc.stdout.readline()
    assert line, proc.stderr.read()
    return proc, json.loads(line)


def _stop(proc: subprocess.Popen[str]) -> str:
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=20)
    return stderr


def _aws(info: dict[str, Any], service: str) -> Any:
    url = info["endpoint_url"] if service == "iot-managed-integrations" else info["aws_endpoint_url"]
    return boto3.client(
        service,
        endpoint_url=url,
        region_name=info["region"],
        aws_access_key_id=info["access_key_id"],
        aws_secret_access_key=info["secret_access_key"],
    )


@pytest.fixture
def running(tmp_path, monkeypatch):
    """``c2c emulator start --json`` in a subprocess; yields (info, C2C_HOME)."""
    home = tmp_path / "home"
    monkeypatch.setenv("C2C_HOME", str(home))
    proc, info = _start(["--no-moto", "--db", str(tmp_path / "e.db")], home)
    try:
        yield info, home, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=20)


def _client(info):
    return boto3.client(
        "iot-managed-integrations",
        endpoint_url=info["endpoint_url"],
        region_name=info["region"],
        aws_access_key_id=info["access_key_id"],
        aws_secret_access_key=info["secret_access_key"],
        config=Config(retries={"total_max_attempts": 1}),
    )


def test_start_json_first_line_and_state_file(running):
    info, home, _ = running
    assert set(info) >= {
        "endpoint_url",
        "aws_endpoint_url",
        "region",
        "account_id",
        "access_key_id",
        "secret_access_key",
    }
    assert info["endpoint_url"].startswith("http://127.0.0.1:")
    assert info["aws_endpoint_url"] is None
    state = home / "emulator.json"
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    assert json.loads(state.read_text())["endpoint_url"] == info["endpoint_url"]
    assert _client(info).list_cloud_connectors()["Items"] == []


def test_events_json_and_table_show_rejections(running):
    info, _, _ = running
    client = _client(info)
    cid = client.create_cloud_connector(Name="cli", EndpointConfig={"lambda": {"arn": "cli"}})["Id"]
    with pytest.raises(client.exceptions.ValidationException):
        client.send_connector_event(ConnectorId=cid, Operation="FOO")
    result = runner.invoke(app, ["emulator", "events", "--json", "--connector", cid])
    assert result.exit_code == 0, result.stderr
    [record] = json.loads(result.stdout)
    assert (record["verdict"], record["violations"][0]["path"]) == ("rejected", "$.Operation")
    table = runner.invoke(app, ["emulator", "events"])
    assert table.exit_code == 0
    assert "rejected" in table.stdout and "$.Operation" in table.stdout


def test_reset_clears_the_running_emulator(running):
    info, _, _ = running
    client = _client(info)
    client.create_cloud_connector(Name="gone", EndpointConfig={"lambda": {"arn": "gone"}})
    result = runner.invoke(app, ["emulator", "reset", "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"reset": True, "target": info["endpoint_url"]}
    assert client.list_cloud_connectors()["Items"] == []


def test_interrupt_stops_and_removes_the_state_file(running):
    _, home, proc = running
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=20) == 0
    assert not (home / "emulator.json").exists()


@pytest.mark.parametrize("command", [["events"], ["reset"]])
def test_no_running_emulator_is_exit_5_with_a_hint(tmp_path, monkeypatch, command):
    monkeypatch.setenv("C2C_HOME", str(tmp_path))
    result = runner.invoke(app, ["emulator", *command])
    assert result.exit_code == 5  # emulator API unreachable (README exit codes, issue 13 §17)
    error = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(error) == 1 and "no running emulator" in error[0]
    assert "Hint:" in result.stderr and "c2c emulator start" in result.stderr


def test_a_stale_pointer_counts_as_no_emulator(tmp_path, monkeypatch):
    monkeypatch.setenv("C2C_HOME", str(tmp_path))
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    (tmp_path / "emulator.json").write_text(
        json.dumps({"endpoint_url": "http://127.0.0.1:9", "admin_token": "x", "pid": int(dead.stdout)})
    )
    result = runner.invoke(app, ["emulator", "events"])
    assert result.exit_code == 5
    assert "no running emulator" in result.stderr


def test_unreachable_url_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("C2C_HOME", str(tmp_path))
    result = runner.invoke(app, ["emulator", "events", "--url", "http://127.0.0.1:9"])
    assert result.exit_code == 5
    assert "cannot reach the emulator" in result.stderr


def test_commands_say_which_emulator_they_use(running):
    info, _, proc = running
    result = runner.invoke(app, ["emulator", "events", "--json"])
    assert result.exit_code == 0, result.stderr
    assert f"Using the emulator at {info['endpoint_url']} (pid {proc.pid})." in result.stderr


def test_a_second_emulator_on_the_same_home_refuses_and_the_first_keeps_its_pointer(running):
    info, home, proc = running
    env = {**os.environ, "C2C_HOME": str(home)}
    second = subprocess.run(
        [sys.executable, "-m", "c2c_cli", "emulator", "start", "--no-moto", "--db", ":memory:"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert second.returncode == 2
    lines = [line for line in second.stderr.splitlines() if line.strip()]
    assert lines[0] == (
        f"Error: an emulator is already running at {info['endpoint_url']} (pid {proc.pid}, {home / 'emulator.json'})"
    )
    assert "Traceback" not in second.stderr
    assert json.loads((home / "emulator.json").read_text())["pid"] == proc.pid


def test_port_in_use_is_one_error_line_exit_2(tmp_path, monkeypatch):
    monkeypatch.setenv("C2C_HOME", str(tmp_path))
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = str(taken.getsockname()[1])
    try:
        result = runner.invoke(app, ["emulator", "start", "--no-moto", "--db", ":memory:", "--port", port])
    finally:
        taken.close()
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"Error: cannot listen on 127.0.0.1:{port}: the address is already in use"
    )
    assert "Traceback" not in result.stderr and "Port" not in result.stderr


def test_a_host_that_does_not_resolve_is_one_error_line_exit_2():
    result = runner.invoke(
        app,
        [
            "emulator",
            "start",
            "--no-moto",
            "--db",
            ":memory:",
            "--host",
            "no-such-host.invalid",
            "--allow-public",
        ],
    )
    assert result.exit_code == 2
    assert "the host name does not resolve" in result.stderr.splitlines()[0]


@pytest.mark.parametrize("host", ["0.0.0.0", "127.0.0.1.evil.com", "::"])
def test_a_public_host_needs_allow_public(host):
    result = runner.invoke(app, ["emulator", "start", "--no-moto", "--db", ":memory:", "--host", host])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: host {host} is not a loopback address")
    assert "--allow-public" in result.stderr


@pytest.mark.slow
def test_allow_public_binds_both_servers_and_warns(tmp_path):
    proc, info = _start(["--db", ":memory:", "--host", "0.0.0.0", "--allow-public"], tmp_path)
    stderr = _stop(proc)
    assert info["endpoint_url"].startswith("http://0.0.0.0:")
    assert info["aws_endpoint_url"].startswith("http://0.0.0.0:")  # moto binds the same way
    assert stderr.startswith("Warning: listening on 0.0.0.0: anyone who can reach it can sign requests")


@pytest.mark.parametrize("args", [["--throttle-rate", "1.5"], ["--error-rate", "-0.1"], ["--latency", "-1"]])
def test_bad_fault_flags_are_usage_errors(args):
    result = runner.invoke(app, ["emulator", "start", *args])
    assert result.exit_code == 2
    assert "Error:" in result.stderr


def test_reset_db_file(tmp_path):
    from c2c_cli.emulator.http.store import Store

    db = tmp_path / "x.db"
    store = Store(str(db))
    store.put("123456789012", "cloud-connector", "a", {"Id": "a"}, 0.0)
    store.close()
    result = runner.invoke(app, ["emulator", "reset", "--db", str(db)])
    assert result.exit_code == 0
    reopened = Store(str(db))
    assert reopened.get("cloud-connector", "a") is None
    reopened.close()


@pytest.mark.slow
def test_start_text_output_and_moto(tmp_path):
    env = {**os.environ, "C2C_HOME": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "c2c_cli", "emulator", "start", "--db", ":memory:"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        lines = []
        while not any(line.startswith("export AWS_REGION=") for line in lines):
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
            lines.append(line.strip())
        exports = dict(
            line.removeprefix("export ").split("=", 1) for line in lines if line.startswith("export ")
        )
        assert exports["AWS_ENDPOINT_URL"].startswith("http://127.0.0.1:")
        assert exports["AWS_ENDPOINT_URL_IOT_MANAGED_INTEGRATIONS"].startswith("http://127.0.0.1:")
        sts = boto3.client(
            "sts",
            endpoint_url=exports["AWS_ENDPOINT_URL"],
            region_name=exports["AWS_REGION"],
            aws_access_key_id=exports["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=exports["AWS_SECRET_ACCESS_KEY"],
        )
        assert sts.get_caller_identity()["Account"] == "123456789012"
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    assert Path(tmp_path / "emulator.db").exists() is False


def test_bad_accounts_file_is_a_config_error(tmp_path):
    bad = tmp_path / "accounts.yaml"
    bad.write_text("- {account_id: nope}\n")
    result = runner.invoke(app, ["emulator", "start", "--accounts", str(bad)])
    assert result.exit_code == 2
    assert "[0].account_id: must be 12 digits" in result.stderr


def test_accounts_file_adds_a_signing_account(tmp_path):
    accounts = tmp_path / "accounts.yaml"
    accounts.write_text(
        "- {account_id: '333333333333', access_key_id: AKIATHIRD00000000003, secret_access_key: s3}\n"
    )
    proc, info = _start(["--no-moto", "--db", ":memory:", "--accounts", str(accounts)], tmp_path)
    try:
        assert [a["account_id"] for a in info["accounts"]][-1] == "333333333333"
        third = {**info, "access_key_id": "AKIATHIRD00000000003", "secret_access_key": "s3"}
        assert _client(third).list_cloud_connectors()["Items"] == []
    finally:
        _stop(proc)


def test_start_attaches_a_connector_project(tmp_path):
    project = tmp_path / "acme"
    project.mkdir()
    (project / "c2c.yaml").write_text(
        "connector:\n  name: acme\n  auth: general\n  handler: connector.handler:lambda_handler\n"
        "aws:\n  function_name: acme-fn\n"
    )
    args = ["--no-moto", "--db", ":memory:", "--connector", str(project)]
    proc, info = _start([*args, "--connector-env", "VENDOR_API_URL=http://127.0.0.1:9"], tmp_path / "home")
    _stop(proc)
    (connector,) = info["connectors"]
    assert (connector["function"], connector["project_dir"]) == ("acme-fn", str(project.resolve()))
    assert connector["function_url"] == info["endpoint_url"] + "/_emulator/function-url/acme-fn"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--connector-env", "nope"], "--connector-env wants NAME=VALUE"),
        (["--connector", "/no/such/project"], "c2c.yaml"),
    ],
)
def test_bad_connector_flags_are_usage_errors(tmp_path, args, message):
    result = runner.invoke(app, ["emulator", "start", "--db", ":memory:", "--no-moto", *args])
    assert result.exit_code == 2
    assert message in result.stderr


def test_an_init_project_gets_its_vendor_url_from_template_yaml(tmp_path, monkeypatch):
    monkeypatch.setenv("C2C_HOME", str(tmp_path / "home"))
    project = tmp_path / "acme"
    made = runner.invoke(app, ["init", str(project), "--vendor-url", "http://127.0.0.1:4321", "--no-input"])
    assert made.exit_code == 0, made.stderr
    cmd = ["--db", ":memory:", "--connector", str(project), "--parameter", "ConnectorId=c-1"]
    proc, info = _start(cmd, tmp_path / "home")
    try:
        variables = _aws(info, "lambda").get_function_configuration(FunctionName="acme")["Environment"][
            "Variables"
        ]
    finally:
        stderr = _stop(proc)
    assert variables["VENDOR_API_URL"] == "http://127.0.0.1:4321"  # no --connector-env needed
    assert variables["CONNECTOR_ID"] == "c-1"
    assert variables["STATE_TABLE"].startswith("acme-StateTable-")  # created in moto (issue 16)
    assert "Warning:" in stderr and "WEBHOOK_URL = !GetAtt" in stderr and "STATE_TABLE" not in stderr


def test_stderr_has_no_access_log_and_no_colour_when_piped(tmp_path):
    proc, info = _start(["--db", ":memory:"], tmp_path)
    try:
        _aws(info, "secretsmanager").create_secret(Name="s", SecretString="{}")
        _aws(info, "kms").create_key()
        _aws(info, "iot-managed-integrations").list_cloud_connectors()
        requests = EmulatorClient(info["endpoint_url"]).requests()
    finally:
        stderr = _stop(proc)
    assert "\x1b[" not in stderr
    assert not re.search(r'"(GET|POST|PUT|DELETE) /|HTTP/1\.[01]" \d{3}', stderr), stderr
    servers = {(r["server"], r["method"]) for r in requests}
    assert {("moto", "POST"), ("emulator", "GET")} <= servers  # routed to the request log instead


def test_a_db_restart_keeps_the_emulators_resources_and_says_moto_starts_empty(tmp_path):
    db = str(tmp_path / "e.db")
    proc, info = _start(["--db", db], tmp_path)
    try:
        connector = _aws(info, "iot-managed-integrations").create_cloud_connector(
            Name="kept",
            EndpointConfig={"lambda": {"arn": "arn:aws:lambda:us-east-1:123456789012:function:f"}},
        )
        _aws(info, "secretsmanager").create_secret(Name="lost", SecretString="{}")
    finally:
        first = _stop(proc)
    assert f"Note: {db} keeps the emulator's resources" in first and "moto's state" in first
    proc, info = _start(["--db", db], tmp_path)
    try:
        kept = _aws(info, "iot-managed-integrations").get_cloud_connector(Identifier=connector["Id"])
        secrets = _aws(info, "secretsmanager").list_secrets()["SecretList"]
    finally:
        _stop(proc)
    assert kept["Name"] == "kept"
    assert secrets == []  # as docs/emulator.md "State" says: moto starts empty


@pytest.mark.parametrize(
    ("value", "message"),
    [("1,x", "--async-retry-delays wants seconds"), ("1,2,3", "async retry delays: at most 2")],
)
def test_bad_async_retry_delays_are_one_error_line_exit_2(value, message):
    result = runner.invoke(
        app, ["emulator", "start", "--no-moto", "--db", ":memory:", "--async-retry-delays", value]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and message in result.stderr.splitlines()[0]


def test_start_serves_lambda_invoke_for_an_attached_project(tmp_path):
    fixture = Path(__file__).parents[1] / "fixtures" / "self_invoke"
    args = ["--no-moto", "--db", ":memory:", "--connector", str(fixture), "--async-retry-delays", "0,0"]
    proc, info = _start(args, tmp_path / "home")
    try:
        client = boto3.client(
            "lambda",
            endpoint_url=info["endpoint_url"],
            region_name=info["region"],
            aws_access_key_id=info["access_key_id"],
            aws_secret_access_key=info["secret_access_key"],
        )
        answer = client.invoke(FunctionName="self-invoke", Payload=b'{"echo": "hi"}')
        assert json.loads(answer["Payload"].read()) == {"echo": "hi", "function": "self-invoke"}
    finally:
        _stop(proc)
