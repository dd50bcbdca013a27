"""The generated connector decides loopback exactly as c2c does (issue 13 §1).

The Lambda cannot import c2c, so the template carries ``connector/network.py``: a verbatim copy of
``c2c_cli/network.py`` below its docstring. These tests fail as soon as the two drift apart.
"""

import ast
import importlib.util
from pathlib import Path

import pytest

import c2c_cli.network
from connector_templates import TEMPLATES_DIR

COPY = TEMPLATES_DIR / "_common" / "template" / "connector" / "network.py"


def _below_docstring(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    docstring = ast.parse(text).body[0]
    assert isinstance(docstring, ast.Expr) and isinstance(docstring.value, ast.Constant)
    return "".join(text.splitlines(keepends=True)[docstring.end_lineno :])


def test_the_template_copy_is_c2c_network_verbatim():
    assert _below_docstring(COPY) == _below_docstring(Path(c2c_cli.network.__file__))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8787/v1",
        "http://[::1]:8787/",
        "http://localhost/",
        "http://127.0.0.1.evil.com/",
        "http://localhost.evil.com/",
        "http://127.1/",
        "http://0x7f000001/",
        "http://user@127.0.0.1/",
        "http://127.0.0.1@evil.com/",
        "http://１２７.0.0.1/",
    ],
)
def test_the_copy_answers_like_c2c(url):
    spec = importlib.util.spec_from_file_location("template_network", COPY)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.is_loopback(url) == c2c_cli.network.is_loopback(url)
