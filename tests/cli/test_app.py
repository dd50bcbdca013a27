"""The root app: --help, --version, the error boundary and start-up imports."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
import typer.core
from typer.testing import CliRunner

from c2c_cli import __version__
from c2c_cli.cli import app, main
from c2c_cli.cli.commands import COMMANDS, modules, root_help, terminal_width
from c2c_cli.cli.output import CLOSED_PIPE

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
    "pydantic",
)


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("validate", "events"):
        assert command in result.stdout


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"c2c {__version__}"


def _modules_after(*argvs: list[str], env: dict[str, str] | None = None) -> set[str]:
    """The modules one fresh interpreter has loaded after running ``main(argv)`` for each argv."""
    code = (
        "import sys, json\n"
        "from c2c_cli.cli import main\n"
        f"for argv in {list(argvs)!r}:\n"
        "    main(argv)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )
    return set(json.loads(proc.stdout.strip().splitlines()[-1]))


def _top(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_help_imports_no_heavy_module() -> None:
    loaded = _modules_after(["--help"])
    assert _top(loaded) & {*HEAVY, "typer", "rich"} == set()
    assert not any(m.startswith("c2c_cli.cli.") and m != "c2c_cli.cli.commands" for m in loaded), loaded


def test_version_and_no_args_import_no_typer() -> None:
    assert _top(_modules_after(["--version"], [])) & {"typer", "rich", "pydantic"} == set()


def test_a_command_help_imports_its_own_module_only() -> None:
    loaded = _modules_after(["validate", "--help"])
    commands = {f"c2c_cli.cli.{m}" for m in modules()}
    assert commands & loaded == {"c2c_cli.cli.validate"}
    assert _top(loaded) & set(HEAVY) == set()
    assert "rich" not in _top(loaded)  # no Console is built at import


def test_every_group_help_imports_no_heavy_module() -> None:
    groups = [name for name, _, is_group, _ in COMMANDS if is_group]
    assert _top(_modules_after(*([g, "--help"] for g in groups))) & set(HEAVY) == set()


@pytest.mark.slow
def test_no_command_path_imports_pydantic(tmp_path) -> None:
    """Real runs with every kind of value (int with a range, list, str, Path, env-var flag), and every help."""
    event = tmp_path / "e.json"
    event.write_text("{}")
    runs = [
        ["events", "new", "event.device-discovery", "--devices", "3", "--set", "ConnectorId=x"],
        ["validate", str(event), str(event), "--json"],
        ["--debug", "validate", str(event), "--kind", "nope"],
        ["emulator", "events", "--after", "5", "--interval", "0.5", "--json"],
        *([*path, "--help"] for path, _ in _commands()),
    ]
    loaded = _modules_after(*runs, env={"C2C_DEBUG": "1", "C2C_HOME": str(tmp_path / "home")})
    assert "pydantic" not in _top(loaded)


def test_an_error_on_a_pipe_imports_no_rich(tmp_path) -> None:
    loaded = _modules_after(["validate", str(tmp_path / "missing.json")], ["--debug", "nosuch"])
    assert "rich" not in _top(loaded)


def test_every_parameter_converts_without_pydantic() -> None:
    from c2c_cli.cli.coerce import NativeParam

    for path, command in _commands():
        for param in command.get_params(typer.Context(command)):
            assert isinstance(param.get_runtime_param(), NativeParam), (path, param.name)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--devices", "many"], "Input should be a valid integer, unable to parse string as an integer"),
        (["--devices", "-1"], "Input should be greater than or equal to 0"),
    ],
)
def test_native_conversion_errors_read_like_typers(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["events", "new", "event.device-discovery", *args])
    assert result.exit_code == 2 and message in result.stderr


def test_native_conversion_values() -> None:
    result = runner.invoke(app, ["events", "new", "event.device-discovery", "--devices", " 2 ", "--json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["Devices"]) == 2


@pytest.mark.parametrize(("value", "traceback"), [("1", True), ("yes", True), ("0", False), ("off", False)])
def test_c2c_debug_env_var(value: str, traceback: bool) -> None:
    result = runner.invoke(app, ["validate", "-", "--kind", "nope"], input="{}", env={"C2C_DEBUG": value})
    assert result.exit_code == 2 and ("Traceback" in result.stderr) is traceback


def test_a_bad_c2c_debug_is_a_usage_error() -> None:
    result = runner.invoke(app, ["validate", "-"], input="{}", env={"C2C_DEBUG": "maybe"})
    assert result.exit_code == 2 and "Input should be a valid boolean" in result.stderr


def test_the_table_matches_each_modules_real_help() -> None:
    from c2c_cli.cli.root import load_module

    for module in modules():
        real = load_module(module)
        rows = {name: (is_group, summary) for name, m, is_group, summary in COMMANDS if m == module}
        assert sorted(real) == sorted(rows), module  # every command the module adds, and only those
        for name, command in real.items():
            is_group, summary = rows[name]
            assert (command.help or "").strip().splitlines()[0] == summary, name
            assert isinstance(command, typer.core.TyperGroup) is is_group, name


def test_every_command_module_is_listed() -> None:
    package = Path(__file__).resolve().parents[2] / "c2c_cli" / "cli"
    defining = sorted(f.stem for f in package.glob("*.py") if "\napp = typer.Typer(" in f.read_text())
    assert defining == sorted([*modules(), "root"])  # root.py holds the root app itself


@pytest.mark.parametrize("width", range(50, 121, 7))
def test_root_help_is_what_click_prints(width: int) -> None:
    result = runner.invoke(app, ["--help"], terminal_width=width)
    assert result.exit_code == 0
    assert root_help(width) + "\n" == result.stdout
    assert all(summary in " ".join(result.stdout.split()) for _, _, _, summary in COMMANDS)  # never cut


@pytest.mark.parametrize("columns", ["30", "60", "79", "100", "", "junk"])
def test_root_help_width_is_clicks(monkeypatch, columns: str) -> None:
    from typer._click import HelpFormatter

    monkeypatch.setenv("COLUMNS", columns)
    assert terminal_width() == HelpFormatter().width


def test_root_help_without_typer_equals_the_typer_path(capsys) -> None:
    assert main(["--help"]) == 0
    fast = capsys.readouterr().out
    assert fast == runner.invoke(app, ["--help"], terminal_width=terminal_width()).stdout
    assert main(["-h"]) == 0 and capsys.readouterr().out == fast
    assert main([]) == 2  # no arguments: the help on stderr and exit 2, as click does
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == fast
    no_args = runner.invoke(app, [], terminal_width=terminal_width())
    assert no_args.exit_code == 2 and no_args.stderr == fast


def test_version_without_typer(capsys) -> None:
    assert main(["--version"]) == 0 and capsys.readouterr().out == f"c2c {__version__}\n"
    assert main(["--debug", "--version"]) == 0 and capsys.readouterr().out == f"c2c {__version__}\n"


def test_an_unknown_command_is_a_usage_error_with_a_suggestion() -> None:
    result = runner.invoke(app, ["valdate"])
    assert result.exit_code == 2 and "No such command 'valdate'. Did you mean 'validate'?" in result.stderr


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
