"""The registration plan: desired state vs. observed state → ordered steps (a pure function).

Order (contract.md §7.1 permissions first, then §7.2): Lambda permission, KMS key, OAuth client secret,
its resource policy, cloud connector, connector destination. A step is ``create``, ``update``,
``replace`` (the destination's authUrl/tokenUrl/scope/scheme cannot be updated in place) or
``unchanged``; a changed secret version makes the destination an ``update`` (it references the version).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from c2c_cli.aws.desired import Desired, secret_policy
from c2c_cli.aws.observe import Observed
from c2c_cli.errors import UsageError

__all__ = ["RESOURCES", "Action", "Step", "plan_registration"]

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
    """

    action: Action
    resource: str
    detail: str

    @property
    def changes(self) -> bool:
        """Whether executing the step writes anything."""
        return self.action not in ("unchanged", "absent")

    def to_json(self) -> dict[str, str]:
        """The ``--json`` form."""
        return {"action": self.action, "resource": self.resource, "detail": self.detail}


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


def _secret(desired: Desired, observed: Observed, key: Step) -> Step:
    secret = observed.secret
    if secret is None:
        return Step("create", "secret", f"{desired.secret_name} (clientId, clientSecret)")
    reasons = []
    if secret.deleted:
        reasons.append("restore (scheduled for deletion)")
    if secret.value_matches is False and not secret.deleted:
        reasons.append("new client id/secret value")
    if key.action == "create" or secret.kms_key_id not in (observed.kms_key_arn, desired.kms_key_id):
        reasons.append("encrypt with the customer-managed key")
    if reasons:
        return Step("update", "secret", "; ".join(reasons))
    return Step("unchanged", "secret", desired.secret_name)


def _secret_policy(desired: Desired, observed: Observed, secret: Step) -> Step:
    policy = observed.secret.policy if observed.secret else None
    if secret.action == "create" or policy is None:
        return Step("create", "secret-policy", f"GetSecretValue for {desired.source_arn}")
    if _norm(policy.get("Statement")) != _norm(secret_policy(desired.source_arn)["Statement"]):
        return Step("update", "secret-policy", "policy differs")
    return Step("unchanged", "secret-policy", f"GetSecretValue for {desired.source_arn}")


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


def plan_registration(desired: Desired, observed: Observed) -> tuple[Step, ...]:
    """The ordered steps that make AWS match ``desired``.

    Raises:
        UsageError: a conflict no step can fix (a configured KMS key missing, a connector of the same
            name pointing at another Lambda).
    """
    key = _kms_key(desired, observed)
    secret = _secret(desired, observed, key)
    return (
        _lambda_permission(desired, observed),
        key,
        secret,
        _secret_policy(desired, observed, secret),
        _connector(desired, observed),
        _destination(desired, observed, secret),
    )
