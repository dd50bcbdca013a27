"""The service's side of a simulation: an in-process emulator, optionally a sandbox vendor, credentials.

:func:`open_environment` starts ``c2c emulator`` on an ephemeral loopback port (moto alongside only when
General Authorization needs Secrets Manager), registers a cloud connector for the simulated connector id,
and builds the connector's environment: the emulator's endpoint and test credentials (so its real boto3
``SendConnectorEvent`` calls are SigV4-verified and validated, contract.md §4.1), ``VENDOR_API_URL``
and the Lambda variables. With ``sandbox=True`` it also starts ``c2c sandbox`` and obtains credentials
for a seeded user the real way: the OAuth code flow with auto-consent (contract.md §6.3), or an API key
stored as a secret in the local Secrets Manager (General Authorization).
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c2c_cli.contract.builders import general_auth, oauth_auth
from c2c_cli.errors import UsageError
from c2c_cli.runtime.context import function_arn
from c2c_cli.simulate.logins import moto_secret as _moto_secret
from c2c_cli.simulate.logins import sandbox_login

__all__ = [
    "Credentials",
    "Environment",
    "SandboxOptions",
    "ServiceOptions",
    "open_environment",
    "sandbox_login",
]

SANDBOX_USER = "alice"
OTHER_USER = "bob"


@dataclass(frozen=True)
class Credentials:
    """What ``header.auth`` carries: an OAuth token or a Secrets Manager reference (contract.md §2.2)."""

    kind: str  # "oauth" | "general"
    token: str | None = field(default=None, repr=False)
    secret_arn: str | None = None
    secret_version: str | None = None
    secret_value: dict[str, Any] | None = field(default=None, repr=False)

    def header(self) -> dict[str, Any]:
        """``header.auth`` for a request."""
        if self.kind == "oauth":
            return oauth_auth(self.token or "")
        return general_auth(self.secret_arn or "", self.secret_version or "")


@dataclass(frozen=True)
class SandboxOptions:
    """How to start the sandbox vendor (``--sandbox``)."""

    devices_per_user: int = 11
    seed: int = 0


@dataclass(frozen=True)
class ServiceOptions:
    """How the simulated service treats the connector's own Lambda invocations (issue 16).

    Attributes:
        discovery_timeout_s: a discovery without its final page is ``TIMED_OUT`` after this long (the
            simulator waits as long for it).
        async_retry_delays: seconds before the 2 retries of a failed ``Event`` invocation.
        async_duplicate_rate: probability that an ``Event`` invocation is delivered twice.
    """

    discovery_timeout_s: float = 120.0
    async_retry_delays: tuple[float, ...] = (0.2, 0.5)
    async_duplicate_rate: float = 0.0


@dataclass
class Environment:
    """A running service side for one connector.

    Attributes:
        emulator: the running emulator (``events()`` is the capture).
        connector_id: the registered cloud connector's id (the requests' ``connectorId``).
        account_id: the registering account (events must be signed by it).
        env: the connector's environment variables.
        credentials: ``header.auth`` source.
        secrets: values that must never appear in the connector's output.
        sandbox: the running sandbox, if any.
        clock_offset: seconds added to the sandbox's clock (expire tokens without sleeping).
        relay: the local Function URL of the webhook entry point, if served.
        local_secret: the secret of ``credentials`` is in the local Secrets Manager (moto): the suite may
            add and rotate secrets there.
    """

    emulator: Any
    connector_id: str
    account_id: str
    env: dict[str, str]
    credentials: Credentials
    secrets: list[str] = field(default_factory=list, repr=False)
    sandbox: Any = None
    clock_offset: list[float] = field(default_factory=lambda: [0.0])
    relay: Any = None
    local_secret: bool = False

    refresh_tokens: dict[str, str] = field(default_factory=dict, repr=False)

    def expect_discovery(self, discovery_id: str, device_ids: tuple[str, ...] = ()) -> None:
        """Open a ``RUNNING`` discovery run in the emulator, as ``StartDeviceDiscovery`` would.

        The emulator accepts ``DEVICE_DISCOVERY`` events only for a running discovery of the connector
        (contract.md §4.7); the simulator plays ``StartDeviceDiscovery`` itself instead of letting the
        emulator invoke the connector, so it opens the run through the emulator's own API.
        """
        self.emulator.open_discovery(self.connector_id, device_ids, discovery_id)

    def sandbox_token(self, username: str = SANDBOX_USER) -> str:
        """A fresh access token for a seeded sandbox user, through the real OAuth flow."""
        if self.sandbox is None:
            raise UsageError("a sandbox is needed for this", hint="Pass --sandbox.")
        token, refresh = sandbox_login(self.sandbox, username)
        self.secrets += [token, refresh or ""]
        if refresh:
            self.refresh_tokens[token] = refresh
        return token


def register_connector(emulator: Any, name: str, lambda_arn: str) -> str:
    """Create the cloud connector in the emulator as the default account; returns its id.

    Uses the emulator's in-process API (the same code ``CreateCloudConnector`` runs) rather than an HTTP
    round trip, which would cost a botocore client in the parent process.
    """
    return str(emulator.create_connector(name, lambda_arn))


def _connector_env(emulator: Any, function_name: str, vendor_url: str | None) -> dict[str, str]:
    env = dict(emulator.client_env())
    env.update(
        # the connector's self-invoke (discovery continuation, issue 16) reaches the emulator's Invoke
        AWS_ENDPOINT_URL_LAMBDA=emulator.endpoint_url,
        AWS_LAMBDA_FUNCTION_NAME=function_name,
        AWS_LAMBDA_FUNCTION_VERSION="$LATEST",
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE="128",
        AWS_EXECUTION_ENV="AWS_Lambda_python3.11",
        AWS_EC2_METADATA_DISABLED="true",  # never ask 169.254.169.254 for credentials
    )
    if vendor_url:
        env["VENDOR_API_URL"] = vendor_url
    return {k: v for k, v in env.items() if v}


def _sandbox_credentials(environment: Environment, auth: str, function_name: str) -> Credentials:
    sandbox, info = environment.sandbox, environment.sandbox.info
    environment.env.update(VENDOR_CLIENT_ID=info["client_id"], VENDOR_CLIENT_SECRET=info["client_secret"])
    environment.secrets += [info["client_secret"], info["api_key"] or ""]
    if auth == "oauth":
        return Credentials("oauth", token=environment.sandbox_token())
    value = {"api_key": info["api_key"], "user_id": sandbox.user_id(SANDBOX_USER)}
    arn, version = _moto_secret(environment.emulator, f"c2c/{function_name}/vendor-api-key", value)
    return Credentials("general", secret_arn=arn, secret_version=version)


@contextlib.contextmanager
def open_environment(
    project_dir: Path,
    function_name: str,
    auth: str,
    *,
    credentials: Credentials | None,
    sandbox: SandboxOptions | None = None,
    extra_env: dict[str, str] | None = None,
    service: ServiceOptions | None = None,
) -> Iterator[Environment]:
    """Start the emulator (and sandbox), register the connector, resolve credentials.

    Args:
        project_dir: the connector project (names the connector).
        function_name: the Lambda function name.
        auth: ``oauth`` or ``general``.
        credentials: given credentials; None requires ``sandbox``.
        sandbox: start a sandbox vendor and take credentials from it.
        extra_env: more variables for the connector (override the defaults).
        service: how the emulator runs the connector's own Lambda invocations and times out discoveries.

    Raises:
        UsageError: no credentials and no sandbox.
    """
    from c2c_cli.emulator import EmulatorSettings, start_emulator
    from c2c_cli.emulator.driver.tables import declares_tables

    if credentials is None and sandbox is None:
        raise UsageError(
            "no credentials for the connector",
            hint="Pass --sandbox, --token/--profile (OAuth) or --secret-arn (General Authorization).",
        )
    local_secret = credentials is not None and credentials.secret_value is not None
    # moto also holds the project's state table (template.yaml), shared by every worker (issue 16).
    with_moto = (auth == "general" and (sandbox is not None or local_secret)) or declares_tables(project_dir)
    svc = service or ServiceOptions()
    settings = EmulatorSettings(
        port=0,
        db=":memory:",
        with_moto=with_moto,
        strict_events=False,
        discovery_timeout_seconds=svc.discovery_timeout_s,
        async_retry_delays=svc.async_retry_delays,
        async_duplicate_rate=svc.async_duplicate_rate,
    )
    with _quiet_werkzeug(), start_emulator(settings) as emu, _maybe_sandbox(sandbox) as (sb, offset):
        arn = function_arn(function_name, emu.region, emu.account.account_id)
        connector_id = register_connector(emu, f"{function_name}-{project_dir.name}"[:128], arn)
        vendor_url = sb.base_url if sb is not None else os.environ.get("VENDOR_API_URL")
        env = {
            **_connector_env(emu, function_name, vendor_url),
            **emu.state_tables(project_dir, function_name),
        }
        env.update(extra_env or {})
        environment = Environment(emu, connector_id, emu.account.account_id, env, Credentials("oauth"))
        environment.secrets.append(emu.account.secret_access_key)
        environment.sandbox, environment.clock_offset = sb, offset
        if credentials is None:
            credentials = _sandbox_credentials(environment, auth, function_name)
            environment.local_secret = credentials.kind == "general"
        elif credentials.token:
            environment.secrets.append(credentials.token)
        elif credentials.secret_value is not None:
            # --secret-file: the customer's secret, kept in the local Secrets Manager (moto).
            environment.secrets += [v for v in credentials.secret_value.values() if isinstance(v, str)]
            arn, version = _moto_secret(emu, f"c2c/{function_name}/general-auth", credentials.secret_value)
            credentials = Credentials("general", secret_arn=arn, secret_version=version)
            environment.local_secret = True
        environment.credentials = credentials
        yield environment


@contextlib.contextmanager
def _quiet_werkzeug() -> Iterator[None]:
    # moto's server logs every request to stderr through werkzeug's logger: not our output.
    logger = logging.getLogger("werkzeug")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


@contextlib.contextmanager
def _maybe_sandbox(options: SandboxOptions | None) -> Iterator[tuple[Any, list[float]]]:
    offset = [0.0]
    if options is None:
        yield None, offset
        return
    from c2c_cli.sandbox import SandboxSettings, start_sandbox

    clock: Callable[[], float] = lambda: time.time() + offset[0]  # noqa: E731
    settings = SandboxSettings(
        port=0,
        users=(SANDBOX_USER, OTHER_USER),
        devices_per_user=options.devices_per_user,
        seed=options.seed,
        auto_consent=SANDBOX_USER,
        clock=clock,
        command_delay_ms=5,
    )
    with start_sandbox(settings) as sb:
        yield sb, offset
