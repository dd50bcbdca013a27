"""General Authorization's executors of a registration plan: auth material secrets and the destination.

A step's ``material`` names the auth material. Secrets are created under the customer-managed key with a
``ClientRequestToken`` from the state's seed (an interrupted run replays it); a changed value is a new
version, which the destination's ``AuthConfig.GeneralAuthorization`` then references (contract.md §7.1,
§7.4). The destination is created without ``AuthType`` (the model's enum has only ``OAUTH``).
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any, cast

from c2c_cli.aws.desired import Desired
from c2c_cli.aws.general import AuthSecret, auth_materials, general_secret_policy
from c2c_cli.aws.plan import Step
from c2c_cli.aws.session import AwsClients, call
from c2c_cli.aws.state import RegistrationState, client_token

if TYPE_CHECKING:
    from types_boto3_iot_managed_integrations.type_defs import AuthConfigTypeDef, AuthConfigUpdateTypeDef

__all__ = ["general_destination", "material_secret", "material_secret_policy"]


def _known(value: str | None, what: str) -> str:
    if value is None:
        raise ValueError(f"the {what} is unknown at this step")
    return value


def _spec(desired: Desired, step: Step) -> AuthSecret:
    spec = next((s for s in desired.auth_secrets if s.material == step.material), None)
    if spec is None or spec.value is None:
        raise ValueError(f"the value of auth material {step.material} is unknown")
    return spec


def material_secret(
    clients: AwsClients, desired: Desired, state: RegistrationState, step: Step
) -> RegistrationState:
    """Create, restore, rewrite (a new value is a new version) or delete one auth material's secret."""
    sm = clients.secretsmanager
    if step.action == "delete":  # a material removed from c2c.yaml (as unregister deletes secrets)
        arn = _known(state.material(str(step.material)).get("secret_arn"), "secret")
        call(sm.delete_secret, SecretId=arn, ForceDeleteWithoutRecovery=True)
        rest = {k: v for k, v in state.auth_materials.items() if k != step.material}
        return state.update(auth_materials=rest)
    spec = _spec(desired, step)
    key = _known(state.kms_key_arn, "KMS key")
    value = json.dumps(spec.value, sort_keys=True)
    if step.action == "create":
        made = call(
            sm.create_secret,
            Name=spec.secret_name,
            KmsKeyId=key,
            SecretString=value,
            Description=f"c2c: auth material {spec.material} of connector {desired.connector_name}",
            ClientRequestToken=client_token(state, f"secret:{spec.material}"),
        )
        return state.with_material(spec.material, made["ARN"], made["VersionId"])
    arn = _known(state.material(spec.material).get("secret_arn"), "secret")
    if "restore" in step.detail:
        call(sm.restore_secret, SecretId=arn)
    updated = call(sm.update_secret, SecretId=arn, KmsKeyId=key, SecretString=value)
    version = updated.get("VersionId")
    if not version:
        stages = call(sm.describe_secret, SecretId=arn).get("VersionIdsToStages") or {}
        version = next((v for v, s in stages.items() if "AWSCURRENT" in s), None)
    return state.with_material(spec.material, updated["ARN"], version)


def material_secret_policy(
    clients: AwsClients, desired: Desired, state: RegistrationState, step: Step
) -> RegistrationState:
    """Put the secret's resource policy: the connector's account may read it (contract.md §7.1)."""
    arn = _known(state.material(str(step.material)).get("secret_arn"), "secret")
    policy = json.dumps(general_secret_policy(desired.connector_account, desired.source_arn))
    call(clients.secretsmanager.put_resource_policy, SecretId=arn, ResourcePolicy=policy)
    return state


def _refs(desired: Desired, state: RegistrationState) -> dict[str, dict[str, str]]:
    refs = {}
    for spec in desired.auth_secrets:
        found = state.material(spec.material)
        refs[spec.material] = {
            "arn": _known(found.get("secret_arn"), f"secret of {spec.material}"),
            "versionId": _known(found.get("secret_version_id"), f"secret version of {spec.material}"),
        }
    return refs


def general_destination(
    clients: AwsClients, desired: Desired, state: RegistrationState, step: Step
) -> RegistrationState:
    """Create, update (add or re-point materials) or replace the destination."""
    iot, refs = clients.iot, _refs(desired, state)
    if step.action == "update":
        ident = _known(state.destination_id, "destination")
        current = call(iot.get_connector_destination, Identifier=ident).get("AuthConfig") or {}
        have = {m.get("AuthMaterialName") for m in current.get("GeneralAuthorization") or []}
        patch: dict[str, Any] = {
            "AuthMaterialsToAdd": auth_materials({n: r for n, r in refs.items() if n not in have}),
            "AuthMaterialsToUpdate": auth_materials({n: r for n, r in refs.items() if n in have}),
        }
        update = {"GeneralAuthorizationUpdate": {k: v for k, v in patch.items() if v}}
        # The materials are checked against the model (desired.py), so the cast holds.
        call(
            iot.update_connector_destination,
            Identifier=ident,
            AuthConfig=cast("AuthConfigUpdateTypeDef", update),
        )
        return state
    if step.action == "replace":
        call(iot.delete_connector_destination, Identifier=_known(state.destination_id, "destination"))
    names = ",".join(refs)
    digest = hashlib.sha256(f"general:{names}".encode()).hexdigest()[:16]
    made = call(
        iot.create_connector_destination,
        Name=desired.connector_name,
        CloudConnectorId=_known(state.connector_id, "connector"),
        AuthConfig=cast("AuthConfigTypeDef", {"GeneralAuthorization": auth_materials(refs)}),
        ClientToken=client_token(state, f"connector-destination:{digest}"),
    )
    return state.update(destination_id=made["Id"])
