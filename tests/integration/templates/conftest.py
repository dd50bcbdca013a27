"""Fixtures for the template end-to-end tests: one venv with the generated requirements, a sandbox."""

import base64
import hashlib
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests

from c2c_cli.sandbox import SandboxSettings, start_sandbox
from c2c_cli.sandbox.browser import login_and_consent, redirect_params
from c2c_cli.scaffold import render_project


def _pip(venv: Path, *args: str) -> None:
    subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            *args,
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="session")
def project_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding the generated project's own requirements (identical for both templates)."""
    root = tmp_path_factory.mktemp("template-venv")
    probe = render_project("oauth2", root / "probe", name="probe")
    for other in ("general-auth",):
        rendered = render_project(other, root / other, name="probe")
        for name in ("requirements.txt", "requirements-dev.txt"):
            assert (rendered.dest / name).read_text() == (probe.dest / name).read_text()
    venv = root / "venv"
    # The Lambda runtime is Python 3.12; C2C_TEMPLATE_PYTHON picks that (or any) interpreter for the venv.
    python = os.environ.get("C2C_TEMPLATE_PYTHON") or sys.executable
    subprocess.run([python, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=120)
    _pip(venv, "-r", str(probe.dest / "requirements-dev.txt"))
    return venv


def _access_token(info: dict) -> str:
    """The authorization-code flow with PKCE, as the service runs it (contract §6)."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    redirect = "http://127.0.0.1:9/callback"  # loopback redirects are accepted; never followed
    query = {
        "response_type": "code",
        "client_id": info["client_id"],
        "redirect_uri": redirect,
        "scope": info["scope"],
        "state": secrets.token_urlsafe(8),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    user = info["users"][0]
    location = login_and_consent(
        f"{info['authorize_url']}?{urlencode(query)}", user["username"], user["password"]
    )
    grant = {
        "grant_type": "authorization_code",
        "code": redirect_params(location)["code"],
        "redirect_uri": redirect,
        "code_verifier": verifier,
    }
    response = requests.post(
        info["token_url"], data=grant, auth=(info["client_id"], info["client_secret"]), timeout=10
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


@pytest.fixture
def sandbox_env() -> dict[str, str]:
    """A running sandbox (one user, 11 devices: one per kind) and the env the generated e2e test reads."""
    settings = SandboxSettings(
        port=0, db=":memory:", users=("alice",), devices_per_user=11, auto_consent="alice"
    )
    with start_sandbox(settings) as sandbox:
        info = sandbox.info
        yield {
            "C2C_SANDBOX_URL": info["base_url"],
            "C2C_SANDBOX_USER_ID": info["users"][0]["user_id"],
            "C2C_SANDBOX_TOKEN": _access_token(info),
            "C2C_SANDBOX_API_KEY": str(info["api_key"]),
            "C2C_SANDBOX_CLIENT_ID": info["client_id"],
            "C2C_SANDBOX_CLIENT_SECRET": info["client_secret"],
        }


@pytest.fixture
def clean_env() -> dict[str, str]:
    """This process's environment minus what would leak into the generated project's test run."""
    drop = ("PYTHONPATH", "VIRTUAL_ENV", "PYTEST_ADDOPTS", "C2C_CAPTURE_DIR")
    env = {
        k: v for k, v in os.environ.items() if k not in drop and not k.startswith(("AWS_", "C2C_SANDBOX_"))
    }
    env.update({"AWS_EC2_METADATA_DISABLED": "true", "AWS_DEFAULT_REGION": "us-east-1"})
    return env
