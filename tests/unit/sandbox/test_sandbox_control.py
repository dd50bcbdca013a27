"""Helpers behind ``c2c sandbox poke|reset``: argument parsing, the pointer file, db removal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from c2c_cli.errors import ExitCode, UsageError
from c2c_cli.sandbox import SandboxError
from c2c_cli.sandbox.control import ensure_unused, find_running, parse_assignments, parse_faults, reset_db


def test_assignments_are_json_when_possible():
    parsed = parse_assignments(
        ["open=true", "battery=42", "temperature=21.5", "mode=heat", "name=a=b", 'x="1"']
    )
    assert parsed == {
        "open": True,
        "battery": 42,
        "temperature": 21.5,
        "mode": "heat",
        "name": "a=b",
        "x": "1",
    }


@pytest.mark.parametrize("bad", ["open", "=true"])
def test_assignment_without_key_or_equals(bad):
    with pytest.raises(UsageError):
        parse_assignments([bad])


def test_faults_parse():
    assert parse_faults(["/oauth/token=invalid_grant", "/v1/*=503"]) == {
        "/oauth/token": "invalid_grant",
        "/v1/*": "503",
    }
    for bad in ("oauth/token=x", "/oauth/token=", "/oauth/token"):
        with pytest.raises(UsageError):
            parse_faults([bad])


def test_find_running_prefers_explicit_values(tmp_path):
    found = find_running("http://127.0.0.1:9/", "k", tmp_path / "missing.json")
    assert (found.url, found.admin_key) == ("http://127.0.0.1:9", "k")


def _pointer(path: Path, pid: int, **data: object) -> Path:
    path.write_text(json.dumps({"url": "http://127.0.0.1:5", "admin_key": "a", "pid": pid, **data}))
    return path


@pytest.fixture
def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_find_running_reads_a_live_pointer(tmp_path):
    state = _pointer(tmp_path / "sandbox.json", os.getpid())
    found = find_running(None, None, state)
    assert (found.admin_key, found.pid) == ("a", os.getpid())
    assert found.described == f"the sandbox at http://127.0.0.1:5 (pid {os.getpid()})"
    assert find_running("http://127.0.0.1:6", None, state).url == "http://127.0.0.1:6"


def test_find_running_without_state_file(tmp_path):
    with pytest.raises(SandboxError) as info:
        find_running(None, None, tmp_path / "nope.json")
    assert info.value.exit_code == ExitCode.FAILURE
    assert "c2c sandbox start" in (info.value.hint or "")


def test_a_stale_pointer_is_no_running_sandbox(tmp_path, dead_pid):
    # The sandbox died without cleaning up: say so, instead of "cannot reach" a dead port.
    with pytest.raises(SandboxError, match="no running sandbox found"):
        find_running(None, None, _pointer(tmp_path / "sandbox.json", dead_pid))


@pytest.mark.parametrize("broken", ['{"pid": %d}', '{"pid": %d, "url": 5, "admin_key": "a"}', "[%d]"])
def test_a_malformed_pointer_is_no_running_sandbox(tmp_path, broken):
    (tmp_path / "sandbox.json").write_text(broken % os.getpid())
    with pytest.raises(SandboxError, match="no running sandbox found"):
        find_running(None, None, tmp_path / "sandbox.json")


def test_reset_refuses_the_db_of_a_live_sandbox(tmp_path):
    db = tmp_path / "s.db"
    state = _pointer(tmp_path / "sandbox.json", os.getpid(), db=str(db))
    with pytest.raises(UsageError) as info:
        ensure_unused(tmp_path / "." / "s.db", state)
    assert f"(pid {os.getpid()})" in info.value.message and str(tmp_path) in info.value.message
    assert info.value.exit_code == ExitCode.USAGE


def test_reset_allows_other_dbs_and_dead_sandboxes(tmp_path, dead_pid):
    live = _pointer(tmp_path / "live.json", os.getpid(), db=str(tmp_path / "other.db"))
    ensure_unused(tmp_path / "s.db", live)
    ensure_unused(tmp_path / "s.db", _pointer(tmp_path / "dead.json", dead_pid, db=str(tmp_path / "s.db")))
    ensure_unused(tmp_path / "s.db", tmp_path / "missing.json")


def test_reset_db_removes_wal_files(tmp_path):
    db = tmp_path / "s.db"
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f"s.db{suffix}").write_text("x")
    assert reset_db(db) is True
    assert list(tmp_path.iterdir()) == []
    assert reset_db(db) is False
