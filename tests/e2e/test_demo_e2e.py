"""c2c demo and the README's `make demo`: the whole lifecycle, offline, leaving no process behind."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def _env(marker: str, home: Path) -> dict[str, str]:
    # Every process the demo starts inherits the marker, so leftovers can be found in /proc.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "C2C_"))}
    return {**env, "DEMO_TEST_MARKER": marker, "C2C_HOME": str(home)}


def _marked(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if f"DEMO_TEST_MARKER={marker}".encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _leftovers(marker: str, wait: float = 5.0) -> list[int]:
    deadline = time.time() + wait
    while (found := _marked(marker)) and time.time() < deadline:
        time.sleep(0.2)
    return found


def test_demo_runs_every_step_and_leaves_no_process(tmp_path: Path) -> None:
    marker = uuid.uuid4().hex
    result = subprocess.run(
        [sys.executable, "-m", "c2c_cli", "demo", "--json"],
        env=_env(marker, tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    steps = {s["title"]: s for s in json.loads(result.stdout)["steps"]}
    for title in (
        "Simulate AWS.ActivateUser",
        "Simulate AWS.DiscoverDevices",
        "Simulate AWS.SendCommand (OnOff On)",
    ):
        assert steps[title]["result"].endswith("conforms"), steps[title]
    assert steps["Run the conformance suite"]["result"].startswith("0 fail")
    assert steps["DEVICE_EVENT updates the thing"]["result"] == "thing state OnOff=False"
    assert steps["Customer command matter.OnOff On"]["result"] == "thing state OnOff=True"
    assert "Unregister" in steps
    shown = " ".join(s["command"] for s in steps.values())
    assert "--connector-env=VENDOR_CLIENT_SECRET " in shown + " " and "--admin-key ***" in shown
    assert _leftovers(marker) == []


def test_demo_keep_leaves_the_project_and_running_servers(tmp_path: Path) -> None:
    marker = uuid.uuid4().hex
    keep = tmp_path / "kept"
    result = subprocess.run(
        [sys.executable, "-m", "c2c_cli", "demo", "--keep", str(keep), "--json"],
        env=_env(marker, tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    try:
        assert result.returncode == 0, result.stderr[-3000:]
        data = json.loads(result.stdout)
        assert (keep / "acme-lights" / "c2c.yaml").is_file()
        assert requests.get(
            data["servers"]["sandbox"] + "/.well-known/oauth-authorization-server", timeout=5
        ).ok
        pids = [int(p) for p in data["servers"]["pids"].split()]
        assert set(pids) <= set(_marked(marker))
    finally:
        for pid in _marked(marker):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(
    shutil.which("make") is None or not (ROOT / ".git").exists(), reason="needs make and a git checkout"
)
def test_make_demo_works_from_a_fresh_clone(tmp_path: Path) -> None:
    clone = tmp_path / "c2c"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    marker = uuid.uuid4().hex
    env = _env(marker, tmp_path / "home")
    env.pop("VIRTUAL_ENV", None)
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if ".venv" not in p)
    result = subprocess.run(
        ["make", "demo"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=800,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Demo finished in" in result.stderr
    assert _leftovers(marker) == []
