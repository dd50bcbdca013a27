"""Lazy package exports: imported on first access, unknown names are an AttributeError."""

import subprocess
import sys

import pytest

from c2c_cli.lazy import exports


def test_an_export_loads_its_module_only_when_asked_for() -> None:
    code = (
        "import sys, c2c_cli.emulator as e\n"
        "assert 'c2c_cli.emulator.operations.emulator' not in sys.modules\n"
        "e.Emulator\n"
        "assert 'c2c_cli.emulator.operations.emulator' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_unknown_names_raise_attribute_error() -> None:
    getter = exports("c2c_cli", {"ExitCode": "errors"})
    assert getter("ExitCode").USAGE == 2
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        getter("Nope")
