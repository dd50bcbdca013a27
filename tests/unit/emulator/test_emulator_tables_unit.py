"""template.yaml's DynamoDB tables as the emulator reads them, and their CreateTable parameters (issue 16)."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest

from c2c_cli.emulator.driver.tables import TableError, create_params, create_tables, declares_tables
from c2c_cli.emulator.driver.template import template_environment

TEMPLATE = """
Parameters:
  Stage: {Type: String, Default: dev}
Globals:
  Function:
    Environment:
      Variables:
        STATE_TABLE: !Ref StateTable
        AUDIT_TABLE: !Ref AuditTable
        QUEUE: !Ref SomeQueue
Resources:
  ConnectorFunction:
    Type: AWS::Serverless::Function
    Properties: {FunctionName: acme, Handler: connector.handler.lambda_handler}
  StateTable:
    Type: AWS::DynamoDB::Table
    Properties:
      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
      TimeToLiveSpecification: {AttributeName: expires, Enabled: true}
      SSESpecification: {SSEEnabled: true}
  AuditTable:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub "audit-${Stage}"
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}
      StreamSpecification: {StreamViewType: NEW_IMAGE}
  SomeQueue:
    Type: AWS::SQS::Queue
"""
PSEUDO = {"AWS::Region": "us-east-1", "AWS::AccountId": "123456789012"}


def _found(tmp_path: Path):
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    return template_environment(tmp_path, "acme", "connector.handler:lambda_handler", {}, PSEUDO)


def test_a_ref_to_a_table_names_it_and_is_kept_apart_from_the_resolved_env(tmp_path):
    found = _found(tmp_path)

    assert found.table_env == {"STATE_TABLE": "acme-StateTable", "AUDIT_TABLE": "audit-dev"}
    assert "STATE_TABLE" not in found.env
    assert [name for name, _ in found.tables] == ["acme-StateTable", "audit-dev"]


def test_only_refs_to_other_resources_still_warn(tmp_path):
    warnings = _found(tmp_path).warnings

    assert len(warnings) == 1 and "QUEUE = !Ref SomeQueue" in warnings[0]


def test_create_params_translate_cloudformation_spellings(tmp_path):
    (state, state_props), (audit, audit_props) = _found(tmp_path).tables

    assert create_params(state, state_props) == {
        "TableName": "acme-StateTable",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "BillingMode": "PAY_PER_REQUEST",
        "SSESpecification": {"Enabled": True},
    }
    audit_params = create_params(audit, audit_props)
    assert audit_params["ProvisionedThroughput"] == {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}
    assert "BillingMode" not in audit_params
    assert audit_params["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}


def test_declares_tables(tmp_path):
    assert declares_tables(tmp_path) is False  # no template.yaml
    (tmp_path / "template.yaml").write_text("Resources: {Q: {Type: AWS::SQS::Queue}}\n")
    assert declares_tables(tmp_path) is False
    (tmp_path / "template.yaml").write_text(": not yaml : [\n")
    assert declares_tables(tmp_path) is False  # unreadable: the simulator goes on as before
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    assert declares_tables(tmp_path) is True


def test_a_table_that_cannot_be_created_is_one_error_naming_it():
    client = boto3.client(  # refused by botocore's validation before any request is sent
        "dynamodb",
        endpoint_url="http://127.0.0.1:9",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    with pytest.raises(TableError, match="table broken cannot be created locally"):
        create_tables((("broken", {"KeySchema": "not a list"}),), client)
