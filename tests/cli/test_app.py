"""The root app: --help, --version, the error boundary and start-up imports."""

import json
import subprocess
import sys

from typer.testing import CliRunner

from c2c_cli import __version__
from c2c_cli.cli import app, main

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
