"""A project's DynamoDB tables, created in the companion moto server as CloudFormation would create them.

``template.yaml`` declares the connector's state table (``AWS::DynamoDB::Table``, key ``pk``, TTL on
``expires``) and passes its name to the functions (``STATE_TABLE: !Ref StateTable``). Locally that
reference has no value until the table exists: :func:`provision` creates every table the template
declares in moto (``CreateTable`` from the resource's properties, then ``UpdateTimeToLive``) and returns
the variables that name them, so the connector's workers (separate processes, like Lambda execution
environments) and a continuation running in another worker share one durable store instead of each
holding its own memory. Creating a table that exists already (moto's state is per process) is fine.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from c2c_cli.emulator.driver.template import template_environment
from c2c_cli.errors import C2CError

__all__ = ["TableError", "create_params", "create_tables", "declares_tables", "provision"]

#: CloudFormation properties that ``CreateTable`` takes unchanged.
_SAME = (
    "AttributeDefinitions",
    "KeySchema",
    "BillingMode",
    "ProvisionedThroughput",
    "GlobalSecondaryIndexes",
    "LocalSecondaryIndexes",
    "Tags",
    "TableClass",
    "DeletionProtectionEnabled",
)


class TableError(C2CError):
    """A declared table cannot be created locally."""


def create_params(name: str, props: Mapping[str, Any]) -> dict[str, Any]:
    """``CreateTable`` parameters for an ``AWS::DynamoDB::Table`` resource's ``Properties``."""
    params: dict[str, Any] = {"TableName": name, **{k: props[k] for k in _SAME if k in props}}
    if "BillingMode" not in params and "ProvisionedThroughput" not in params:
        params["BillingMode"] = "PAY_PER_REQUEST"
    sse = props.get("SSESpecification")
    if isinstance(sse, dict):  # CloudFormation's SSEEnabled is the API's Enabled
        params["SSESpecification"] = {("Enabled" if k == "SSEEnabled" else k): v for k, v in sse.items()}
    stream = props.get("StreamSpecification")
    if isinstance(stream, dict) and stream.get("StreamViewType"):
        params["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": stream["StreamViewType"]}
    return params


def create_tables(tables: tuple[tuple[str, dict[str, Any]], ...], client: Any) -> None:
    """Create each ``(name, Properties)`` table with its TTL, unless it exists.

    Raises:
        TableError: DynamoDB (moto) refused a table, naming it and the reason.
    """
    from botocore.exceptions import ClientError, ParamValidationError

    for name, props in tables:
        try:
            try:
                client.create_table(**create_params(name, props))
            except client.exceptions.ResourceInUseException:
                continue  # made earlier in this process
            ttl = props.get("TimeToLiveSpecification")
            if isinstance(ttl, dict) and ttl.get("Enabled"):
                client.update_time_to_live(TableName=name, TimeToLiveSpecification=ttl)
        except (ClientError, ParamValidationError) as exc:
            message = str(exc).splitlines()[-1][:300]
            raise TableError(f"template.yaml: table {name} cannot be created locally: {message}") from None


def declares_tables(project_dir: Path) -> bool:
    """Whether the project's ``template.yaml`` declares a DynamoDB table (``False`` when it is unreadable)."""
    from c2c_cli.emulator.driver.template import read_template
    from c2c_cli.errors import ConfigError

    path = project_dir / "template.yaml"
    try:
        resources = read_template(path).get("Resources") or {} if path.is_file() else {}
    except ConfigError:
        return False
    return any(isinstance(r, dict) and r.get("Type") == "AWS::DynamoDB::Table" for r in resources.values())


def provision(
    project_dir: Path,
    function: str,
    handler: str,
    pseudo: Mapping[str, str],
    client: Any,
    suffix: str = "",
) -> dict[str, str]:
    """Create the project's tables through ``client`` (DynamoDB in moto); the variables naming them.

    Args:
        project_dir: the project (``template.yaml`` at its root; none means no tables).
        function: the function the project plays (its variables are the ones returned).
        handler: its entry point (finds the function in the template when no ``FunctionName`` matches).
        pseudo: ``AWS::Region`` / ``AWS::AccountId``.
        client: a boto3/botocore DynamoDB client against moto.
        suffix: appended to generated table names: moto's state outlives an emulator in its process, so
            each emulator gets its own, empty tables (an attachment made twice in one emulator reuses them).

    Raises:
        ConfigError: ``template.yaml`` cannot be read.
        TableError: a table cannot be created.
    """
    found = template_environment(project_dir, function, handler, {}, pseudo, suffix)
    if found.tables:
        create_tables(found.tables, client)
    return dict(found.table_env)
