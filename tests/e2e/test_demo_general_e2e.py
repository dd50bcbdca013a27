"""``c2c demo --auth general``: the General Authorization leg, offline, leaving no process behind."""

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


def _env(marker: str, home: Path) -> dict[str, str]:
    # Every process the demo starts inherits the marker, so leftovers can be found in /proc.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "C2C_"))}
    return {**env, "DEMO_TEST_MARKER": marker, "C2C_HOME": str(home)}


def _leftovers(marker: str, wait: float = 5.0) -> list[int]:
    deadline = time.time() + wait
    while True:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and int(entry.name) != os.getpid():
                try:
                    if f"DEMO_TEST_MARKER={marker}".encode() in (entry / "environ").read_bytes():
                        found.append(int(entry.name))
                except OSError:
                    continue
        if not found or time.time() > deadline:
            return found
        time.sleep(0.2)


def test_general_demo_links_with_the_api_key_and_commands_a_light(tmp_path: Path) -> None:
    marker = uuid.uuid4().hex
    result = subprocess.run(
        [sys.executable, "-m", "c2c_cli", "demo", "--auth", "general", "--json"],
        env=_env(marker, tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    steps = {s["title"]: s for s in json.loads(result.stdout)["steps"]}
    registered = steps["Register: KMS key, secret + policy, connector, destination"]
    assert "register" in registered["command"] and "(material vendor-api-key)" in registered["result"]
    linked = steps["Link with the API key and discover (no browser)"]
    assert "--material vendor-api-key" in linked["command"]
    assert linked["result"].startswith("ASSOCIATION_SUCCEEDED, ") and not linked["result"].endswith(
        " 0 devices onboarded"
    )
    assert steps["Customer command matter.OnOff Off"]["result"] == "thing state OnOff=False"
    assert steps["Customer command matter.OnOff On"]["result"] == "thing state OnOff=True"
    assert "oauth" not in " ".join(s["command"] for s in steps.values())  # no browser, no token
    assert _leftovers(marker) == []


def test_an_unknown_auth_is_a_usage_error() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "c2c_cli", "demo", "--auth", "kerberos"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "use oauth or general" in result.stderr
