"""The root app: --help, --version, the error boundary and start-up imports."""

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from c2c_cli import __version__
from c2c_cli.cli import app, main
from c2c_cli.cli.app import CLOSED_PIPE

runner = CliRunner()

HEAVY = (
    "boto3",
    "botocore",
    "requests_oauthlib",
    "jsonschema",
    "flask",
    "authlib",
    "werkzeug",
    "moto",
    "jinja2",
)


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("validate", "events"):
        assert command in result.stdout


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"c2c {__version__}"


def test_help_imports_no_heavy_module() -> None:
    code = (
        "import sys, json\n"
        "from c2c_cli.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == []


def test_every_group_help_imports_no_heavy_module() -> None:
    from c2c_cli.cli.commands import _MODULES

    groups = [g for _, g in _MODULES if g]
    code = (
        "import sys, json\n"
        "from c2c_cli.cli import main\n"
        f"for g in {groups!r}:\n"
        "    main([g, '--help'])\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == []


def test_python_dash_m_works() -> None:
    proc = subprocess.run([sys.executable, "-m", "c2c_cli", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and __version__ in proc.stdout


def test_usage_errors_exit_2() -> None:
    assert main(["validate", "--no-such-flag"]) == 2
    assert main(["no-such-command"]) == 2


def test_c2c_errors_print_error_and_hint_without_traceback() -> None:
    result = runner.invoke(app, ["validate", "-", "--kind", "nope"], input="{}")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: unknown kind 'nope'")
    assert "Hint:" in result.stderr and "Traceback" not in result.stderr


def test_debug_adds_the_traceback_without_locals() -> None:
    result = runner.invoke(app, ["--debug", "validate", "-", "--kind", "nope"], input="{}")
    assert result.exit_code == 2
    assert "Traceback" in result.stderr and "Error: unknown kind" in result.stderr


BIG_INVALID = json.dumps({"ConnectorId": "c" * 65, "Operation": "DEVICE_DISCOVERY", "Devices": [{}] * 200})


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["validate", "--help"],
        ["validate", "{file}"],
        ["validate", "{file}", "--json"],
        ["events", "new", "event.device-discovery", "--devices", "20"],
    ],
)
def test_a_closed_pipe_exits_quietly(tmp_path, args: list[str]) -> None:
    """`c2c ... | head -1`: the reader is gone before c2c writes (closed first, so no race)."""
    big = tmp_path / "big.json"
    big.write_text(BIG_INVALID)
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "c2c_cli", *(a.format(file=big) for a in args)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert proc.stderr == ""
    assert proc.returncode == CLOSED_PIPE


def _commands():
    import typer.main

    def walk(command, path):
        yield path, command
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            yield from walk(sub, [*path, name])

    return list(walk(typer.main.get_command(app), []))


@pytest.mark.parametrize(
    ("path", "command"), _commands(), ids=lambda p: " ".join(p) if isinstance(p, list) else ""
)
def test_help_at_80_columns_cuts_no_option_or_default(path, command) -> None:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "80"}, terminal_width=80)
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.stdout and "…" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    words = result.stdout.split()  # a name or default cut at a line end would not be one word
    for param in command.params:
        if param.param_type_name != "option" or param.hidden:
            continue
        for name in (*param.opts, *param.secondary_opts):
            assert any(w.strip(",") == name for w in words), (name, result.stdout)
        default = param.default
        if param.show_default and isinstance(default, (int, float, str)) and not isinstance(default, bool):
            assert f"{default}" in " ".join(words), (param.name, result.stdout)
