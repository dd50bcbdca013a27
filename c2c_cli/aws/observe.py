"""Read what AWS holds for a project right now (read-only calls; the plan is computed from this).

Resources are found by the ids in the state file first and, when those are missing or stale, by name
(the Lambda statement id, the KMS alias, the secret name, the connector and destination names), so an
interrupted run whose state write was lost still finds what it created.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from c2c_cli.aws.desired import STATEMENT_ID, Desired
from c2c_cli.aws.session import AwsClients, Params, call
from c2c_cli.aws.state import RegistrationState
from c2c_cli.errors import AwsError

if TYPE_CHECKING:
    from c2c_cli.aws.session import IotClient, KMSClient, LambdaClient, SecretsManagerClient

__all__ = ["NOT_FOUND", "Observed", "SecretInfo", "get_or_none", "list_all", "observe"]

NOT_FOUND = ("ResourceNotFoundException", "NotFoundException")


@dataclass(frozen=True)
class SecretInfo:
    """A secret as found (the OAuth client secret, or an auth material's).

    Attributes:
        arn: its ARN.
        version_id: the ``AWSCURRENT`` version.
        kms_key_id: the key it is encrypted with (as Secrets Manager reports it), None for the AWS key.
        deleted: scheduled for deletion.
        value_matches: the stored value equals the desired one (None: not compared).
        policy: its resource policy, None when it has none.
    """

    arn: str
    version_id: str | None
    kms_key_id: str | None
    deleted: bool
    value_matches: bool | None
    policy: dict[str, Any] | None = field(default=None)


@dataclass(frozen=True)
class Observed:
    """Everything the plan compares with the desired state; None means absent."""

    statement: dict[str, Any] | None
    kms_key_arn: str | None
    kms_key_enabled: bool
    secret: SecretInfo | None
    connector: dict[str, Any] | None
    destination: dict[str, Any] | None
    associations: tuple[dict[str, Any], ...] = ()
    auth_secrets: dict[str, SecretInfo | None] = field(default_factory=dict)


def get_or_none(
    method: Callable[Params, object], *args: Params.args, **params: Params.kwargs
) -> dict[str, Any] | None:
    """``call`` that answers None for a not-found error."""
    try:
        return call(method, *args, **params)
    except AwsError as exc:
        if exc.code in NOT_FOUND:
            return None
        raise


def list_all(
    method: Callable[Params, object], key: str, *args: Params.args, **params: Params.kwargs
) -> list[dict[str, Any]]:
    """Every item of a ``NextToken``-paginated list operation (``key`` names the items' member)."""
    items: list[dict[str, Any]] = []
    token: str | None = None
    # The parameters were checked at the caller; NextToken is the one this loop adds.
    page_of: Callable[..., object] = method
    while True:
        page = call(page_of, *args, **params, **({"NextToken": token} if token else {}))
        items.extend(page.get(key, []))
        token = page.get("NextToken")
        if not token:
            return items


def lambda_statement(lambda_client: LambdaClient, function_arn: str) -> dict[str, Any] | None:
    """The c2c statement of the function's resource policy, if present."""
    found = get_or_none(lambda_client.get_policy, FunctionName=function_arn)
    if not found:
        return None
    statements = json.loads(found.get("Policy") or "{}").get("Statement", [])
    return next((s for s in statements if s.get("Sid") == STATEMENT_ID), None)


def _kms_key(kms: KMSClient, desired: Desired) -> tuple[str | None, bool]:
    found = get_or_none(kms.describe_key, KeyId=desired.kms_key_id or desired.kms_alias)
    if not found:
        return None, False
    meta = found["KeyMetadata"]
    return str(meta["Arn"]), meta.get("KeyState") == "Enabled"


def _secret(sm: SecretsManagerClient, name: str, value: Any, known_arn: str | None) -> SecretInfo | None:
    """The secret by its recorded ARN, else by name; its value compared with ``value`` unless None."""
    found = get_or_none(sm.describe_secret, SecretId=known_arn or name)
    if found is None and known_arn and name:
        found = get_or_none(sm.describe_secret, SecretId=name)
    if found is None:
        return None
    arn, deleted = str(found["ARN"]), "DeletedDate" in found
    stages = found.get("VersionIdsToStages") or {}
    version = next((v for v, s in stages.items() if "AWSCURRENT" in s), None)
    matches = None
    if value is not None:
        matches = not deleted and _secret_value(sm, arn) == value
    policy = None if deleted else get_or_none(sm.get_resource_policy, SecretId=arn)
    text = (policy or {}).get("ResourcePolicy")
    return SecretInfo(
        arn, version, found.get("KmsKeyId"), deleted, matches, json.loads(text) if text else None
    )


def _auth_secrets(
    sm: SecretsManagerClient, desired: Desired, state: RegistrationState
) -> dict[str, SecretInfo | None]:
    """General Authorization: each auth material's secret, and those of materials c2c.yaml no longer lists.

    A material removed from c2c.yaml is found by the ARN recorded in the state, so register and
    unregister can delete its secret (it is in ``auth_secrets`` but not in ``desired.auth_secrets``).
    """
    found = {
        s.material: _secret(sm, s.secret_name, s.value, state.material(s.material).get("secret_arn"))
        for s in desired.auth_secrets
    }
    for name, ref in state.auth_materials.items():
        arn = ref.get("secret_arn")
        if name not in found and arn:
            found[name] = _secret(sm, "", None, arn)
    return found


def _secret_value(sm: SecretsManagerClient, arn: str) -> Any:
    found = get_or_none(sm.get_secret_value, SecretId=arn)
    try:
        return json.loads((found or {}).get("SecretString") or "null")
    except ValueError:
        return None


def find_connector(iot: IotClient, name: str, connector_id: str | None) -> dict[str, Any] | None:
    """The cloud connector by recorded id, else by name (names are unique per account)."""
    if connector_id:
        found = get_or_none(iot.get_cloud_connector, Identifier=connector_id)
        if found and found.get("Name") == name:
            return found
    match = next((c for c in list_all(iot.list_cloud_connectors, "Items") if c.get("Name") == name), None)
    return get_or_none(iot.get_cloud_connector, Identifier=match["Id"]) if match else None


def find_destination(
    iot: IotClient, connector_id: str, name: str, destination_id: str | None
) -> dict[str, Any] | None:
    """The connector destination by recorded id, else by name among the connector's destinations."""
    if destination_id:
        found = get_or_none(iot.get_connector_destination, Identifier=destination_id)
        if found and found.get("CloudConnectorId") == connector_id:
            return found
    items = list_all(
        iot.list_connector_destinations, "ConnectorDestinationList", CloudConnectorId=connector_id
    )
    match = next((d for d in items if d.get("Name") == name), None)
    return get_or_none(iot.get_connector_destination, Identifier=match["Id"]) if match else None


def observe(clients: AwsClients, desired: Desired, state: RegistrationState) -> Observed:
    """Read the current registration from AWS.

    Raises:
        AwsError: any failure other than "not found".
    """
    key_arn, key_enabled = _kms_key(clients.kms, desired)
    connector = find_connector(clients.iot, desired.connector_name, state.connector_id)
    destination = None
    associations: list[dict[str, Any]] = []
    if connector:
        destination = find_destination(
            clients.iot, connector["Id"], desired.connector_name, state.destination_id
        )
    if destination:
        associations = list_all(
            clients.iot.list_account_associations, "Items", ConnectorDestinationId=destination["Id"]
        )
    return Observed(
        statement=lambda_statement(clients.lambda_, desired.function_arn),
        kms_key_arn=key_arn,
        kms_key_enabled=key_enabled,
        secret=None if desired.general else _oauth_secret(clients.secretsmanager, desired, state),
        connector=connector,
        destination=destination,
        associations=tuple(associations),
        auth_secrets=_auth_secrets(clients.secretsmanager, desired, state),
    )


def _oauth_secret(sm: SecretsManagerClient, desired: Desired, state: RegistrationState) -> SecretInfo | None:
    return _secret(sm, desired.secret_name, desired.secret_value, state.secret_arn)
