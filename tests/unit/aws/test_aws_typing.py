"""The typed boto3 stubs are for mypy only: importing c2c's AWS code never imports them."""

import json
import pkgutil
import subprocess
import sys

import c2c_cli.aws


def test_aws_modules_do_not_import_the_type_stubs_at_run_time() -> None:
    names = [f"c2c_cli.aws.{m.name}" for m in pkgutil.iter_modules(c2c_cli.aws.__path__)]
    code = (
        "import importlib, json, sys\n"
        f"for name in {names!r}:\n    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('types_boto3'))))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(proc.stdout) == []
    assert len(names) > 10
