"""c2c simulate through the CLI: exit codes, JSON on stdout, clear usage errors on stderr."""

import json
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from c2c_cli.cli import app

BROKEN = Path(__file__).resolve().parents[1] / "fixtures" / "broken"
runner = CliRunner()


def _run(*args: str, input: str | None = None):
    return runner.invoke(app, ["simulate", *args], input=input)


def test_discover_json_and_save(tmp_path: Path) -> None:
    saved = tmp_path / "devices.json"
    result = _run(
        "discover",
        "-p",
        str(BROKEN / "correct"),
        "--sandbox",
        "--sandbox-devices",
        "3",
        "--json",
        "--save",
        str(saved),
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["ok"] is True and data["operation"] == "AWS.DiscoverDevices"
    assert data["ack"]["header"]["responseCode"] == 200
    assert data["events"][-1]["body"]["StatusCode"] == 200
    assert data["request"]["header"]["auth"]["token"] == "[REDACTED]"
    devices = json.loads(saved.read_text())["devices"]
    assert devices and all("ConnectorDeviceId" in d for d in devices)


def test_the_next_step_after_save_succeeds(tmp_path: Path) -> None:
    # issue 13 §7: the hint had placeholders (--device NAME_OR_ID) and lost --sandbox/--project
    saved = tmp_path / "devices.json"
    project = str(BROKEN / "correct")
    discover = _run("discover", "-p", project, "--sandbox", "--sandbox-devices", "3", "--save", str(saved))
    assert discover.exit_code == 0, discover.stderr
    argv = shlex.split(discover.stderr.split("Next: ", 1)[1])
    assert argv[:3] == ["c2c", "simulate", "command"] and "--sandbox" in argv

    step = runner.invoke(app, argv[1:])

    assert step.exit_code == 0, step.stderr


def test_discover_renders_a_device_table() -> None:
    result = _run("discover", "-p", str(BROKEN / "correct"), "--sandbox", "--sandbox-devices", "3")
    assert result.exit_code == 0, result.stderr
    assert "discovered device(s)" in result.stdout
    assert "OnOff (0x0006)" in result.stdout


def test_activate_without_user_id_exits_3() -> None:
    result = _run("activate", "-p", str(BROKEN / "missing_user_id"), "--sandbox", "--json")
    assert result.exit_code == 3
    rules = {v["rule"] for v in json.loads(result.stdout)["violations"]}
    assert "ack.user-id-required" in rules


def test_command_by_name_with_sandbox() -> None:
    discover = _run(
        "discover", "-p", str(BROKEN / "correct"), "--sandbox", "--sandbox-devices", "3", "--json"
    )
    device = json.loads(discover.stdout)["events"][-1]["body"]["Devices"][0]["ConnectorDeviceId"]
    result = _run(
        "command", "--device", device, "--cluster", "OnOff", "--command", "Toggle",
        "-p", str(BROKEN / "correct"), "--sandbox", "--sandbox-devices", "3", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["events"][-1]["body"]["TraceId"] == data["request"]["payload"]["traceId"]


def test_event_file_is_sent_with_the_simulations_ids(tmp_path: Path) -> None:
    request = {"header": {"auth": {"type": "OAuth2.0", "token": "placeholder"}},
               "payload": {"operationName": "AWS.ActivateUser", "operationVersion": "1.0.0", "connectorId": "x"}}  # fmt: skip
    event = tmp_path / "activate.json"
    event.write_text(json.dumps(request))
    result = _run("activate", "-p", str(BROKEN / "correct"), "--sandbox", "--event", str(event), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["ack"]["payload"]["userId"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["command", "--device", "d1", "--command", "On"], "needs --cluster"),
        (
            [
                "command",
                "--device",
                "d1",
                "--cluster",
                "LevelControl",
                "--command",
                "MoveToLevel",
                "--arg",
                "level=x",
            ],
            "not a valid",
        ),
        (
            ["command", "--device", "d1", "--cluster", "Teleporter", "--command", "On"],
            "unknown Matter cluster",
        ),
        (["discover", "--auth", "general"], "General Authorization needs"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args: list[str], message: str) -> None:
    result = _run(*args, "-p", str(BROKEN / "correct"))
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_project_is_a_config_error(tmp_path: Path) -> None:
    result = _run("activate", "-p", str(tmp_path), "--sandbox")
    assert result.exit_code == 2
    assert "c2c.yaml" in result.stderr


def test_not_logged_in_is_an_auth_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("C2C_HOME", str(tmp_path))
    result = _run("activate", "-p", str(BROKEN / "correct"))
    assert result.exit_code == 4
    assert "c2c oauth login" in result.stderr


def test_token_from_the_oauth_store_and_vendor_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A user who ran 'c2c oauth login' earlier: the stored (fresh) token is sent, VENDOR_API_URL is honoured.
    from c2c_cli.oauth import TokenRecord, TokenStore
    from c2c_cli.sandbox import SandboxSettings, start_sandbox
    from c2c_cli.simulate.environment import sandbox_login

    monkeypatch.setenv("C2C_HOME", str(tmp_path))
    with start_sandbox(SandboxSettings(port=0, devices_per_user=2)) as sb:
        access, _ = sandbox_login(sb, "alice")
        TokenStore().save(TokenRecord("work", access))
        monkeypatch.setenv("VENDOR_API_URL", sb.base_url)
        result = _run("activate", "-p", str(BROKEN / "correct"), "--profile", "work", "--json")
        alice = sb.user_id("alice")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["user_id"] == alice
    assert access not in result.stdout


def test_general_auth_secret_file_is_stored_in_the_local_secrets_manager(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from c2c_cli.sandbox import SandboxSettings, start_sandbox
    from c2c_cli.scaffold import render_project

    project = tmp_path / "acme"
    render_project("general-auth", project, name="acme")
    with start_sandbox(SandboxSettings(port=0, devices_per_user=2)) as sb:
        secret = tmp_path / "secret.json"
        api_key = sb.info["api_key"]
        secret.write_text(json.dumps({"api_key": api_key, "user_id": sb.user_id("alice")}))
        monkeypatch.setenv("VENDOR_API_URL", sb.base_url)
        result = _run("discover", "-p", str(project), "--secret-file", str(secret), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["request"]["header"]["auth"]["secretsManager"]["arn"].startswith("arn:aws:secretsmanager:")
    assert len(data["events"][-1]["body"]["Devices"]) == 2
    assert api_key not in result.stdout


SHARED = {
    "--project", "--token", "--profile", "--auth", "--secret-arn", "--secret-version", "--secret-file",
    "--sandbox", "--sandbox-devices", "--wait", "--retries", "--commands-shape", "--json",
}  # fmt: skip
SIMULATE_ONLY = {"--isolated", "--function", "--aws-profile", "--region", "--event", "--repeat"}


def _options_of(*path: str) -> set[str]:
    import typer.main

    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    return {opt for param in command.params for opt in param.opts}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("simulate", "activate"), SHARED | SIMULATE_ONLY),
        (("simulate", "discover"), SHARED | SIMULATE_ONLY | {"--filter", "--save"}),
        (("simulate", "command"), SHARED | SIMULATE_ONLY | {"--device", "--cluster", "--command", "--raw"}),
        (("simulate", "deactivate"), SHARED | SIMULATE_ONLY),
        (("test",), SHARED | {"--in-process", "-k", "--select", "--junit-xml"}),
    ],
)
def test_commands_share_one_declaration_of_the_simulate_options(
    path: tuple[str, ...], expected: set[str]
) -> None:
    options = _options_of(*path)
    assert expected <= options
    if path == ("test",):
        assert not options & SIMULATE_ONLY


def test_bad_commands_shape_is_a_usage_error() -> None:
    result = _run("activate", "-p", str(BROKEN / "correct"), "--sandbox", "--commands-shape", "dict")
    assert result.exit_code == 2
    assert "--commands-shape must be list or map" in result.stderr


def test_token_dash_reads_the_token_from_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    from c2c_cli.sandbox import SandboxSettings, start_sandbox
    from c2c_cli.simulate.environment import sandbox_login

    with start_sandbox(SandboxSettings(port=0, devices_per_user=1)) as sb:
        token, _ = sandbox_login(sb, "bob")
        monkeypatch.setenv("VENDOR_API_URL", sb.base_url)
        result = _run("activate", "-p", str(BROKEN / "correct"), "--token", "-", "--json", input=token + "\n")
        bob = sb.user_id("bob")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["user_id"] == bob
    assert token not in result.stdout
