"""``c2c sandbox start|poke|reset``: a real subprocess serving, CliRunner for the rest."""

from __future__ import annotations

import json
import os
import shlex
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import requests
from typer.testing import CliRunner

from c2c_cli.cli import app
from c2c_cli.sandbox import SandboxSettings, start_sandbox

runner = CliRunner()
REQUIRED = {
    "base_url",
    "authorize_url",
    "token_url",
    "revoke_url",
    "userinfo_url",
    "client_id",
    "client_secret",
    "token_endpoint_auth",
    "users",
}


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("C2C_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def _start(home: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "C2C_HOME": str(home)}
    return subprocess.Popen(
        [sys.executable, "-m", "c2c_cli", "sandbox", "start", "--port", "0", "--json", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_start_prints_json_first_line_and_stops_cleanly(home):
    proc = _start(
        home, "--devices", "3", "--users", "ann,ben", "--token-endpoint-auth", "REQUEST_BODY_CREDENTIALS"
    )
    try:
        info = json.loads(proc.stdout.readline())
        assert REQUIRED <= set(info)
        assert info["token_endpoint_auth"] == "REQUEST_BODY_CREDENTIALS"
        assert [u["username"] for u in info["users"]] == ["ann", "ben"]
        assert {"username", "password", "user_id"} == set(info["users"][0])
        assert requests.get(f"{info['base_url']}/.well-known/oauth-authorization-server", timeout=5).ok
        state = home / "sandbox.json"
        assert stat.S_IMODE(state.stat().st_mode) == 0o600
        assert (home / "sandbox.db").exists()  # default db under C2C_HOME
    finally:
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=20)
    assert proc.returncode == 0
    assert "Sandbox stopped." in stderr
    assert info["client_secret"] not in stderr
    assert not (home / "sandbox.json").exists()


def test_sigterm_also_stops_cleanly(home):
    proc = _start(home, "--db", ":memory:")
    json.loads(proc.stdout.readline())
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=20)
    assert proc.returncode == 0


@pytest.mark.parametrize("host", ["0.0.0.0", "127.0.0.1.evil.com"])
def test_public_host_needs_allow_public(home, host):
    result = runner.invoke(app, ["sandbox", "start", "--host", host, "--port", "0", "--db", ":memory:"])
    assert result.exit_code == 2
    assert "allow_public" in result.stderr
    assert result.stdout == ""


def test_bad_token_endpoint_auth_is_usage_error(home):
    result = runner.invoke(app, ["sandbox", "start", "--token-endpoint-auth", "NONE", "--db", ":memory:"])
    assert result.exit_code == 2


def test_bad_fault_is_usage_error(home):
    result = runner.invoke(app, ["sandbox", "start", "--fault", "oops", "--db", ":memory:"])
    assert result.exit_code == 2
    assert "PATH=ERROR" in result.stderr


@pytest.fixture
def running(home):
    with start_sandbox(
        SandboxSettings(port=0, devices_per_user=11, state_file=str(home / "sandbox.json"))
    ) as sb:
        yield sb


def test_poke_uses_the_state_file(running):
    sensor = next(
        d for d in running.devices_of(running.user_id("alice")) if d["kind"] == "temperature_sensor"
    )
    result = runner.invoke(app, ["sandbox", "poke", sensor["id"], "temperature=30.5", "battery=7", "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["state"]["temperature"] == 30.5
    assert running.device(sensor["id"])["state"]["battery"] == 7


def test_poke_with_explicit_url_and_key(running, tmp_path, monkeypatch):
    monkeypatch.setenv("C2C_HOME", str(tmp_path / "elsewhere"))
    lock = next(d for d in running.devices_of(running.user_id("bob")) if d["kind"] == "door_lock")
    result = runner.invoke(
        app,
        [
            "sandbox",
            "poke",
            lock["id"],
            "door_open=true",
            "--url",
            running.base_url,
            "--admin-key",
            running.admin_key,
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert running.device(lock["id"])["state"]["door_open"] is True


def test_poke_unknown_device_is_usage_error(running):
    result = runner.invoke(app, ["sandbox", "poke", "dev-nope", "on=true"])
    assert result.exit_code == 2
    assert "dev-nope" in result.stderr


def test_poke_bad_assignment(running):
    result = runner.invoke(app, ["sandbox", "poke", "dev-x", "on"])
    assert result.exit_code == 2
    assert "ATTR=VALUE" in result.stderr


def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("Error:")]


def test_poke_without_a_running_sandbox(home):
    result = runner.invoke(app, ["sandbox", "poke", "dev-x", "on=true"])
    assert result.exit_code == 1
    assert len(_errors(result.stderr)) == 1
    assert "no running sandbox found" in result.stderr
    assert "c2c sandbox start" in result.stderr


def test_poke_says_which_sandbox_it_found(running):
    result = runner.invoke(app, ["sandbox", "poke", "dev-x", "on=true"])
    assert f"Using the sandbox at {running.base_url} (pid {os.getpid()})." in result.stderr


def test_second_start_is_refused_and_leaves_the_first_intact(home, tmp_path):
    first = _start(home, "--db", str(tmp_path / "first.db"))
    try:
        info = json.loads(first.stdout.readline())
        pointer = (home / "sandbox.json").read_text()
        second = _start(home, "--db", str(tmp_path / "second.db"))
        try:
            out, stderr = second.communicate(timeout=60)
        finally:
            second.kill()  # only if the refusal did not happen: never leave it running
            second.wait(timeout=10)
        assert second.returncode == 2 and out == ""
        assert len(_errors(stderr)) == 1 and f"pid {first.pid}" in _errors(stderr)[0]
        assert not (tmp_path / "second.db").exists()  # refused before seeding anything
        assert (home / "sandbox.json").read_text() == pointer
        poked = runner.invoke(app, ["sandbox", "poke", _any_device(info), "temperature=30.5", "--json"])
        assert f"Using the sandbox at {info['base_url']} (pid {first.pid})." in poked.stderr
        assert poked.exit_code == 0, poked.stderr
    finally:
        first.send_signal(signal.SIGINT)
        first.communicate(timeout=20)
    assert not (home / "sandbox.json").exists()


def test_the_printed_next_step_succeeds(home, tmp_path):
    # issue 13 §7: the hint was 'c2c sandbox poke DEVICE ATTR=VALUE', placeholders that fail as typed
    proc = _start(home, "--db", str(tmp_path / "s.db"))
    try:
        json.loads(proc.stdout.readline())
        line = ""
        while "Next: " not in line:
            line = proc.stderr.readline()
            assert line, "the sandbox printed no Next: step"
        argv = shlex.split(line.split("Next: ", 1)[1])
        assert argv[:3] == ["c2c", "sandbox", "poke"]
        step = runner.invoke(app, argv[1:])
        assert step.exit_code == 0, step.stderr
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)


def _any_device(info: dict[str, Any]) -> str:
    listed = requests.get(f"{info['base_url']}/v1/devices", headers={"X-Api-Key": info["api_key"]}, timeout=5)
    assert listed.ok, listed.text
    return str(next(d["id"] for d in listed.json()["devices"] if d["kind"] == "temperature_sensor"))


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--host", "no-such-host.invalid", "--allow-public"], "does not resolve"),
        (["--port", "{busy}"], "already in use"),
    ],
)
def test_bind_errors_are_one_line_exit_2(home, args, expected):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        argv = ["sandbox", "start", "--db", str(home / "s.db"), *(a.format(busy=port) for a in args)]
        result = runner.invoke(app, argv if "--port" in args else [*argv, "--port", "0"])
    assert result.exit_code == 2, result.stderr
    assert len(_errors(result.stderr)) == 1 and expected in _errors(result.stderr)[0]
    assert "Traceback" not in result.stderr and "Port" not in result.stderr
    assert not (home / "s.db").exists() and not (home / "sandbox.json").exists()


def test_reset_refuses_the_db_of_a_running_sandbox(home):
    with start_sandbox(
        SandboxSettings(port=0, db=str(home / "sandbox.db"), state_file=str(home / "sandbox.json"))
    ):
        result = runner.invoke(app, ["sandbox", "reset", "--yes"])
        assert result.exit_code == 2
        assert len(_errors(result.stderr)) == 1 and f"(pid {os.getpid()})" in result.stderr
        assert (home / "sandbox.db").exists()


def test_reset_deletes_the_db(tmp_path, home):
    db = tmp_path / "s.db"
    with start_sandbox(SandboxSettings(port=0, db=str(db), devices_per_user=1)):
        pass
    result = runner.invoke(app, ["sandbox", "reset", "--db", str(db), "--yes", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"db": str(db), "deleted": True}
    assert not db.exists()


def test_reset_asks_first(tmp_path, home):
    db = tmp_path / "s.db"
    db.write_text("x")
    result = runner.invoke(app, ["sandbox", "reset", "--db", str(db)], input="n\n")
    assert result.exit_code != 0
    assert db.exists()


def test_start_human_output_is_a_table(home):
    env = {**os.environ, "C2C_HOME": str(home), "COLUMNS": "160"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "c2c_cli",
            "sandbox",
            "start",
            "--port",
            "0",
            "--db",
            ":memory:",
            "--users",
            "ann:[b]pw",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    lines: list[str] = []
    try:
        while not any("ann / [b]pw" in line for line in lines):
            line = proc.stdout.readline()
            assert line, "stdout closed before the users were printed"
            lines.append(line)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)
    text = "".join(lines)
    for key in (
        "authorize_url",
        "token_url",
        "revoke_url",
        "userinfo_url",
        "client_id",
        "client_secret",
        "test-only",
    ):
        assert key in text
