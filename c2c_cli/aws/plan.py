"""The registration plan: desired state vs. observed state → ordered steps (a pure function).

Order (contract.md §7.1 permissions first, then §7.2): Lambda permission, KMS key, OAuth client secret,
its resource policy, cloud connector, connector destination. A step is ``create``, ``update``,
``replace`` (the destination's authUrl/tokenUrl/scope/scheme cannot be updated in place) or
``unchanged``; a changed secret version makes the destination an ``update`` (it references the version).
General Authorization has a secret and a secret policy per auth material (``Step.material``) in place of
the OAuth client's, and its destination references them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from c2c_cli.aws.desired import Desired, secret_policy
from c2c_cli.aws.general import general_secret_policy
from c2c_cli.aws.observe import Observed, SecretInfo
from c2c_cli.errors import UsageError

__all__ = ["RESOURCES", "Action", "Step", "plan_registration", "secret_policy_step", "secret_step"]

Action = Literal["create", "update", "replace", "unchanged", "delete", "absent"]
RESOURCES = (
    "lambda-permission",
    "kms-key",
    "secret",
    "secret-policy",
    "cloud-connector",
    "connector-destination",
)
_IMMUTABLE_OAUTH = ("authUrl", "tokenUrl", "scope", "tokenEndpointAuthenticationScheme")
_MUTABLE_OAUTH = ("oAuthCompleteRedirectUrl", "proactiveRefreshTokenRenewal")


@dataclass(frozen=True)
class Step:
    """One step of a plan.

    Attributes:
        action: create, update, replace, unchanged (register) or delete, absent (unregister).
        resource: one of :data:`RESOURCES` (or ``account-association``).
        detail: why, in a few words (never a secret).
        material: the General Authorization auth material a secret step is for (None otherwise).
    """

    action: Action
    resource: str
    detail: str
    material: str | None = None

    @property
    def changes(self) -> bool:
        """Whether executing the step writes anything."""
        return self.action not in ("unchanged", "absent")

    def to_json(self) -> dict[str, str]:
        """The ``--json`` form (``material`` only on General Authorization's secret steps)."""
        data = {"action": self.action, "resource": self.resource, "detail": self.detail}
        return {**data, "material": self.material} if self.material else data


def _lambda_permission(desired: Desired, observed: Observed) -> Step:
    found = observed.statement
    if found is None:
        return Step(
            "create", "lambda-permission", f"allow {desired.source_arn} to invoke {desired.function_arn}"
        )
    want = desired.statement
    keys = ("Effect", "Principal", "Action", "Resource", "Condition")
    diff = [k for k in keys if _norm(found.get(k)) != _norm(want[k])]
    if diff:
        return Step("update", "lambda-permission", f"statement differs in {', '.join(diff)}")
    return Step("unchanged", "lambda-permission", f"statement {want['Sid']}")


def _norm(value: Any) -> Any:
    """Policies come back with keys in any case and one-item lists collapsed: compare canonically."""
    if isinstance(value, dict):
        return {str(k).lower(): _norm(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_norm(v) for v in value]
        return items[0] if len(items) == 1 else sorted(items, key=repr)
    return value


def _kms_key(desired: Desired, observed: Observed) -> Step:
    if desired.kms_key_id:
        if observed.kms_key_arn is None or not observed.kms_key_enabled:
            raise UsageError(
                f"aws.kms_key_id {desired.kms_key_id!r} is not an enabled key visible to this account",
                hint="Fix aws.kms_key_id, or remove it to let c2c create a key.",
            )
        return Step("unchanged", "kms-key", f"configured key {observed.kms_key_arn}")
    if observed.kms_key_arn is None or not observed.kms_key_enabled:
        return Step("create", "kms-key", f"customer-managed key {desired.kms_alias} (contract.md §7.1)")
    return Step("unchanged", "kms-key", f"{desired.kms_alias} → {observed.kms_key_arn}")


def secret_step(
    name: str,
    secret: SecretInfo | None,
    desired: Desired,
    observed: Observed,
    key: Step,
    material: str | None,
) -> Step:
    """Create, restore, re-encrypt or rewrite one secret (the OAuth client's or an auth material's)."""
    what = f"auth material {material}" if material else "clientId, clientSecret"
    if secret is None:
        return Step("create", "secret", f"{name} ({what})", material)
    reasons = []
    if secret.deleted:
        reasons.append("restore (scheduled for deletion)")
    if secret.value_matches is False and not secret.deleted:
        reasons.append(f"new {what} value")
    if key.action == "create" or secret.kms_key_id not in (observed.kms_key_arn, desired.kms_key_id):
        reasons.append("encrypt with the customer-managed key")
    if reasons:
        return Step("update", "secret", "; ".join(reasons), material)
    return Step("unchanged", "secret", name, material)


def secret_policy_step(
    secret: SecretInfo | None, step: Step, want: dict[str, Any], principal: str, material: str | None
) -> Step:
    """Put the secret's resource policy when it is new, missing or different."""
    policy = secret.policy if secret else None
    detail = f"GetSecretValue for {principal}"
    if step.action == "create" or policy is None:
        return Step("create", "secret-policy", detail, material)
    if _norm(policy.get("Statement")) != _norm(want["Statement"]):
        return Step("update", "secret-policy", "policy differs", material)
    return Step("unchanged", "secret-policy", detail, material)


def _connector(desired: Desired, observed: Observed) -> Step:
    found = observed.connector
    if found is None:
        return Step("create", "cloud-connector", f"{desired.connector_name} → {desired.function_arn}")
    arn = found.get("EndpointConfig", {}).get("lambda", {}).get("arn")
    if arn != desired.function_arn:
        raise UsageError(
            f"cloud connector {desired.connector_name!r} ({found['Id']}) points at {arn}, not {desired.function_arn}",
            hint="Run 'c2c unregister' first, or rename connector.name in c2c.yaml.",
        )
    if desired.description and found.get("Description") != desired.description:
        return Step("update", "cloud-connector", f"{found['Id']}: description")
    return Step("unchanged", "cloud-connector", str(found["Id"]))


def _destination(desired: Desired, observed: Observed, secret: Step) -> Step:
    found = observed.destination
    if found is None:
        return Step("create", "connector-destination", f"{desired.connector_name} (OAUTH)")
    have = found.get("AuthConfig", {}).get("oAuth", {})
    want = desired.auth_config["oAuth"]
    immutable = [k for k in _IMMUTABLE_OAUTH if have.get(k) != want.get(k)]
    if immutable:
        return Step("replace", "connector-destination", f"{found['Id']}: {', '.join(immutable)} changed")
    changed = [k for k in _MUTABLE_OAUTH if have.get(k) != want.get(k)]
    ref = found.get("SecretsManager") or {}
    secret_now = observed.secret
    if secret.changes or not secret_now or ref != {"arn": secret_now.arn, "versionId": secret_now.version_id}:
        changed.append("secret version")
    if changed:
        return Step("update", "connector-destination", f"{found['Id']}: {', '.join(changed)}")
    return Step("unchanged", "connector-destination", str(found["Id"]))


def _general_steps(desired: Desired, observed: Observed, key: Step) -> tuple[list[Step], Step, list[Step]]:
    """Per auth material a secret and its policy (§7.1: the connector's account), the destination, orphans."""
    steps, changed = [], []
    want = general_secret_policy(desired.connector_account, desired.source_arn)
    for spec in desired.auth_secrets:
        found = observed.auth_secrets.get(spec.material)
        secret = secret_step(spec.secret_name, found, desired, observed, key, spec.material)
        steps += [secret, secret_policy_step(found, secret, want, desired.connector_account, spec.material)]
        if secret.changes:
            changed.append(spec.material)
    destination = _general_destination(desired, observed, changed)
    # After the destination no longer references them: the secrets of materials removed from c2c.yaml.
    wanted = {s.material for s in desired.auth_secrets}
    orphans = [
        Step("delete", "secret", f"{found.arn} (auth material {name} removed from c2c.yaml)", name)
        for name, found in observed.auth_secrets.items()
        if name not in wanted and found is not None and not found.deleted
    ]
    return steps, destination, orphans


def _general_destination(desired: Desired, observed: Observed, changed: list[str]) -> Step:
    names = [s.material for s in desired.auth_secrets]
    found = observed.destination
    if found is None:
        return Step("create", "connector-destination", f"{desired.connector_name} ({', '.join(names)})")
    auth = found.get("AuthConfig") or {}
    have = {
        m.get("AuthMaterialName"): m.get("SecretsManager") for m in auth.get("GeneralAuthorization") or []
    }
    # UpdateConnectorDestination can add and update auth materials, not remove them (model
    # GeneralAuthorizationUpdate), nor turn an OAuth destination into a General Authorization one.
    dropped = sorted(str(n) for n in set(have) - set(names))
    if "oAuth" in auth or dropped:
        why = f"{', '.join(dropped)} removed" if dropped else "OAuth destination"
        return Step("replace", "connector-destination", f"{found['Id']}: {why}")
    stale = []
    for name in names:
        secret = observed.auth_secrets.get(name)
        ref = {"arn": secret.arn, "versionId": secret.version_id} if secret else None
        if name in changed or have.get(name) != ref:
            stale.append(name)
    if stale:
        return Step("update", "connector-destination", f"{found['Id']}: secret version of {', '.join(stale)}")
    return Step("unchanged", "connector-destination", str(found["Id"]))


def plan_registration(desired: Desired, observed: Observed) -> tuple[Step, ...]:
    """The ordered steps that make AWS match ``desired``.

    Raises:
        UsageError: a conflict no step can fix (a configured KMS key missing, a connector of the same
            name pointing at another Lambda).
    """
    key = _kms_key(desired, observed)
    if desired.general:
        secrets, destination, orphans = _general_steps(desired, observed, key)
        return (
            _lambda_permission(desired, observed),
            key,
            *secrets,
            _connector(desired, observed),
            destination,
            *orphans,
        )
    secret = secret_step(desired.secret_name, observed.secret, desired, observed, key, None)
    policy = secret_policy(desired.source_arn)
    return (
        _lambda_permission(desired, observed),
        key,
        secret,
        secret_policy_step(observed.secret, secret, policy, desired.source_arn, None),
        _connector(desired, observed),
        _destination(desired, observed, secret),
    )
