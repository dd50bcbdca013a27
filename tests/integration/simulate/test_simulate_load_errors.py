"""A handler that does not load (issue 13 §15): one error against its file and line, exit 1, from both commands.

Exit 1 ("handler failed to load"): the connector failed, not c2c.yaml. A c2c.yaml naming a module that does
not exist stays a configuration error (exit 2).
"""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from c2c_cli.cli import app

C2C_YAML = """connector:
  name: load-error
  handler: connector.handler:lambda_handler
  auth: oauth2
oauth:
  authorization_url: http://127.0.0.1:8787/oauth/authorize
  token_url: http://127.0.0.1:8787/oauth/token
  client_id: c2c-sandbox-client
"""
SYNTAX_ERROR = '"""A handler that does not parse."""\n\ndef lambda_handler(event, context)\n    return {}\n'
COMMANDS = {
    "simulate in-process": ["simulate", "activate"],
    "simulate isolated": ["simulate", "activate", "--isolated"],
    "test subprocess": ["test"],
    "test in-process": ["test", "--in-process"],
}


def _project(root: Path, handler_source: str, handler: str = "connector.handler:lambda_handler") -> Path:
    (root / "connector").mkdir(parents=True)
    (root / "connector" / "__init__.py").write_text("")
    (root / "connector" / "handler.py").write_text(handler_source)
    (root / "c2c.yaml").write_text(C2C_YAML.replace("connector.handler:lambda_handler", handler))
    return root


def _run(project: Path, command: list[str]):
    return CliRunner().invoke(app, [*command, "-p", str(project), "--token", "t0k3n", "--retries", "0"])


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_a_syntax_error_is_reported_against_the_handler_file(tmp_path: Path, command: list[str]) -> None:
    result = _run(_project(tmp_path, SYNTAX_ERROR), command)
    assert result.exit_code == 1, result.stdout + result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith("Error: handler failed to load: connector/handler.py:3: SyntaxError"), first
    assert "Traceback" not in result.stderr and result.stdout == ""


@pytest.mark.parametrize("command", [COMMANDS["simulate isolated"], COMMANDS["test subprocess"]])
def test_a_missing_handler_module_stays_a_configuration_error(tmp_path: Path, command: list[str]) -> None:
    result = _run(_project(tmp_path, "", handler="connector.nothere:lambda_handler"), command)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "cannot import 'connector.nothere'" in result.stderr
