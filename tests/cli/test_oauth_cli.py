"""``c2c oauth`` through typer's CliRunner against an in-process sandbox.

The browser is ``$BROWSER`` naming a fake-browser command (tests/integration/oauth/fake_browser_cmd.py)
that signs in on the sandbox page and follows the redirect to the CLI's loopback server. Paste-back
mode, which needs the printed URL while the command runs, is covered in tests/e2e/test_oauth_e2e.py.
"""

import json
import shlex
import stat
import sys
from pathlib import Path

import pytest
import requests
from typer.testing import CliRunner

from c2c_cli.cli import app
from c2c_cli.sandbox import SandboxSettings, start_sandbox

FAKE_BROWSER = Path(__file__).parents[1] / "integration" / "oauth" / "fake_browser_cmd.py"
SECRET_VAR = "SANDBOX_CLIENT_SECRET"


def _yaml(info: dict, **overrides: str) -> str:
    oauth = {
        "authorization_url": info["authorize_url"],
        "token_url": info["token_url"],
        "revocation_url": info["revoke_url"],
        "userinfo_url": info["userinfo_url"],
        "client_id": info["client_id"],
        "client_secret_env": SECRET_VAR,
        "token_endpoint_auth": info["token_endpoint_auth"],
        **overrides,
    }
    lines = "".join(f"  {k}: {v}\n" for k, v in oauth.items())
    return f"connector:\n  name: acme\noauth:\n{lines}"


class Cli:
    """Runs ``c2c`` in-process with a project, a private C2C_HOME and the fake browser."""

    def __init__(self, tmp_path: Path, sb, users: str = "alice:alice-password,bob:bob-password") -> None:
        self.sb = sb
        self.project = tmp_path / "project"
        self.project.mkdir()
        (self.project / "c2c.yaml").write_text(_yaml(sb.info))
        self.home = tmp_path / "home"
        self.env = {
            "C2C_HOME": str(self.home),
            SECRET_VAR: sb.info["client_secret"],
            "C2C_CLIENT_SECRET": "",
            "BROWSER": f"{sys.executable} {FAKE_BROWSER} %s",
            "FAKE_BROWSER_USERS": users,
            "FAKE_BROWSER_COUNTER": str(tmp_path / "browser-count"),
        }

    def __call__(self, *args: str, env: dict | None = None, input: str | None = None):
        argv = ["oauth", *args]
        if args and args[0] != "status":
            argv += ["--project", str(self.project)]
        return CliRunner().invoke(app, argv, env={**self.env, **(env or {})}, input=input)

    def store(self) -> dict:
        return json.loads((self.home / "tokens.json").read_text())["profiles"]


@pytest.fixture(params=["HTTP_BASIC", "REQUEST_BODY_CREDENTIALS"])
def cli(request, tmp_path):
    with start_sandbox(SandboxSettings(port=0, token_endpoint_auth=request.param)) as sb:
        yield Cli(tmp_path, sb)


@pytest.fixture
def basic_cli(tmp_path):
    with start_sandbox(SandboxSettings(port=0)) as sb:
        yield Cli(tmp_path, sb)


def _me(sb, token: str) -> int:
    response = requests.get(f"{sb.base_url}/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    return response.status_code


def test_login_status_refresh_token_logout(cli):
    login = cli("login", "--json")
    assert login.exit_code == 0, login.stderr
    summary = json.loads(login.stdout)
    assert summary["user_id"] == cli.sb.user_id("alice")
    assert summary["refresh_available"] is True
    assert "Logged in as user-0001" in login.stderr
    stored = cli.store()["default"]
    assert stored["access_token"] not in login.stdout + login.stderr
    assert stat.S_IMODE((cli.home / "tokens.json").stat().st_mode) == 0o600

    status = cli("status", "--json")
    assert json.loads(status.stdout)["access_token_fingerprint"] == summary["access_token_fingerprint"]

    refreshed = json.loads(cli("refresh", "--json").stdout)
    assert refreshed["access_token_fingerprint"] != summary["access_token_fingerprint"]

    token = cli("token")
    assert token.exit_code == 0
    assert token.stdout.strip() == cli.store()["default"]["access_token"]
    assert _me(cli.sb, token.stdout.strip()) == 200

    logout = cli("logout", "--json")
    assert logout.exit_code == 0, logout.stderr
    assert json.loads(logout.stdout) == {
        "profile": "default",
        "found": True,
        "revoked": ["refresh_token", "access_token"],
        "revocation_skipped": None,
        "deleted": True,
    }
    assert _me(cli.sb, token.stdout.strip()) == 401
    assert cli("status").exit_code == 4


def test_status_shows_a_table_without_tokens(basic_cli):
    assert basic_cli("login").exit_code == 0
    result = basic_cli("status")
    assert result.exit_code == 0
    assert "user-0001" in result.stdout and "fingerprint" in result.stdout
    assert basic_cli.store()["default"]["access_token"] not in result.stdout


def test_profiles_are_separate(basic_cli):
    assert basic_cli("login", "--profile", "first").exit_code == 0
    assert basic_cli("login", "--profile", "second").exit_code == 0
    first = json.loads(basic_cli("status", "--profile", "first", "--json").stdout)
    second = json.loads(basic_cli("status", "--profile", "second", "--json").stdout)
    assert (first["user_id"], second["user_id"]) == ("user-0001", "user-0002")


def test_logout_no_revoke_keeps_the_token_valid(basic_cli):
    basic_cli("login")
    token = basic_cli.store()["default"]["access_token"]
    result = basic_cli("logout", "--no-revoke")
    assert result.exit_code == 0
    assert "not revoked (--no-revoke)" in result.stderr
    assert _me(basic_cli.sb, token) == 200
    assert not (basic_cli.home / "tokens.json").exists()


def test_logout_when_not_logged_in_is_a_no_op(basic_cli):
    result = basic_cli("logout")
    assert result.exit_code == 0
    assert "nothing to do" in result.stderr


def test_denied_consent_exits_4(basic_cli):
    result = basic_cli("login", "--timeout", "10", env={"FAKE_BROWSER_CONSENT": "deny"})
    assert result.exit_code == 4
    assert "access_denied" in result.stderr
    assert "Hint:" in result.stderr


def test_missing_secret_names_the_variable_c2c_yaml_uses(basic_cli):
    # issue 13 §18: c2c.yaml says client_secret_env: SANDBOX_CLIENT_SECRET, so that is what to export.
    result = basic_cli("login", env={SECRET_VAR: ""})
    assert result.exit_code == 2
    error, hint = result.stderr.splitlines()
    assert f"${SECRET_VAR}" in error and "client_secret_env" in error
    assert hint == f"Hint: export {SECRET_VAR}=<the client secret>, then run the command again."
    assert not (basic_cli.home / "tokens.json").exists()


def test_missing_secret_without_a_configured_variable_names_the_fallback(basic_cli):
    info = {**basic_cli.sb.info}
    (basic_cli.project / "c2c.yaml").write_text(
        _yaml(info).replace(f"  client_secret_env: {SECRET_VAR}\n", "")
    )
    result = basic_cli("login")
    assert result.exit_code == 2
    assert "C2C_CLIENT_SECRET" in result.stderr and "client_secret_env" in result.stderr


def test_secret_from_fallback_env_var(basic_cli):
    result = basic_cli("login", env={SECRET_VAR: "", "C2C_CLIENT_SECRET": basic_cli.sb.info["client_secret"]})
    assert result.exit_code == 0, result.stderr


def test_missing_oauth_section_exits_2(tmp_path):
    (tmp_path / "c2c.yaml").write_text("connector:\n  name: acme\n  auth: general\n")
    result = CliRunner().invoke(
        app, ["oauth", "login", "--project", str(tmp_path)], env={"C2C_HOME": str(tmp_path)}
    )
    assert result.exit_code == 2
    assert "oauth:" in result.stderr


def test_port_and_redirect_uri_together_exit_2(basic_cli):
    result = basic_cli("login", "--port", "8765", "--redirect-uri", "http://127.0.0.1:8765/callback")
    assert result.exit_code == 2


def test_token_prints_to_a_pipe_only_the_token(basic_cli):
    basic_cli("login")
    result = basic_cli("token")
    assert result.exit_code == 0
    assert result.stdout == basic_cli.store()["default"]["access_token"] + "\n"
    assert result.stderr == ""


def test_token_when_not_logged_in_exits_4(basic_cli):
    result = basic_cli("token")
    assert result.exit_code == 4
    assert "c2c oauth login" in result.stderr


def test_check_passes_against_the_sandbox(cli):
    result = cli("check", "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert report["counts"]["fail"] == 0
    assert not (cli.home / "tokens.json").exists()  # the check stores nothing


def test_check_reports_the_missing_refresh_token(tmp_path):
    with start_sandbox(SandboxSettings(port=0, issue_refresh_token=False)) as sb:
        cli = Cli(tmp_path, sb)
        result = cli("check", "--json")
    assert result.exit_code == 4
    statuses = {item["id"]: item["status"] for item in json.loads(result.stdout)["items"]}
    assert statuses["refresh_token_issued"] == "fail"
    assert "refresh_token_issued" in result.stderr


def test_check_table_output(basic_cli):
    result = basic_cli("check", "--single-user")
    assert result.exit_code == 0, result.stderr
    assert "PASS" in result.stdout and "WARN" in result.stdout
    assert "meets the OAuth requirements" in result.stderr


@pytest.mark.parametrize(
    ("command", "setting"),
    [(["refresh"], "token_url"), (["token"], "token_url"), (["logout"], "revocation_url")],
)
def test_tokens_are_not_sent_to_an_endpoint_at_another_origin(basic_cli, command, setting):
    # issue 13 §2: c2c.yaml now names another provider; its endpoint never sees the stored tokens.
    assert basic_cli("login").exit_code == 0
    before = basic_cli.store()
    moved = _yaml(basic_cli.sb.info, **{setting: "https://other.example/oauth/x"})
    (basic_cli.project / "c2c.yaml").write_text(moved)
    result = basic_cli(*command)
    assert result.exit_code == 4
    error, hint = result.stderr.splitlines()
    assert error.startswith("Error: ") and "other.example" in error
    assert hint.startswith("Hint: ") and "c2c oauth login" in hint
    assert result.stdout == ""
    assert basic_cli.store() == before
    assert _me(basic_cli.sb, before["default"]["access_token"]) == 200


@pytest.mark.parametrize("command", ["login", "refresh"])
def test_an_unusable_home_exits_2_before_signing_in(basic_cli, tmp_path, command):
    # issue 13 §13: checked first, so no browser opens and no tokens are issued only to be lost.
    home = tmp_path / "home-file"
    home.write_text("not a directory")
    result = basic_cli(command, env={"C2C_HOME": str(home)})
    assert result.exit_code == 2
    error, hint = result.stderr.splitlines()
    assert error.startswith("Error: ") and "is not a directory" in error
    assert hint.startswith("Hint: ") and "C2C_HOME" in hint
    assert not (tmp_path / "browser-count").exists()
    assert basic_cli.sb.store.one("SELECT COUNT(*) AS n FROM tokens")["n"] == 0


@pytest.mark.parametrize("first", [["login"], ["check", "--single-user"]])
def test_the_next_step_succeeds_in_the_state_the_command_leaves(basic_cli, monkeypatch, first):
    # issue 13 §7: every "Next:" hint is a command that works right then (run from the project dir).
    done = basic_cli(*first)
    assert done.exit_code == 0, done.stderr
    argv = shlex.split(done.stderr.split("Next: ", 1)[1].strip())
    assert argv[0] == "c2c"
    monkeypatch.chdir(basic_cli.project)
    step = CliRunner().invoke(app, argv[1:], env=basic_cli.env)
    assert step.exit_code == 0, step.stderr
