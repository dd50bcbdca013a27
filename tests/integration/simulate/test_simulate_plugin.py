"""The pytest plugin, loaded the way connector projects load it, in a separate pytest process."""

import subprocess
import sys
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path

PLUGIN = "c2c_cli.simulate.pytest_plugin"
PROJECT_TESTS = """
def test_lifecycle(c2c_simulator):
    assert c2c_simulator.activate().ok
    result = c2c_simulator.discover()
    assert result.ok, result.violations
    assert c2c_simulator.devices


def test_bare_servers(c2c_emulator, c2c_sandbox):
    assert c2c_emulator.endpoint_url.startswith("http://127.0.0.1:")
    assert c2c_sandbox.info["users"][0]["username"] == "alice"


def test_factory(c2c_simulation, c2c_project_dir):
    from c2c_cli.simulate import SandboxOptions

    with c2c_simulation(c2c_project_dir, sandbox=SandboxOptions(devices_per_user=1), isolated=True) as sim:
        assert sim.activate().user_id
"""


def test_fixtures_work_in_a_connector_projects_tests(tmp_path: Path, broken: Callable[[str], Path]) -> None:
    (tmp_path / "test_connector.py").write_text(PROJECT_TESTS)
    # Installed with the pytest11 entry point, the plugin loads by itself; before that, name it with -p.
    installed = any(e.value == PLUGIN for e in entry_points(group="pytest11"))
    command = [
        sys.executable, "-m", "pytest", "-q", *([] if installed else ["-p", PLUGIN]), "-p", "no:cacheprovider",
        "--c2c-project", str(broken("correct")), str(tmp_path / "test_connector.py"),
    ]  # fmt: skip
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout
