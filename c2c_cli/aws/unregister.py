"""``c2c unregister`` as a library: remove what register created, in reverse order, idempotently.

Order: account associations, connector destination, cloud connector, the OAuth client secret or
General Authorization's auth material secrets (deleted without a recovery window, so a later register can reuse the name) and the KMS key c2c created (alias
deleted, key scheduled for deletion: KMS's minimum of 7 days), then the Lambda permission. Anything
already gone is ``absent``; a not-found answer while deleting counts as done.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from c2c_cli.aws.desired import STATEMENT_ID, Desired, desired_state
from c2c_cli.aws.observe import NOT_FOUND, Observed, SecretInfo, get_or_none, observe
from c2c_cli.aws.plan import Step
from c2c_cli.aws.session import AwsClients, Params, call
from c2c_cli.aws.state import load_state, remove_state
from c2c_cli.config import ProjectConfig
from c2c_cli.errors import AwsError

__all__ = ["Unregistration", "execute_unregister", "plan_unregister", "prepare_unregister"]


@dataclass(frozen=True)
class Unregistration:
    """A computed unregister plan.

    Attributes:
        desired: the project's names and ARNs.
        observed: what exists.
        steps: delete / absent per resource, in execution order.
    """

    desired: Desired
    observed: Observed
    steps: tuple[Step, ...]

    @property
    def changes(self) -> bool:
        """Whether executing would delete anything."""
        return any(s.changes for s in self.steps)


def _step(present: Any, resource: str, what: str) -> Step:
    return Step("delete", resource, what) if present else Step("absent", resource, what)


def plan_unregister(desired: Desired, observed: Observed, *, keep_secret: bool) -> tuple[Step, ...]:
    """The reverse-order delete steps (pure)."""
    steps = [_step(True, "account-association", a["AccountAssociationId"]) for a in observed.associations]
    steps.append(_step(observed.destination, "connector-destination", desired.connector_name))
    steps.append(_step(observed.connector, "cloud-connector", desired.connector_name))
    names = {s.material: s.secret_name for s in desired.auth_secrets}
    secrets: list[tuple[str, SecretInfo | None, str | None]] = [
        (names.get(m) or (f.arn if f else m), f, m) for m, f in observed.auth_secrets.items()
    ]
    if not desired.general:
        secrets = [(desired.secret_name, observed.secret, None)]
    if keep_secret:
        steps += [Step("unchanged", "secret", f"{n} (kept: --keep-secret)", m) for n, _, m in secrets]
    else:
        steps += [Step("delete" if f else "absent", "secret", n, m) for n, f, m in secrets]
        owned_key = observed.kms_key_arn and not desired.kms_key_id
        steps.append(_step(owned_key, "kms-key", f"{desired.kms_alias} (7-day deletion window)"))
    steps.append(_step(observed.statement, "lambda-permission", STATEMENT_ID))
    return tuple(steps)


def _caller(clients: AwsClients, cfg: ProjectConfig) -> tuple[str, str]:
    """Account and function ARN; the function may already be gone (then its ARN is built)."""
    account = str(call(clients.sts.get_caller_identity)["Account"])
    found = get_or_none(clients.lambda_.get_function, FunctionName=cfg.function_name)
    if found:
        return account, str(found["Configuration"]["FunctionArn"])
    return account, f"arn:aws:lambda:{clients.region}:{account}:function:{cfg.function_name}"


def prepare_unregister(cfg: ProjectConfig, clients: AwsClients, *, keep_secret: bool) -> Unregistration:
    """Find what exists and plan its removal (read calls only)."""
    account, function_arn = _caller(clients, cfg)
    desired = desired_state(
        cfg, account_id=account, region=clients.region, function_arn=function_arn, client_secret=None
    )
    observed = observe(clients, desired, load_state(cfg.project_dir))
    return Unregistration(desired, observed, plan_unregister(desired, observed, keep_secret=keep_secret))


def _ignore_missing(method: Callable[Params, object], *args: Params.args, **params: Params.kwargs) -> None:
    try:
        call(method, *args, **params)
    except AwsError as exc:
        if exc.code not in NOT_FOUND:
            raise


def _delete(clients: AwsClients, un: Unregistration, step: Step) -> None:
    iot, obs, want = clients.iot, un.observed, un.desired
    if step.resource == "account-association":
        _ignore_missing(iot.delete_account_association, AccountAssociationId=step.detail)
    elif step.resource == "connector-destination" and obs.destination:
        _ignore_missing(iot.delete_connector_destination, Identifier=obs.destination["Id"])
    elif step.resource == "cloud-connector" and obs.connector:
        _ignore_missing(iot.delete_cloud_connector, Identifier=obs.connector["Id"])
    elif step.resource == "secret" and (found := obs.auth_secrets.get(step.material or "") or obs.secret):
        _ignore_missing(
            clients.secretsmanager.delete_secret, SecretId=found.arn, ForceDeleteWithoutRecovery=True
        )
    elif step.resource == "kms-key" and obs.kms_key_arn:
        _ignore_missing(clients.kms.delete_alias, AliasName=want.kms_alias)
        # The bare key id: AWS accepts id or ARN, moto only the id.
        _ignore_missing(
            clients.kms.schedule_key_deletion,
            KeyId=obs.kms_key_arn.rsplit("/", 1)[-1],
            PendingWindowInDays=7,
        )
    elif step.resource == "lambda-permission":
        _ignore_missing(
            clients.lambda_.remove_permission, FunctionName=want.function_arn, StatementId=STATEMENT_ID
        )


def execute_unregister(
    un: Unregistration,
    clients: AwsClients,
    cfg: ProjectConfig,
    *,
    after_step: Callable[[Step], Any] | None = None,
) -> None:
    """Delete, in order; then remove ``.c2c/state.json`` (a fresh register starts a new token seed).

    Raises:
        AwsError: a deletion the service refused (e.g. an association with managed things).
    """
    for step in un.steps:
        if step.changes:
            _delete(clients, un, step)
        if after_step is not None:
            after_step(step)
    remove_state(cfg.project_dir)
