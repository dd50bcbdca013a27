"""The shipped schema is exactly what the generator makes from the installed botocore model."""

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _generator():
    spec = importlib.util.spec_from_file_location(
        "gen_contract_schemas", ROOT / "scripts" / "gen_contract_schemas.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_schema_matches_the_installed_botocore_model() -> None:
    committed = (ROOT / "c2c_cli" / "contract" / "schemas" / "model.schema.json").read_text()
    assert committed == _generator().render(), (
        "botocore's model changed: run `make schemas` and review contract.md"
    )


def test_schema_carries_the_constraints_boto3_does_not_check() -> None:
    defs = json.loads(_generator().render())["$defs"]
    assert defs["ConnectorId"]["maxLength"] == 64
    assert defs["ConnectorEventStatusCode"]["maximum"] == 550
    assert defs["ConnectorEventOperation"]["enum"] == [
        "DEVICE_COMMAND_RESPONSE",
        "DEVICE_DISCOVERY",
        "DEVICE_EVENT",
        "DEVICE_COMMAND_REQUEST",
    ]
    assert defs["MatterCommands"]["maxProperties"] == 5
    assert defs["CapabilityReportVersion"]["x-model-pattern"] == r"1\.0\.0"
    assert defs["ThirdPartyUserId"]["x-sensitive"] is True


def test_translated_patterns_compile_in_python() -> None:
    import re

    for name, shape in json.loads(_generator().render())["$defs"].items():
        if "pattern" in shape:
            re.compile(shape["pattern"]), name
