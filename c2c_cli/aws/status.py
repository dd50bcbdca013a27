"""``c2c status`` as a library: what is registered, compared with ``c2c.yaml`` (read calls only).

The comparison is the registration plan itself: every step that is not ``unchanged`` is drift. The
stored client secret or auth material values are not compared (status does not need the secrets).
General Authorization's secret rows carry ``material``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from c2c_cli.aws.plan import Step
from c2c_cli.aws.register import Caller, prepare_registration
from c2c_cli.aws.session import AwsClients
from c2c_cli.aws.state import RegistrationState
from c2c_cli.config import ProjectConfig

__all__ = ["RegistrationStatus", "registration_status"]

_IDS = {
    "lambda-permission": "statement_id",
    "kms-key": "kms_key_arn",
    "secret": "secret_arn",
    "cloud-connector": "connector_id",
    "connector-destination": "destination_id",
}


@dataclass(frozen=True)
class RegistrationStatus:
    """The registration as found, and its drift from ``c2c.yaml``.

    Attributes:
        caller: account, region and Lambda.
        steps: what ``c2c register`` would do now (``unchanged`` = in sync).
        state: the ids found.
        associations: the destination's account associations (id, name, state, error).
    """

    caller: Caller
    steps: tuple[Step, ...]
    state: RegistrationState
    associations: tuple[dict[str, Any], ...]

    @property
    def registered(self) -> bool:
        """A cloud connector and a destination exist."""
        return bool(self.state.connector_id and self.state.destination_id)

    @property
    def in_sync(self) -> bool:
        """Nothing to do for ``c2c register``."""
        return not any(s.changes for s in self.steps)

    def resources(self) -> list[dict[str, Any]]:
        """One row per resource: present, id, and drift (the step that would fix it)."""
        rows = []
        for step in self.steps:
            field = _IDS.get(step.resource)
            found = getattr(self.state, field) if field else None
            row = {
                "resource": step.resource,
                "present": step.action != "create",
                "id": found,
                "drift": None if step.action == "unchanged" else step.to_json(),
            }
            if step.material:  # General Authorization: the auth material's secret
                arn = self.state.material(step.material).get("secret_arn")
                row.update(material=step.material, id=arn if step.resource == "secret" else None)
            rows.append(row)
        return rows

    def to_json(self) -> dict[str, Any]:
        """The documented ``c2c status --json`` shape."""
        return {
            "account_id": self.caller.account_id,
            "region": self.caller.region,
            "function_arn": self.caller.function_arn,
            "registered": self.registered,
            "in_sync": self.in_sync,
            "resources": self.resources(),
            "associations": list(self.associations),
        }


def registration_status(cfg: ProjectConfig, clients: AwsClients) -> RegistrationStatus:
    """Read the registration of ``cfg`` and compare it with the file.

    Raises:
        AwsError: preflight or read failures.
    """
    prepared = prepare_registration(cfg, clients, None)
    associations = tuple(
        {
            "id": a.get("AccountAssociationId"),
            "name": a.get("Name"),
            "state": a.get("AssociationState"),
            "error": a.get("ErrorMessage"),
        }
        for a in prepared.observed.associations
    )
    return RegistrationStatus(prepared.caller, prepared.steps, prepared.state, associations)
