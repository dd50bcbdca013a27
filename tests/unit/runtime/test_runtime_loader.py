"""The in-process loader: each project's modules, path and environment stay its own."""

import json
import os
import sys
from pathlib import Path

import pytest

from c2c_cli.errors import C2CError, ConfigError, ExitCode
from c2c_cli.runtime.failures import HandlerLoadError, error_from_json, error_to_json
from c2c_cli.runtime.loader import HandlerLoader, call_handler

HANDLER = """
import logging, os
STATE = {"calls": 0}

def lambda_handler(event, context):
    STATE["calls"] += 1
    logging.getLogger("connector").warning("call " + str(STATE["calls"]))
    print("stdout line")
    if event.get("boom"):
        raise ValueError("boom")
    return {"who": "NAME", "calls": STATE["calls"], "env": os.environ.get("C2C_SIM_TEST_VAR")}
"""


def _project(root: Path, name: str) -> Path:
    package = root / name / "connector"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "handler.py").write_text(HANDLER.replace("NAME", name))
    return root / name


def _call(loader: HandlerLoader, event: dict, env: dict | None = None):
    with loader.active(env or {}) as resolve:
        return call_handler(resolve, event, None, not loader.loaded)


def test_two_projects_with_the_same_package_stay_apart(tmp_path: Path) -> None:
    first = HandlerLoader(_project(tmp_path, "one"), "connector.handler:lambda_handler")
    second = HandlerLoader(_project(tmp_path, "two"), "connector.handler:lambda_handler")
    assert _call(first, {}).response["who"] == "one"
    assert _call(second, {}).response["who"] == "two"
    warm = _call(first, {})
    assert warm.response == {"who": "one", "calls": 2, "env": None}
    assert not warm.cold
    assert "connector" not in sys.modules


def test_environment_and_path_are_restored(tmp_path: Path) -> None:
    loader = HandlerLoader(_project(tmp_path, "env"), "connector.handler:lambda_handler")
    path_before = list(sys.path)
    outcome = _call(loader, {}, {"C2C_SIM_TEST_VAR": "set"})
    assert outcome.response["env"] == "set"
    assert "C2C_SIM_TEST_VAR" not in os.environ
    assert sys.path == path_before


def test_output_is_captured_and_exceptions_reported(tmp_path: Path) -> None:
    loader = HandlerLoader(_project(tmp_path, "logs"), "connector.handler:lambda_handler")
    outcome = _call(loader, {"boom": True})
    assert outcome.outcome == "raised"
    assert outcome.error == "ValueError: boom"
    assert "call 1" in outcome.logs and "stdout line" in outcome.logs and "Traceback" in outcome.logs


def test_missing_handler_is_a_config_error(tmp_path: Path) -> None:
    loader = HandlerLoader(_project(tmp_path, "bad"), "connector.handler:nope")
    with pytest.raises(ConfigError, match="no function 'nope'"):
        _call(loader, {})
    with pytest.raises(ConfigError, match="cannot import"):
        _call(HandlerLoader(tmp_path / "bad", "missing.module:fn"), {})


def test_developer_aws_settings_do_not_reach_the_connector(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "aws"
    project.mkdir()
    (project / "app.py").write_text(
        "import os\ndef handler(event, context):\n"
        "    return {k: v for k, v in os.environ.items() if k.startswith('AWS_')}\n"
    )
    monkeypatch.setenv("AWS_PROFILE", "developer")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "developer-session")
    outcome = _call(HandlerLoader(project, "app:handler"), {}, {"AWS_ACCESS_KEY_ID": "AKIAC2CEMULATOR00001"})
    assert outcome.response == {"AWS_ACCESS_KEY_ID": "AKIAC2CEMULATOR00001"}
    assert os.environ["AWS_PROFILE"] == "developer"


def test_project_modules_imported_elsewhere_do_not_leak_state_into_a_simulation(tmp_path: Path) -> None:
    # The project's own pytest run imports ``connector`` before the simulator does (the plugin case).
    project = _project(tmp_path, "pre")
    sys.path.insert(0, str(project))
    try:
        import connector.handler as theirs

        theirs.STATE["calls"] = 41
        first = HandlerLoader(project, "connector.handler:lambda_handler")
        assert _call(first, {}).response["calls"] == 1  # a fresh module: cold, own state
        assert _call(first, {}).response["calls"] == 2  # and warm on the next call
        second = HandlerLoader(project, "connector.handler:lambda_handler")
        assert _call(second, {}).response["calls"] == 1  # a new simulation starts cold again
        assert sys.modules["connector.handler"] is theirs and theirs.STATE["calls"] == 41
    finally:
        sys.path.remove(str(project))
        for name in [n for n in sys.modules if n == "connector" or n.startswith("connector.")]:
            del sys.modules[name]


@pytest.mark.parametrize(
    ("files", "expected", "hint"),
    [
        (
            {"handler.py": "import json\n\ndef lambda_handler(event, context)\n    return {}\n"},
            "handler failed to load: connector/handler.py:3: SyntaxError: expected ':'",
            "Fix connector/handler.py",
        ),
        (
            {"handler.py": "from connector import util\n", "util.py": "X = {}\nY = X['k']\n"},
            "handler failed to load: connector/util.py:2: KeyError: 'k'",
            "Fix connector/util.py",
        ),
        (
            {"handler.py": "import json\nimport c2c_no_such_dependency\n"},
            "handler failed to load: connector/handler.py:2: ModuleNotFoundError: No module named 'c2c_no_such_dependency'",
            "Install the project's dependencies",
        ),
    ],
    ids=["syntax", "raises-in-an-imported-module", "missing-dependency"],
)
def test_a_module_that_fails_to_import_is_reported_at_its_file_and_line(
    tmp_path: Path, files: dict[str, str], expected: str, hint: str
) -> None:
    package = tmp_path / "connector"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, text in files.items():
        (package / name).write_text(text)
    with pytest.raises(HandlerLoadError) as info:
        _call(HandlerLoader(tmp_path, "connector.handler:lambda_handler"), {})
    assert info.value.message == expected
    assert info.value.hint is not None and info.value.hint.startswith(hint)
    assert info.value.exit_code == ExitCode.FAILURE
    assert "connector" not in sys.modules


@pytest.mark.parametrize(
    "error",
    [
        HandlerLoadError("handler failed to load: a.py:1: SyntaxError: x", hint="Fix a.py, then run again."),
        ConfigError(["connector.handler: cannot import 'x'"], source="/p/c2c.yaml", hint="Check it."),
    ],
)
def test_load_errors_cross_the_worker_protocol_unchanged(error: C2CError) -> None:
    back = error_from_json(json.loads(json.dumps(error_to_json(error))))
    assert (type(back), back.message, back.hint, back.exit_code) == (
        type(error),
        error.message,
        error.hint,
        error.exit_code,
    )
