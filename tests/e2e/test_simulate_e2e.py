"""Acceptance: 'c2c test --sandbox' passes on both freshly generated templates, as real processes.

Each template is generated with 'c2c init' into a temp dir; 'c2c test' then starts its own emulator and
sandbox on 127.0.0.1 and runs the suite with the default subprocess target. No other network is used:
the environment carries no AWS credentials or endpoints of the developer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

# Loaded by every interpreter of the run (c2c, its worker) through PYTHONPATH: any connection to a
# non-loopback address is refused and written down, so the test proves "no network beyond 127.0.0.1".
GUARD = """
import os, socket
_connect = socket.socket.connect

def _guarded(self, address):
    host = address[0] if isinstance(address, tuple) else None
    if self.family in (socket.AF_INET, socket.AF_INET6) and host not in ("127.0.0.1", "::1", "localhost"):
        with open(os.environ["C2C_NET_GUARD_LOG"], "a") as log:
            log.write(f"{host}\\n")
        raise OSError(f"network guard: {host} is not loopback")
    return _connect(self, address)

socket.socket.connect = _guarded
"""


def _guarded_env(tmp_path: Path) -> dict[str, str]:
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        C2C_HOME=str(tmp_path / "home"),
        AWS_EC2_METADATA_DISABLED="true",
        PYTHONPATH=str(guard),
        C2C_NET_GUARD_LOG=str(tmp_path / "refused.txt"),
    )
    return env


def _c2c(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "c2c_cli", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=240, check=False)


@pytest.mark.parametrize("template", ["oauth2", "general-auth"])
def test_c2c_test_passes_on_a_fresh_template(tmp_path: Path, template: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        C2C_HOME=str(tmp_path / "home"), AWS_EC2_METADATA_DISABLED="true", NO_PROXY="127.0.0.1,localhost"
    )
    created = _c2c(
        "init", str(tmp_path / "acme"), "--template", template, "--no-input", cwd=tmp_path, env=env
    )
    assert created.returncode == 0, created.stderr
    junit = tmp_path / "junit.xml"
    result = _c2c("test", "--sandbox", "--json", "--junit-xml", str(junit), cwd=tmp_path / "acme", env=env)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    data = json.loads(result.stdout)
    assert data["ok"] is True and data["target"] == "subprocess" and data["counts"]["fail"] == 0
    ids = {c["id"] for c in data["cases"]}
    assert {
        "lifecycle.activate",
        "lifecycle.discover",
        "robustness.duplicate-command",
        "lifecycle.deactivate",
    } <= ids
    assert any(i.startswith("lifecycle.command.") for i in ids)
    assert ET.parse(junit).getroot().get("failures") == "0"
    assert not (tmp_path / "refused.txt").exists(), (tmp_path / "refused.txt").read_text()


def test_simulate_discover_renders_the_devices_of_a_fresh_template(tmp_path: Path) -> None:
    env = _guarded_env(tmp_path)
    assert _c2c("init", str(tmp_path / "acme"), "--no-input", cwd=tmp_path, env=env).returncode == 0
    result = _c2c("simulate", "discover", "--sandbox", "--isolated", cwd=tmp_path / "acme", env=env)
    assert result.returncode == 0, result.stderr
    assert "11 discovered device(s)" in result.stdout
    assert "conforms" in result.stdout
