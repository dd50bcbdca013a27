"""c2c init through the CLI: the created tree, --json, --list-templates, and exit 2 on bad input."""

import json
import os
import shlex

import pytest
from typer.testing import CliRunner

from c2c_cli.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def _run(*args: str):
    return runner.invoke(app, ["init", *args])


def test_creates_the_project_prints_the_tree_and_the_next_step(tmp_path):
    result = _run("acme-connector", "--no-input")

    assert result.exit_code == 0, result.output
    assert "connector/" in result.stdout and "matter_map.py" in result.stdout
    assert "Created ./acme-connector. Next: cd acme-connector && c2c test --sandbox" in result.stderr
    assert (tmp_path / "acme-connector" / "connector" / "handler.py").is_file()


def test_json_output_is_the_documented_shape(tmp_path):
    result = _run("proj", "--name", "acme", "--template", "general-auth", "--no-input", "--json")

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"path", "template", "name", "files"}
    assert (data["path"], data["template"], data["name"]) == (str(tmp_path / "proj"), "general-auth", "acme")
    assert "connector/auth.py" in data["files"]


def test_the_name_defaults_to_the_directory_name(tmp_path):
    result = _run("sub/widget-cloud", "--no-input", "--json")

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["name"] == "widget-cloud"
    assert "name: widget-cloud" in (tmp_path / "sub" / "widget-cloud" / "c2c.yaml").read_text()


def test_vendor_url_reaches_the_project(tmp_path):
    result = _run("p", "--vendor-url", "https://api.widgets.example", "--no-input")

    assert result.exit_code == 0, result.output
    assert "https://api.widgets.example/oauth/token" in (tmp_path / "p" / "c2c.yaml").read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["1-bad", "--no-input"], "connector name"),
        (["p", "--name", "has space", "--no-input"], "connector name"),
        (["p", "--template", "nope", "--no-input"], "unknown template"),
        (["p", "--vendor-url", "not-a-url", "--no-input"], "vendor URL"),
        (["--no-input"], "give a project directory or --name"),
    ],
    ids=["bad-dir-name", "bad-name", "unknown-template", "bad-url", "nothing-to-name"],
)
def test_bad_input_exits_2_with_a_clear_error_and_writes_nothing(tmp_path, args, message):
    result = _run(*args)

    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_an_existing_project_is_refused_and_left_alone(tmp_path):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "keep.txt").write_text("mine")

    result = _run("p", "--no-input")

    assert result.exit_code == 2
    assert "not empty" in result.stderr and "--force" in result.stderr
    assert [p.name for p in (tmp_path / "p").iterdir()] == ["keep.txt"]


def test_force_writes_into_an_existing_directory(tmp_path):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "keep.txt").write_text("mine")

    result = _run("p", "--no-input", "--force")

    assert result.exit_code == 0, result.output
    assert (tmp_path / "p" / "keep.txt").read_text() == "mine"
    assert (tmp_path / "p" / "template.yaml").is_file()


def test_list_templates_table():
    result = _run("--list-templates")

    assert result.exit_code == 0
    assert "oauth2 (default)" in result.stdout and "general-auth" in result.stdout


def test_list_templates_json():
    result = _run("--list-templates", "--json")

    assert result.exit_code == 0
    assert [t["name"] for t in json.loads(result.stdout)] == ["oauth2", "general-auth"]


def test_prompts_on_a_terminal_ask_again_until_the_answer_is_valid(tmp_path):
    import os
    import pty
    import subprocess
    import sys

    primary, secondary = pty.openpty()  # stdin must be a terminal for prompts
    os.write(primary, b"bad name\nacme-tty\nnope\ngeneral-auth\nftp://x\nhttps://api.example.com\n")
    run = subprocess.run(
        [sys.executable, "-m", "c2c_cli", "init", "--json"],
        stdin=secondary,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    os.close(secondary)
    os.close(primary)

    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["template"] == "general-auth"
    assert "connector name must start with a letter" in run.stderr
    assert "choose one of: oauth2, general-auth" in run.stderr
    assert "https://api.example.com" in (tmp_path / "acme-tty" / "template.yaml").read_text()


def _run_next_step(stderr: str) -> list:
    """Run the printed 'Next:' hint (``cd DIR && c2c ...``) the way a shell would, in-process."""
    hint = stderr.split("Next: ", 1)[1].strip()
    results = []
    for step in hint.split(" && "):
        argv = shlex.split(step)
        if argv[0] == "cd":
            os.chdir(argv[1])
        else:
            assert argv[0] == "c2c", hint
            results.append(runner.invoke(app, argv[1:]))
    return results


@pytest.mark.slow
@pytest.mark.parametrize(
    "flags",
    [[], ["--template", "general-auth"], ["--vendor-url", "https://api.vendor.example"]],
    ids=["oauth2", "general-auth", "own-vendor-url"],
)
def test_the_next_step_succeeds_in_the_state_init_leaves(tmp_path, monkeypatch, flags):
    # issue 13 §7: the hint used to be 'c2c test', which exits 4 (no tokens) in a fresh project.
    monkeypatch.setenv("C2C_HOME", str(tmp_path / "home"))
    result = _run("my project", "--name", "acme", "--no-input", *flags)
    assert result.exit_code == 0, result.output

    (step,) = _run_next_step(result.stderr)

    assert step.exit_code == 0, step.stdout[-2000:] + step.stderr[-2000:]
