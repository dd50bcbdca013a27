"""Registration with AWS: the only package (with the emulator) that imports boto3.

How it works: :mod:`.session` builds boto3 clients from the standard credential chain (endpoint
overrides from the environment, so ``c2c emulator`` + moto work unchanged) and turns every botocore
failure into :class:`~c2c_cli.errors.AwsError`. ``c2c register`` is planned before it is executed:
:mod:`.register` runs a read-only preflight, :mod:`.desired` computes what ``c2c.yaml`` asks for,
:mod:`.observe` reads what AWS holds, :mod:`.plan` (pure) compares them into ordered steps, and
:mod:`.apply` executes the steps with injected clients, saving ``.c2c/state.json`` (:mod:`.state`) after
each one so an interrupted run resumes without duplicates. :mod:`.status`, :mod:`.unregister`,
:mod:`.link` and :mod:`.send` (``c2c events send``) reuse the same pieces. boto3 is imported inside the
functions that need it.
"""

from __future__ import annotations

from c2c_cli.aws.plan import Step
from c2c_cli.aws.register import (
    Caller,
    Prepared,
    apply_registration,
    link_registration,
    preflight,
    prepare_registration,
)
from c2c_cli.aws.session import AwsClients, aws_clients, make_clients, resolve_setting
from c2c_cli.aws.state import RegistrationState, load_state
from c2c_cli.aws.status import RegistrationStatus, registration_status
from c2c_cli.aws.unregister import Unregistration, execute_unregister, prepare_unregister

__all__ = [
    "AwsClients",
    "Caller",
    "Prepared",
    "RegistrationState",
    "RegistrationStatus",
    "Step",
    "Unregistration",
    "apply_registration",
    "aws_clients",
    "execute_unregister",
    "link_registration",
    "load_state",
    "make_clients",
    "preflight",
    "prepare_registration",
    "prepare_unregister",
    "registration_status",
    "resolve_setting",
]
