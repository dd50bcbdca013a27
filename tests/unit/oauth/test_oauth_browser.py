import sys

import pytest

from c2c_cli.oauth.browser import is_headless, system_opener


@pytest.mark.parametrize(
    "env",
    [{"SSH_CONNECTION": "1.2.3.4 5 6.7.8.9 22"}, {"SSH_TTY": "/dev/pts/1", "DISPLAY": ":0"}],
)
def test_ssh_sessions_are_headless(env):
    assert is_headless(env)
    assert system_opener(env) is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="display detection is Linux-only")
def test_linux_without_display_is_headless():
    assert system_opener({}) is None
    assert system_opener({"DISPLAY": ":0"}) is not None


def test_browser_env_command_receives_the_url_even_when_headless(tmp_path):
    out = tmp_path / "url.txt"
    script = tmp_path / "browser.py"
    script.write_text("import sys, pathlib\npathlib.Path(sys.argv[2]).write_text(sys.argv[1])\n")
    opener = system_opener({"BROWSER": f"{sys.executable} {script} %s {out}", "SSH_TTY": "x"})
    assert opener is not None
    assert opener("http://127.0.0.1:1/authorize?a=1&b=2") is True
    assert out.read_text() == "http://127.0.0.1:1/authorize?a=1&b=2"


def test_failing_browser_command_reports_not_opened(tmp_path):
    opener = system_opener({"BROWSER": f"{sys.executable} -c 'raise SystemExit(3)'"})
    assert opener is not None
    assert opener("http://127.0.0.1:1/") is False
