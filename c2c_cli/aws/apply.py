"""Execute a registration plan step by step with injected clients, saving the state after every step.

Every create carries a ``ClientToken`` derived from the state's ``token_seed`` (saved before the first
write), so a run killed between an AWS call and its state write replays the same token on the re-run and
gets the same resource back instead of a duplicate (contract.md §7.2: ``ClientToken`` is idempotent).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from c2c_cli.aws.apply_general import general_destination, material_secret, material_secret_policy
from c2c_cli.aws.desired import PRINCIPAL, STATEMENT_ID, Desired, key_policy, secret_policy
from c2c_cli.aws.general import general_key_policy
from c2c_cli.aws.observe import Observed, get_or_none
from c2c_cli.aws.plan import Step
from c2c_cli.aws.session import AwsClients, call
from c2c_cli.aws.state import RegistrationState, client_token
from c2c_cli.errors import AwsError

if TYPE_CHECKING:
    from types_boto3_iot_managed_integrations.type_defs import (
        AuthConfigTypeDef,
        AuthConfigUpdateTypeDef,
        SecretsManagerTypeDef,
        UpdateConnectorDestinationRequestTypeDef,
    )

    from c2c_cli.aws.session import SecretsManagerClient

__all__ = ["apply_plan", "known_state"]

Executor = Callable[[AwsClients, Desired, RegistrationState, Step], RegistrationState]


def known_state(state: RegistrationState, desired: Desired, observed: Observed) -> RegistrationState:
    """The state file's content corrected with what AWS actually holds."""
    secret = observed.secret
    return state.update(
        account_id=desired.account_id,
        region=desired.region,
        function_arn=desired.function_arn,
        statement_id=STATEMENT_ID if observed.statement else None,
        kms_key_arn=observed.kms_key_arn,
        # A key found under c2c's own alias was created by c2c (and is deleted by unregister).
        kms_key_created=bool(observed.kms_key_arn and not desired.kms_key_id),
        secret_arn=secret.arn if secret else None,
        secret_version_id=secret.version_id if secret else None,
        connector_id=observed.connector["Id"] if observed.connector else None,
        destination_id=observed.destination["Id"] if observed.destination else None,
        association_ids=tuple(a["AccountAssociationId"] for a in observed.associations),
        auth_materials={
            name: {"secret_arn": found.arn, "secret_version_id": found.version_id}
            for name, found in observed.auth_secrets.items()
            if found is not None
        },
    )


def _lambda_permission(
    clients: AwsClients, desired: Desired, state: RegistrationState, step: Step
) -> RegistrationState:
    if step.action == "update":
        get_or_none(
            clients.lambda_.remove_permission, FunctionName=desired.function_arn, StatementId=STATEMENT_ID
        )
    call(
        clients.lambda_.add_permission,
        FunctionName=desired.function_arn,
        StatementId=STATEMENT_ID,
        Action="lambda:InvokeFunction",
        Principal=PRINCIPAL,
        SourceArn=desired.source_arn,
        SourceAccount=desired.account_id,
    )
    return state.update(statement_id=STATEMENT_ID)


def _kms_key(
    clients: AwsClients, desired: Desired, state: RegistrationState, _step: Step
) -> RegistrationState:
    if desired.general:
        policy = general_key_policy(desired.account_id, desired.connector_account, desired.region)
        what = "auth materials"
    else:
        policy, what = key_policy(desired.account_id, desired.source_arn), "OAuth client secret"
    meta = call(
        clients.kms.create_key,
        Policy=json.dumps(policy),
        Description=f"c2c: encrypts the {what} of connector {desired.connector_name}",
        Tags=[{"TagKey": "c2c:connector", "TagValue": desired.connector_name}],
    )["KeyMetadata"]
    try:
        call(clients.kms.create_alias, AliasName=desired.kms_alias, TargetKeyId=meta["KeyId"])
    except AwsError as exc:
        if exc.code != "AlreadyExistsException":
            raise
        # The alias still names a key scheduled for deletion (an earlier unregister): repoint it.
        call(clients.kms.update_alias, AliasName=desired.kms_alias, TargetKeyId=meta["KeyId"])
    return state.update(kms_key_arn=str(meta["Arn"]), kms_key_created=True)


def _known(value: str | None, what: str) -> str:
    """A state value an earlier step of the plan has set (the plan orders the steps so)."""
    if value is None:
        raise ValueError(f"the {what} is unknown at this step")
    return value


def _secret_string(desired: Desired) -> str:
    if desired.secret_value is None:
        raise ValueError("the desired secret value is unknown")
    return json.dumps(desired.secret_value, sort_keys=True)


def _secret(clients: AwsClients, desired: Desired, state: RegistrationState, step: Step) -> RegistrationState:
    sm = clients.secretsmanager
    if step.action == "create":
        made = call(
            sm.create_secret,
            Name=desired.secret_name,
            KmsKeyId=_known(state.kms_key_arn, "KMS key"),
            SecretString=_secret_string(desired),
            Description=f"c2c: OAuth client of connector {desired.connector_name} (contract.md §7.1)",
            ClientRequestToken=client_token(state, "secret"),
        )
        return state.update(secret_arn=made["ARN"], secret_version_id=made["VersionId"])
    arn = _known(state.secret_arn, "secret")
    if "restore" in step.detail:
        call(sm.restore_secret, SecretId=arn)
    key = _known(state.kms_key_arn, "KMS key")
    updated = call(sm.update_secret, SecretId=arn, KmsKeyId=key, SecretString=_secret_string(desired))
    version = updated.get("VersionId") or _current_version(sm, arn)
    return state.update(secret_arn=updated["ARN"], secret_version_id=version)


def _current_version(sm: SecretsManagerClient, arn: str) -> str | None:
    stages = call(sm.describe_secret, SecretId=arn).get("VersionIdsToStages") or {}
    return next((v for v, s in stages.items() if "AWSCURRENT" in s), None)


def _secret_policy(
    clients: AwsClients, desired: Desired, state: RegistrationState, _step: Step
) -> RegistrationState:
    policy = json.dumps(secret_policy(desired.source_arn))
    arn = _known(state.secret_arn, "secret")
    call(clients.secretsmanager.put_resource_policy, SecretId=arn, ResourcePolicy=policy)
    return state


def _connector(
    clients: AwsClients, desired: Desired, state: RegistrationState, step: Step
) -> RegistrationState:
    extra = {"Description": desired.description} if desired.description else {}
    if step.action == "update":
        call(clients.iot.update_cloud_connector, Identifier=_known(state.connector_id, "connector"), **extra)
        return state
    made = call(
        clients.iot.create_cloud_connector,
        Name=desired.connector_name,
        EndpointConfig={"lambda": {"arn": desired.function_arn}},
        EndpointType="LAMBDA",
        ClientToken=client_token(state, "cloud-connector"),
        **extra,
    )
    return state.update(connector_id=made["Id"])


def _secret_ref(state: RegistrationState) -> SecretsManagerTypeDef:
    return {
        "arn": _known(state.secret_arn, "secret"),
        "versionId": _known(state.secret_version_id, "secret version"),
    }


def _destination(
    clients: AwsClients, desired: Desired, state: RegistrationState, step: Step
) -> RegistrationState:
    iot = clients.iot
    if step.action == "update":
        oauth = desired.auth_config["oAuth"]
        patch = {
            k: oauth[k] for k in ("oAuthCompleteRedirectUrl", "proactiveRefreshTokenRenewal") if k in oauth
        }
        request: UpdateConnectorDestinationRequestTypeDef = {
            "Identifier": _known(state.destination_id, "destination"),
            "SecretsManager": _secret_ref(state),
        }
        if patch:
            # desired.auth_config is checked against the model (desired.py), so the cast holds.
            request["AuthConfig"] = cast("AuthConfigUpdateTypeDef", {"oAuthUpdate": patch})
        call(iot.update_connector_destination, **request)
        return state
    if step.action == "replace":
        call(iot.delete_connector_destination, Identifier=_known(state.destination_id, "destination"))
    # The token covers the auth config, so a replaced destination gets a new token (not a replay).
    digest = hashlib.sha256(json.dumps(desired.auth_config, sort_keys=True).encode()).hexdigest()[:16]
    made = call(
        iot.create_connector_destination,
        Name=desired.connector_name,
        CloudConnectorId=_known(state.connector_id, "connector"),
        AuthType="OAUTH",
        AuthConfig=cast("AuthConfigTypeDef", desired.auth_config),
        SecretsManager=_secret_ref(state),
        ClientToken=client_token(state, f"connector-destination:{digest}"),
    )
    return state.update(destination_id=made["Id"])


_EXECUTORS: dict[str, Executor] = {
    "lambda-permission": _lambda_permission,
    "kms-key": _kms_key,
    "secret": _secret,
    "secret-policy": _secret_policy,
    "cloud-connector": _connector,
    "connector-destination": _destination,
}

_GENERAL_EXECUTORS: dict[str, Executor] = {
    "secret": material_secret,
    "secret-policy": material_secret_policy,
    "connector-destination": general_destination,
}


def apply_plan(
    clients: AwsClients,
    desired: Desired,
    steps: tuple[Step, ...],
    state: RegistrationState,
    *,
    save: Callable[[RegistrationState], None],
    after_step: Callable[[Step, RegistrationState], None] | None = None,
) -> RegistrationState:
    """Run the steps that change something, in order.

    Args:
        clients: the AWS clients.
        desired: the desired registration.
        steps: the plan.
        state: :func:`known_state` of this run.
        save: persists the state (called before the first write and after every step).
        after_step: called after each step (progress output; tests use it to interrupt a run).

    Returns:
        The final state.

    Raises:
        AwsError: the first failing call; the state saved so far lets a re-run resume.
    """
    state = state.with_seed()
    save(state)
    for step in steps:
        if step.changes:
            executors = _GENERAL_EXECUTORS if desired.general else {}
            state = executors.get(step.resource, _EXECUTORS[step.resource])(clients, desired, state, step)
            save(state)
        if after_step is not None:
            after_step(step, state)
    return state
