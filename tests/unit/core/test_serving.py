"""The one way c2c serves HTTP: clean bind errors and pointer files owned by their writer."""

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from c2c_cli.errors import ExitCode, UsageError
from c2c_cli.serving import BackgroundServer, Pointer


def _app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


def test_serves_and_stops() -> None:
    with BackgroundServer(_app, "127.0.0.1", 0, name="t") as server:
        assert urllib.request.urlopen(server.url, timeout=5).read() == b"ok"
    with pytest.raises(OSError):
        urllib.request.urlopen(server.url, timeout=2)


def test_port_in_use_is_one_usage_error() -> None:
    with BackgroundServer(_app, "127.0.0.1", 0, name="t") as server:
        with pytest.raises(UsageError) as caught:
            BackgroundServer(_app, "127.0.0.1", server.port, name="t2")
    assert caught.value.exit_code == ExitCode.USAGE
    assert "already in use" in caught.value.message and "\n" not in caught.value.message


def test_unresolvable_host_says_so() -> None:
    with pytest.raises(UsageError, match="does not resolve"):
        BackgroundServer(_app, "no-such-host.invalid", 0, name="t")


def test_pointer_is_removed_only_by_its_writer(tmp_path: Path) -> None:
    path = tmp_path / "thing.json"
    mine = Pointer(path, "thing")
    mine.write({"url": "http://127.0.0.1:1"})
    assert json.loads(path.read_text())["pid"] == os.getpid()
    assert path.stat().st_mode & 0o777 == 0o600
    other = Pointer(path, "thing")
    other.remove()  # never wrote it: must not delete it
    assert path.exists()
    mine.remove()
    assert not path.exists()


def test_second_server_refuses_while_the_first_lives(tmp_path: Path) -> None:
    path = tmp_path / "thing.json"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        path.write_text(json.dumps({"pid": sleeper.pid, "url": "http://127.0.0.1:9"}))
        with pytest.raises(UsageError, match=f"already running at http://127.0.0.1:9 \\(pid {sleeper.pid}"):
            Pointer(path, "thing").write({"url": "http://127.0.0.1:10"})
    finally:
        sleeper.kill()
        sleeper.wait()
    # the first one is gone: its stale pointer is taken over
    Pointer(path, "thing").write({"url": "http://127.0.0.1:10"})
    assert json.loads(path.read_text())["url"] == "http://127.0.0.1:10"
