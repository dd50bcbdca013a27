"""A project's template.yaml environment, resolved as ``sam local`` does (issue 13 §8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from c2c_cli.emulator.driver.template import parse_parameters, template_environment
from c2c_cli.errors import ConfigError, UsageError

TEMPLATE = """
Parameters:
  VendorApiUrl: {Type: String, Default: "http://127.0.0.1:8787"}
  SecretArn: {Type: String}
  Level: {Type: String, Default: INFO}
Globals:
  Function:
    Environment:
      Variables:
        VENDOR_API_URL: !Ref VendorApiUrl
        STATE_TABLE: !Ref StateTable
        LOG_LEVEL: !Ref Level
        DEBUG: false
Resources:
  ConnectorFunction:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: acme
      Handler: connector.handler.lambda_handler
      Environment:
        Variables:
          WEBHOOK_URL: !GetAtt WebhookFunctionUrl.FunctionUrl
          SECRET_ARN: !Ref SecretArn
          LOG_LEVEL: DEBUG
          SOURCE: !Sub "arn:aws:iotmanagedintegrations:${AWS::Region}:${AWS::AccountId}:x/${Level}"
  Other:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: other
      Environment: {Variables: {ONLY_OTHER: "1"}}
"""
PSEUDO = {"AWS::Region": "us-east-1", "AWS::AccountId": "123456789012"}


def _env(tmp_path: Path, overrides: dict[str, str] | None = None, function: str = "acme"):
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    return template_environment(
        tmp_path, function, "connector.handler:lambda_handler", overrides or {}, PSEUDO
    )


def test_refs_resolve_from_defaults_and_the_function_overrides_globals(tmp_path):
    found = _env(tmp_path)
    assert found.env == {
        "VENDOR_API_URL": "http://127.0.0.1:8787",
        "LOG_LEVEL": "DEBUG",
        "DEBUG": "false",
        "SOURCE": "arn:aws:iotmanagedintegrations:us-east-1:123456789012:x/INFO",
    }


def test_unresolvable_values_are_left_unset_with_a_warning_each(tmp_path):
    warnings = _env(tmp_path).warnings
    assert any("STATE_TABLE = !Ref StateTable" in w for w in warnings)
    assert any("WEBHOOK_URL = !GetAtt WebhookFunctionUrl.FunctionUrl" in w for w in warnings)
    assert any("SECRET_ARN = !Ref SecretArn" in w for w in warnings)
    assert len(warnings) == 3


def test_parameter_overrides_win_over_defaults(tmp_path):
    found = _env(tmp_path, {"VendorApiUrl": "http://127.0.0.1:9999", "SecretArn": "arn:s", "Nope": "x"})
    assert found.env["VENDOR_API_URL"] == "http://127.0.0.1:9999"
    assert found.env["SECRET_ARN"] == "arn:s"
    assert any("no parameter Nope" in w for w in found.warnings)


def test_the_function_is_found_by_handler_when_no_name_matches(tmp_path):
    found = _env(tmp_path, function="renamed")
    assert found.env["LOG_LEVEL"] == "DEBUG"  # ConnectorFunction, matched by its Handler
    assert "ONLY_OTHER" not in found.env


def test_no_template_means_no_environment(tmp_path):
    found = template_environment(tmp_path, "acme", "connector.handler:lambda_handler", {}, PSEUDO)
    assert (found.env, found.warnings) == ({}, ())


def test_a_python_tag_is_not_executed(tmp_path):
    (tmp_path / "template.yaml").write_text("x: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(ConfigError):
        template_environment(tmp_path, "acme", "connector.handler:lambda_handler", {}, PSEUDO)


def test_parse_parameters_merges_both_forms():
    assert parse_parameters(["A=1", "B=x=y"], "C=3 A=4") == {"A": "4", "B": "x=y", "C": "3"}


@pytest.mark.parametrize("bad", ["novalue", "bad-key=1", "=1"])
def test_parse_parameters_rejects_malformed_items(bad):
    with pytest.raises(UsageError, match="--parameter wants KEY=VALUE"):
        parse_parameters([bad])
