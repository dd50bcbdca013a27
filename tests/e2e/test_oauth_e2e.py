"""``c2c oauth`` end to end: real ``c2c`` processes against an in-process sandbox.

The browser is ``$BROWSER`` naming a fake browser (tests/integration/oauth/fake_browser_cmd.py) that
posts the sandbox's real login form and follows the redirect to the loopback server; paste-back mode
reads the URL from the process's stderr and writes the final redirect URL to its stdin.
"""

from __future__ import annotations

import hashlib
import json
import os
import pty
import re
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from c2c_cli.sandbox import SandboxSettings, start_sandbox
from c2c_cli.sandbox.browser import login_and_consent

FAKE_BROWSER = Path(__file__).parents[1] / "integration" / "oauth" / "fake_browser_cmd.py"
SECRET_VAR = "SANDBOX_CLIENT_SECRET"
_JWT = re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]+")
_OPAQUE = re.compile(r"[A-Za-z0-9_-]{20,}")


class Project:
    """A c2c project pointing at a sandbox, a private C2C_HOME, and ``c2c`` run as a subprocess."""

    def __init__(self, tmp_path: Path, sb, *, scheme: str | None = None) -> None:
        self.sb = sb
        self.root = tmp_path
        self.dir = tmp_path / "project"
        self.dir.mkdir()
        self.home = tmp_path / "home"
        info = sb.info
        oauth = {
            "authorization_url": info["authorize_url"],
            "token_url": info["token_url"],
            "revocation_url": info["revoke_url"],
            "userinfo_url": info["userinfo_url"],
            "client_id": info["client_id"],
            "client_secret_env": SECRET_VAR,
            "token_endpoint_auth": scheme or info["token_endpoint_auth"],
        }
        body = "".join(f"  {k}: {v}\n" for k, v in oauth.items())
        (self.dir / "c2c.yaml").write_text(f"connector:\n  name: acme\noauth:\n{body}")
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("C2C_", "FAKE_BROWSER_"))},
            "C2C_HOME": str(self.home),
            SECRET_VAR: info["client_secret"],
            "BROWSER": f"{sys.executable} {FAKE_BROWSER} %s",
            "FAKE_BROWSER_USERS": "alice:alice-password,bob:bob-password",
            "FAKE_BROWSER_COUNTER": str(tmp_path / "browser-count"),
        }

    def argv(self, *args: str, debug: bool = False) -> list[str]:
        root = ["--debug"] if debug else []
        project = [] if args[0] == "status" else ["--project", str(self.dir)]
        return [sys.executable, "-m", "c2c_cli", *root, "oauth", *args, *project]

    def run(
        self, *args: str, debug: bool = False, env: dict | None = None, **kwargs
    ) -> subprocess.CompletedProcess:
        return subprocess.run(
            self.argv(*args, debug=debug),
            env={**self.env, **(env or {})},
            capture_output=kwargs.pop("capture_output", True),
            text=True,
            timeout=120,
            stdin=kwargs.pop("stdin", subprocess.DEVNULL),
            **kwargs,
        )

    def store(self) -> dict:
        return json.loads((self.home / "tokens.json").read_text())["profiles"]


@pytest.fixture
def sandbox_factory():
    started = []

    def make(**changes):
        sb = start_sandbox(SandboxSettings(port=0, **changes))
        sb.__enter__()
        started.append(sb)
        return sb

    yield make
    for sb in started:
        sb.__exit__(None, None, None)


def _me(sb, token: str) -> int:
    return requests.get(
        f"{sb.base_url}/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10
    ).status_code


@pytest.mark.parametrize("scheme", ["HTTP_BASIC", "REQUEST_BODY_CREDENTIALS"])
def test_login_status_refresh_logout_and_revocation(tmp_path, sandbox_factory, scheme):
    project = Project(tmp_path, sandbox_factory(token_endpoint_auth=scheme))
    login = project.run("login", "--json")
    assert login.returncode == 0, login.stderr
    assert json.loads(login.stdout)["user_id"] == project.sb.user_id("alice")
    assert "Signed in" not in login.stdout  # the browser page is the browser's, not the terminal's
    status = json.loads(project.run("status", "--json").stdout)
    assert status["refresh_available"] is True and status["scopes"]
    old = project.store()["default"]
    refresh = project.run("refresh", "--json")
    assert refresh.returncode == 0, refresh.stderr
    new = project.store()["default"]
    assert new["access_token"] != old["access_token"]
    token = project.run("token")
    assert token.stdout.strip() == new["access_token"]
    logout = project.run("logout")
    assert logout.returncode == 0, logout.stderr
    assert "revoked refresh_token and access_token" in logout.stderr
    assert _me(project.sb, new["access_token"]) == 401
    assert project.run("status").returncode == 4


def test_paste_back_mode(tmp_path, sandbox_factory):
    project = Project(tmp_path, sandbox_factory())
    process = subprocess.Popen(
        project.argv("login", "--no-browser", "--json"),
        env=project.env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None and process.stdin is not None
    # Read up to the paste prompt (communicate() bypasses the text buffer, so nothing may stay in it).
    lines = []
    for line in process.stderr:
        lines.append(line)
        if "paste the final URL" in line:
            break
    url = next(line.strip() for line in lines if "/oauth/authorize?" in line)
    # The browser is "on another machine": the final URL is pasted, the loopback server is never called.
    process.stdin.write(login_and_consent(url, "bob", "bob-password") + "\n")
    process.stdin.flush()
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert json.loads(stdout)["user_id"] == project.sb.user_id("bob")


@pytest.mark.parametrize(
    ("env", "args", "code", "message"),
    [
        ({"FAKE_BROWSER_CONSENT": "deny"}, (), 4, "access_denied"),
        # issue 13 §5: a forged state is answered 400 and ignored, so only the timeout ends this login.
        (
            {"FAKE_BROWSER_TAMPER": "state"},
            ("--timeout", "1"),
            4,
            "no authorization response within 1 seconds",
        ),
        ({"FAKE_BROWSER_IDLE": "1"}, ("--timeout", "1"), 4, "no authorization response within 1 seconds"),
    ],
    ids=["denied-consent", "state-mismatch", "timeout"],
)
def test_login_failures(tmp_path, sandbox_factory, env, args, code, message):
    project = Project(tmp_path, sandbox_factory())
    result = project.run("login", *args, env=env)
    assert result.returncode == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project.home / "tokens.json").exists()


def test_port_in_use(tmp_path, sandbox_factory):
    project = Project(tmp_path, sandbox_factory())
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = project.run("login", "--port", str(busy.getsockname()[1]))
    assert result.returncode == 2
    assert "already in use" in result.stderr and "Hint:" in result.stderr


def test_exact_port_login(tmp_path, sandbox_factory):
    project = Project(tmp_path, sandbox_factory())
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = project.run("login", "--port", str(port))
    assert result.returncode == 0, result.stderr
    assert f"http://127.0.0.1:{port}/callback" in result.stderr


def test_token_is_not_printed_to_a_terminal_without_show(tmp_path, sandbox_factory):
    project = Project(tmp_path, sandbox_factory())
    assert project.run("login").returncode == 0
    leader, follower = pty.openpty()
    try:
        refused = project.run("token", stdout=follower, capture_output=False, stderr=subprocess.PIPE)
        shown = project.run("token", "--show", stdout=follower, capture_output=False, stderr=subprocess.PIPE)
        printed = os.read(leader, 65536).decode()
    finally:
        os.close(leader)
        os.close(follower)
    assert refused.returncode == 2
    assert "--show" in refused.stderr
    assert shown.returncode == 0
    assert project.store()["default"]["access_token"] in printed


@pytest.mark.parametrize("scheme", ["HTTP_BASIC", "REQUEST_BODY_CREDENTIALS"])
def test_check_passes_against_the_sandbox(tmp_path, sandbox_factory, scheme):
    project = Project(tmp_path, sandbox_factory(token_endpoint_auth=scheme))
    result = project.run("check", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {item["status"] for item in report["items"]} == {"pass"}


@pytest.mark.parametrize(
    ("sandbox", "config_scheme", "failed"),
    [
        ({"issue_refresh_token": False}, None, {"refresh_token_issued", "refresh_grant"}),
        ({"token_endpoint_auth": "HTTP_BASIC"}, "REQUEST_BODY_CREDENTIALS", {"client_auth"}),
        ({"token_endpoint_auth": "REQUEST_BODY_CREDENTIALS"}, "HTTP_BASIC", {"client_auth"}),
    ],
    ids=["no-refresh-token", "basic-server-post-config", "post-server-basic-config"],
)
def test_check_reports_specific_failures(tmp_path, sandbox_factory, sandbox, config_scheme, failed):
    project = Project(tmp_path, sandbox_factory(**sandbox), scheme=config_scheme)
    result = project.run("check", "--json")
    assert result.returncode == 4
    report = json.loads(result.stdout)
    assert {item["id"] for item in report["items"] if item["status"] == "fail"} == failed
    assert all(item_id in result.stderr for item_id in failed)


@pytest.mark.slow
def test_no_secret_leaks_with_debug(tmp_path, sandbox_factory):
    """Every ``c2c oauth`` command with --debug: no client secret or token in any output or file."""
    sb = sandbox_factory()
    project = Project(tmp_path, sb)
    secret = sb.info["client_secret"]
    known: set[str] = set()
    outputs: list[str] = []

    def run(*args: str, expect: int, env: dict | None = None, token_on_stdout: bool = False) -> None:
        (tmp_path / "browser-count").unlink(missing_ok=True)  # each command signs in alice, then bob
        result = project.run(*args, debug=True, env=env)
        assert result.returncode == expect, (args, result.stderr)
        outputs.append(result.stderr)
        if not token_on_stdout:
            outputs.append(result.stdout)
        if (project.home / "tokens.json").exists():
            for record in project.store().values():
                known.update(filter(None, (record["access_token"], record["refresh_token"])))

    run("login", expect=0)
    run("login", "--json", "--profile", "second", expect=0)
    run("status", expect=0)
    run("status", "--json", expect=0)
    run("refresh", expect=0)
    run("refresh", "--json", expect=0)
    run("token", expect=0, token_on_stdout=True)
    run("check", "--json", expect=0)
    run("check", "--single-user", expect=0)
    run("login", "--timeout", "10", expect=4, env={"FAKE_BROWSER_CONSENT": "deny"})
    run("login", "--timeout", "10", expect=4, env={SECRET_VAR: "wrong-secret-0123456789"})
    assert stat.S_IMODE((project.home / "tokens.json").stat().st_mode) == 0o600
    stored = json.loads((project.home / "tokens.json").read_text())["profiles"]["default"]
    run("logout", expect=0)
    run("refresh", expect=4)  # no tokens any more
    run("logout", "--profile", "second", "--no-revoke", expect=0)
    run("status", "--profile", "second", expect=4)
    (project.home / "tokens.json").write_text(json.dumps({"version": 1, "profiles": {"default": stored}}))
    (project.home / "tokens.json").chmod(0o600)
    run("refresh", expect=4)  # revoked at logout: invalid_grant, with a --debug traceback

    issued = {row[0] for row in sb.store.all("SELECT access_hash FROM tokens")}
    issued |= {
        row[0] for row in sb.store.all("SELECT refresh_hash FROM tokens WHERE refresh_hash IS NOT NULL")
    }
    files = [p for p in tmp_path.rglob("*") if p.is_file() and p.name != "tokens.json"]
    texts = outputs + [p.read_text(errors="replace") for p in files]
    assert any("Traceback" in text for text in outputs), "--debug should have shown at least one traceback"
    for text in texts:
        assert secret not in text
        assert "wrong-secret-0123456789" not in text
        assert not _JWT.search(text), _JWT.search(text)
        for token in known:
            assert token not in text
        for candidate in _OPAQUE.findall(text):
            assert hashlib.sha256(candidate.encode()).hexdigest() not in issued
    assert len(issued) >= 8  # logins, refreshes and the checks' sign-ins all issued tokens
