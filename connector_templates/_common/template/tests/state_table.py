"""The state table exactly as ``template.yaml`` declares it, in a moto server on 127.0.0.1.

The ``StateTable`` resource's properties are turned into the DynamoDB calls CloudFormation would make
(``CreateTable``, then ``UpdateTimeToLive``), so a change to the table in ``template.yaml`` (keys, TTL)
is what the store's tests run against. CloudFormation's short tags (``!Ref``) load as plain data.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import boto3
import yaml

TEMPLATE = Path(__file__).resolve().parent.parent / "template.yaml"
REGION = "us-east-1"
_CREATE_KEYS = ("AttributeDefinitions", "KeySchema", "BillingMode", "ProvisionedThroughput")


class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that reads ``!Ref X`` / ``!GetAtt X.Y`` as ``{"!Ref": "X"}``: nothing is evaluated."""


def _short_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    if isinstance(node, yaml.ScalarNode):
        return {f"!{suffix}": loader.construct_scalar(node)}
    if isinstance(node, yaml.SequenceNode):
        return {f"!{suffix}": loader.construct_sequence(node, deep=True)}
    return {f"!{suffix}": loader.construct_mapping(node, deep=True)}  # type: ignore[arg-type]


_CfnLoader.add_multi_constructor("!", _short_tag)


def table_properties(template: Path = TEMPLATE) -> dict[str, Any]:
    """``Resources.StateTable.Properties`` of the SAM template."""
    data = yaml.load(template.read_text(encoding="utf-8"), Loader=_CfnLoader)
    resource = data["Resources"]["StateTable"]
    assert resource["Type"] == "AWS::DynamoDB::Table"
    return dict(resource["Properties"])


def dynamodb_client(endpoint: str) -> Any:
    """A boto3 DynamoDB client against the moto server (test credentials)."""
    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def create_state_table(client: Any, name: str | None = None) -> str:
    """Create the template's table under a fresh name (one per test); its name."""
    props = table_properties()
    name = name or f"state-{uuid.uuid4().hex[:12]}"
    params = {k: props[k] for k in _CREATE_KEYS if k in props}
    sse = props.get("SSESpecification")
    if sse:  # CloudFormation says SSEEnabled where the API says Enabled
        params["SSESpecification"] = {("Enabled" if k == "SSEEnabled" else k): v for k, v in sse.items()}
    client.create_table(TableName=name, **params)
    ttl = props.get("TimeToLiveSpecification")
    if ttl:
        client.update_time_to_live(TableName=name, TimeToLiveSpecification=ttl)
    return name
