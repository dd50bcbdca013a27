"""Helpers behind ``c2c sandbox poke|reset``: argument parsing, the state file, db removal."""

from __future__ import annotations

import json

import pytest

from c2c_cli.errors import UsageError
from c2c_cli.sandbox import SandboxError
from c2c_cli.sandbox.control import find_running, parse_assignments, parse_faults, reset_db


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


def test_find_running_reads_the_state_file(tmp_path):
    state = tmp_path / "sandbox.json"
    state.write_text(json.dumps({"url": "http://127.0.0.1:5", "admin_key": "a"}))
    assert find_running(None, None, state).admin_key == "a"
    assert find_running("http://127.0.0.1:6", None, state).url == "http://127.0.0.1:6"


def test_find_running_without_state_file(tmp_path):
    with pytest.raises(SandboxError) as info:
        find_running(None, None, tmp_path / "nope.json")
    assert "c2c sandbox start" in (info.value.hint or "")


def test_reset_db_removes_wal_files(tmp_path):
    db = tmp_path / "s.db"
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f"s.db{suffix}").write_text("x")
    assert reset_db(db) is True
    assert list(tmp_path.iterdir()) == []
    assert reset_db(db) is False
