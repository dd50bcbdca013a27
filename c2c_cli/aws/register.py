"""``c2c register`` as a library: preflight, plan, apply (STYLE.md: deploys planned before they are executed).

:func:`prepare_registration` makes only read calls (STS, Lambda, the service, Secrets Manager, KMS) and
returns the plan; :func:`apply_registration` executes it. The CLI shows the plan in between.
:func:`link_registration` (``--link``) then links an end-user account to the new destination.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c2c_cli.aws.apply import apply_plan, known_state
from c2c_cli.aws.desired import Desired, desired_state
from c2c_cli.aws.link import Association, LinkRequest, link_account
from c2c_cli.aws.observe import NOT_FOUND, Observed, observe
from c2c_cli.aws.plan import Step, plan_registration
from c2c_cli.aws.session import AwsClients, call
from c2c_cli.aws.state import RegistrationState, load_state, save_state
from c2c_cli.config import ProjectConfig
from c2c_cli.errors import AwsError, UsageError

__all__ = [
    "Caller",
    "Prepared",
    "apply_registration",
    "link_registration",
    "preflight",
    "prepare_registration",
]


@dataclass(frozen=True)
class Caller:
    """Who is calling, where, and the connector Lambda found there.

    Attributes:
        account_id: the caller's account (STS).
        arn: the caller's identity ARN.
        region: the clients' region.
        function_arn: the connector Lambda's ARN.
    """

    account_id: str
    arn: str
    region: str
    function_arn: str


@dataclass(frozen=True)
class Prepared:
    """A computed plan and everything needed to execute it."""

    caller: Caller
    desired: Desired
    observed: Observed = field(repr=False)
    steps: tuple[Step, ...]
    state: RegistrationState

    @property
    def changes(self) -> bool:
        """Whether applying would write anything."""
        return any(s.changes for s in self.steps)


def _function_arn(clients: AwsClients, function_name: str, account_id: str) -> str:
    try:
        found = call(clients.lambda_.get_function, FunctionName=function_name)
    except AwsError as exc:
        if exc.code not in NOT_FOUND:
            raise
        raise AwsError(
            f"Lambda function {function_name!r} not found in account {account_id}, region {clients.region}",
            operation="GetFunction",
            code=exc.code,
            hint="Deploy the connector first, or check --region / aws.region and aws.function_name.",
        ) from None
    arn = str(found["Configuration"]["FunctionArn"])
    if arn.split(":")[4] != account_id:
        raise AwsError(
            f"Lambda {arn} is not in the calling account {account_id} (contract.md §7.3)",
            operation="GetFunction",
            code="WrongAccount",
        )
    return arn


def preflight(clients: AwsClients, function_name: str, expected_account: str | None = None) -> Caller:
    """Resolve the caller, find the Lambda in the same account and region, and probe the service.

    Raises:
        AwsError: no credentials, another account than ``aws.account_id``, Lambda not found, or the
            credentials rejected by the service (the hint names the missing IAM action).
    """
    who = call(clients.sts.get_caller_identity)
    account = str(who["Account"])
    if expected_account and account != expected_account:
        raise AwsError(
            f"the credentials belong to account {account}, but c2c.yaml says aws.account_id {expected_account}",
            operation="GetCallerIdentity",
            code="WrongAccount",
            hint="Use --profile for the right account, or fix aws.account_id.",
        )
    function_arn = _function_arn(clients, function_name, account)
    call(clients.iot.list_cloud_connectors, MaxResults=1)
    return Caller(account, str(who["Arn"]), clients.region, function_arn)


def prepare_registration(
    cfg: ProjectConfig,
    clients: AwsClients,
    client_secret: str | None,
    material_values: dict[str, dict[str, Any]] | None = None,
) -> Prepared:
    """Preflight and plan; read calls only.

    Args:
        cfg: the project.
        clients: the AWS clients.
        client_secret: the OAuth client secret (None: do not compare the stored value; status only).
        material_values: General Authorization: each auth material's JSON object (None: not compared).
    """
    caller = preflight(clients, cfg.function_name, cfg.aws.account_id)
    desired = desired_state(
        cfg,
        account_id=caller.account_id,
        region=caller.region,
        function_arn=caller.function_arn,
        client_secret=client_secret,
        material_values=material_values,
    )
    state = load_state(cfg.project_dir)
    observed = observe(clients, desired, state)
    steps = plan_registration(desired, observed)
    return Prepared(caller, desired, observed, steps, known_state(state, desired, observed))


def apply_registration(
    prepared: Prepared,
    clients: AwsClients,
    project_dir: Path,
    *,
    after_step: Callable[[Step, RegistrationState], Any] | None = None,
) -> RegistrationState:
    """Execute a prepared plan, recording ``<project>/.c2c/state.json`` after every step."""
    return apply_plan(
        clients,
        prepared.desired,
        prepared.steps,
        prepared.state,
        save=lambda state: save_state(project_dir, state),
        after_step=after_step,
    )


def link_registration(
    cfg: ProjectConfig,
    clients: AwsClients,
    state: RegistrationState,
    *,
    timeout: float,
    opener: Callable[[str], None],
    progress: Callable[[str], None],
    sleep: Callable[[float], None],
    clock: Callable[[], float],
) -> Association:
    """``c2c register --link``: a new account association for the registered destination.

    The association is recorded in ``.c2c/state.json`` as soon as it exists, so ``c2c unregister``
    deletes it even when the wait is interrupted. Returns its last state (still in progress after
    ``timeout`` is not an error here: the user may finish later).

    Raises:
        UsageError: nothing registered yet (no connector destination).
        AwsError: an API call failed.
    """
    if not state.destination_id:
        raise UsageError(
            "nothing to link: no connector destination", hint="Run c2c register without --dry-run."
        )

    def record(association_id: str) -> None:
        save_state(cfg.project_dir, state.update(association_ids=(*state.association_ids, association_id)))

    request = LinkRequest(state.destination_id, name=cfg.connector.name, timeout=timeout)
    return link_account(
        clients.iot, request, opener=opener, progress=progress, sleep=sleep, clock=clock, created=record
    )
