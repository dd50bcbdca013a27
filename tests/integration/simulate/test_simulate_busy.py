"""A handler stuck in ``while True: pass`` (issue 13 §6): every attempt is a timeout, bounded by the budget.

The fixture (tests/fixtures/busy_loop) writes the pid running it to ``C2C_BUSY_PID_FILE`` and spins until
``C2C_BUSY_STOP_FILE`` exists: the tests create that file at the end, so a thread that cannot be killed (or
a worker wrongly left running) stops burning a core for the rest of the run.
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from c2c_cli.cli import app
from c2c_cli.runtime.delivery import RetryPolicy, invoke_with_retries
from c2c_cli.runtime.targets import GRACE_MS, InProcessTarget, SubprocessTarget, Target, TargetSpec

BUSY = Path(__file__).resolve().parents[2] / "fixtures" / "busy_loop"
# Each attempt's duration is bounded by its budget + GRACE_MS + waits.slack_ms (tests/conftest.py:
# scheduling noise on a shared machine, C2C_TEST_SLACK_MS); a bound, not a benchmark.


@pytest.fixture
def busy_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    pid_file, stop_file = tmp_path / "pids", tmp_path / "stop"
    monkeypatch.setenv("C2C_BUSY_PID_FILE", str(pid_file))
    monkeypatch.setenv("C2C_BUSY_STOP_FILE", str(stop_file))
    yield pid_file, stop_file
    stop_file.touch()


def _spec() -> TargetSpec:
    return TargetSpec(
        BUSY, "busy_loop:lambda_handler", "busy", "arn:aws:lambda:us-east-1:123456789012:function:busy"
    )


def _pids(pid_file: Path) -> list[int]:
    return [int(line) for line in pid_file.read_text().split()] if pid_file.exists() else []


def _alive(pid: int) -> bool:
    """A process that exists and is not a zombie (an unreaped zombie holds no CPU)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def _deliver(target: Target, budget_ms: int, retries: int) -> list:
    policy = RetryPolicy(budget_ms=budget_ms, retries=retries)
    return list(invoke_with_retries(lambda budget: target.invoke({}, {}, budget), policy).attempts)


def test_a_busy_worker_is_killed_at_each_deadline(busy_files: tuple[Path, Path], waits: Any) -> None:
    pid_file, _ = busy_files
    target = SubprocessTarget(_spec())
    try:
        attempts = _deliver(target, budget_ms=400, retries=2)
    finally:
        target.close()
    assert [a.outcome for a in attempts] == ["timeout"] * 3
    assert all(a.duration_ms < 400 + GRACE_MS + waits.slack_ms for a in attempts), attempts
    pids = _pids(pid_file)
    assert len(set(pids)) == 3 and os.getpid() not in pids  # a fresh (cold) worker per attempt
    assert not [p for p in pids if _alive(p)]


def test_a_busy_in_process_handler_is_abandoned_once_not_once_per_attempt(
    busy_files: tuple[Path, Path], waits: Any
) -> None:
    pid_file, stop_file = busy_files
    target = InProcessTarget(_spec())
    attempts = _deliver(target, budget_ms=300, retries=2)
    spinning = [t for t in threading.enumerate() if t.name == "c2c-simulated-handler"]
    stop_file.touch()
    for thread in spinning:
        thread.join(10)
    assert [a.outcome for a in attempts] == ["timeout"] * 3
    assert all(a.duration_ms < 300 + GRACE_MS + waits.slack_ms for a in attempts), attempts
    # One handler call: the retries waited for it instead of starting threads that starve each other.
    assert len(_pids(pid_file)) == 1 and len(spinning) == 1


@pytest.mark.slow
@pytest.mark.parametrize("isolated", [False, True])
def test_simulate_reports_every_attempt_of_a_busy_handler_as_a_timeout(
    busy_files: tuple[Path, Path], isolated: bool, waits: Any
) -> None:
    pid_file, _ = busy_files
    flags = ["--isolated"] if isolated else []
    result = CliRunner().invoke(
        app, ["simulate", "activate", "-p", str(BUSY), "--sandbox", "--retries", "1", "--json", *flags]
    )
    assert result.exit_code == 3, result.stderr
    data = json.loads(result.stdout)
    assert [a["outcome"] for a in data["attempts"]] == ["timeout", "timeout"]
    bound = 2000 + GRACE_MS + waits.slack_ms
    assert all(a["duration_ms"] < bound for a in data["attempts"]), data["attempts"]
    assert "sim.budget-exceeded" in {v["rule"] for v in data["violations"]}
    pids = _pids(pid_file)
    if isolated:  # each attempt's worker was killed
        assert len(set(pids)) == 2 and not [p for p in pids if _alive(p)]
    else:  # the retry waited for the abandoned call instead of running the handler a second time
        assert pids == [os.getpid()]


DRIVER = """
import sys, threading
from pathlib import Path
from c2c_cli.runtime.targets import SubprocessTarget, TargetSpec

spec = TargetSpec(Path(sys.argv[1]), "busy_loop:lambda_handler", "busy", "arn:aws:lambda:us-east-1:1:function:busy")
call = lambda: SubprocessTarget(spec).invoke({}, {}, 600_000)
if sys.argv[2] == "thread":  # no PR_SET_PDEATHSIG then: only the worker's watch of its stdin is left
    threading.Thread(target=call).start()
else:
    call()
"""


def _wait_for(probe: Callable[[], Any], timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (value := probe()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return value


@pytest.mark.parametrize("spawned_from", ["main", "thread"])
def test_a_busy_worker_dies_with_its_killed_parent(busy_files: tuple[Path, Path], spawned_from: str) -> None:
    pid_file, _ = busy_files
    parent = subprocess.Popen([sys.executable, "-c", DRIVER, str(BUSY), spawned_from])
    try:
        worker = _wait_for(lambda: _pids(pid_file))[0]
    finally:
        parent.kill()  # SIGKILL: no clean-up code of the parent runs
        parent.wait()
    assert _wait_for(lambda: not _alive(worker), timeout=20)


@pytest.mark.parametrize("command", [["test"], ["simulate", "activate", "--isolated"]])
def test_sigterm_leaves_no_worker_behind(busy_files: tuple[Path, Path], command: list[str]) -> None:
    pid_file, _ = busy_files
    c2c = subprocess.Popen(
        [sys.executable, "-m", "c2c_cli", *command, "-p", str(BUSY), "--sandbox"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        worker = _wait_for(lambda: _pids(pid_file))[0]
        c2c.send_signal(signal.SIGTERM)
        _, stderr = c2c.communicate(timeout=30)
    finally:
        c2c.kill()
    assert worker != c2c.pid
    assert _wait_for(lambda: not _alive(worker), timeout=20)
    assert b"Traceback" not in stderr
