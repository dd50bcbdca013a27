"""simulate: play the service against a connector locally, and prove it conforms (``c2c simulate``, ``c2c test``).

How it works: :func:`simulation` (``session``) reads ``c2c.yaml``, starts the ``c2c emulator`` core
in-process on an ephemeral loopback port and registers a cloud connector there (``environment``);
``--sandbox`` also starts ``c2c sandbox`` and gets credentials for a seeded user through the real OAuth
flow with auto-consent (or an API key stored in the local Secrets Manager for General Authorization).
The connector gets the emulator's endpoint and test credentials, so its real boto3 ``SendConnectorEvent``
calls are SigV4-verified and validated. A :class:`Simulator` builds the exact requests the service
sends (``messages``), delivers them to a target (``targets``: in-process with a fake Lambda context,
a fresh worker interpreter with ``--isolated`` (both from :mod:`c2c_cli.runtime`), or a deployed Lambda), retries on exception or timeout
(contract.md §2.1), waits for the events the operation requires (``capture``), and applies every check
(``checks``) with rule ids from the contract, the Matter lint and :data:`SIM_RULES`. A project with a
webhook entry point (``connector.webhook:lambda_handler``) gets a local Function URL as ``WEBHOOK_URL``
(``webhooks``), served by the same target, so vendor webhooks become ``DEVICE_EVENT`` s as deployed.
Results are frozen dataclasses (``results``); nothing here prints. ``suite`` is the conformance suite of
``c2c test``: a table of cases (``suite.table``) run on one simulator, with JUnit XML output.

pytest plugin (``c2c_cli.simulate.pytest_plugin``, entry point ``pytest11``), for connector projects::

    def test_discovery(c2c_simulator):            # a Simulator for the project in the rootdir,
        c2c_simulator.activate()                  # against a fresh sandbox (--c2c-project DIR to change)
        result = c2c_simulator.discover()
        assert result.ok, result.violations
        assert c2c_simulator.devices

Fixtures: ``c2c_simulator`` (function scope; in-process target, sandbox credentials), ``c2c_emulator``
(a bare running emulator) and ``c2c_sandbox`` (a bare running sandbox); ``c2c_simulation`` is a factory
``c2c_simulation(project_dir, **SessionOptions fields)`` returning a context manager.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from c2c_cli.lazy import exports

if TYPE_CHECKING:
    from c2c_cli.simulate.environment import Credentials, Environment, SandboxOptions
    from c2c_cli.simulate.results import Attempt, CapturedEvent, SimulationResult, Timings
    from c2c_cli.simulate.rules import SIM_RULES
    from c2c_cli.simulate.session import SessionOptions, simulation
    from c2c_cli.simulate.simulator import SimulationSettings, Simulator

__all__ = [
    "SIM_RULES",
    "Attempt",
    "CapturedEvent",
    "Credentials",
    "Environment",
    "SandboxOptions",
    "SessionOptions",
    "SimulationResult",
    "SimulationSettings",
    "Simulator",
    "Timings",
    "simulation",
]

# Names are imported on first use: the worker interpreter (``python -m c2c_cli.runtime.worker``) loads
# only what it needs, so its start-up does not inflate the connector's measured cold start.
_HOMES = {
    "SIM_RULES": "rules",
    "Attempt": "results",
    "CapturedEvent": "results",
    "Credentials": "environment",
    "Environment": "environment",
    "SandboxOptions": "environment",
    "SessionOptions": "session",
    "SimulationResult": "results",
    "SimulationSettings": "simulator",
    "Simulator": "simulator",
    "Timings": "results",
    "simulation": "session",
}


__getattr__ = exports(__name__, _HOMES)
