"""One simulation session: project config + service side + target, as a context manager.

:func:`simulation` is what ``c2c simulate``, ``c2c test`` and the pytest plugin call: it reads
``c2c.yaml``, resolves the credentials (``--token``, the ``c2c oauth`` store refreshed when needed,
``--secret-arn``, or the sandbox), starts the environment and the target, and yields a
:class:`~c2c_cli.simulate.simulator.Simulator`. Everything is stopped on exit.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c2c_cli.config import ProjectConfig, load_config
from c2c_cli.errors import UsageError
from c2c_cli.runtime.targets import InProcessTarget, SubprocessTarget, Target, TargetSpec
from c2c_cli.simulate.environment import (
    Credentials,
    Environment,
    SandboxOptions,
    ServiceOptions,
    open_environment,
)
from c2c_cli.simulate.simulator import SimulationSettings, Simulator

__all__ = ["SessionOptions", "auth_kind", "simulation"]


@dataclass(frozen=True)
class SessionOptions:
    """Everything a session needs besides the project (keyword names are the API ``c2c simulate`` uses).

    Attributes:
        auth: ``oauth`` or ``general``; None = ``connector.auth`` of ``c2c.yaml``.
        token: an OAuth access token to send (never printed).
        profile: the ``c2c oauth`` profile whose (refreshed) token is sent.
        secret_arn: General Authorization secret ARN.
        secret_version: its version id.
        secret_file: General Authorization: a JSON file with the secret's content, stored in the local
            Secrets Manager for the simulation (what the customer would store).
        sandbox: start a sandbox vendor and take credentials from it.
        isolated: run the handler in a fresh interpreter (subprocess target).
        function: a deployed Lambda (name or ARN) to invoke instead.
        aws_profile: AWS profile for ``function``.
        region: AWS region for ``function``.
        settings: budget, retries, waiting, repeats.
        env: extra connector environment variables.
        webhooks: serve the project's webhook entry point (``connector.webhook:lambda_handler``) at a
            local Function URL given to the connector as ``WEBHOOK_URL``.
        service: the emulator's treatment of the connector's own ``Event`` invocations (retry delays,
            duplicates); its discovery timeout is ``settings.discovery_wait_s``.
    """

    auth: str | None = None
    token: str | None = field(default=None, repr=False)
    profile: str | None = None
    secret_arn: str | None = None
    secret_version: str | None = None
    secret_file: Path | None = None
    sandbox: SandboxOptions | None = None
    isolated: bool = False
    function: str | None = None
    aws_profile: str | None = None
    region: str | None = None
    settings: SimulationSettings = field(default_factory=SimulationSettings)
    env: dict[str, str] = field(default_factory=dict)
    webhooks: bool = True
    service: ServiceOptions = field(default_factory=ServiceOptions)

    def __post_init__(self) -> None:
        # Checked on construction, so the CLI, the pytest plugin and scripts get one error for a bad value.
        if self.auth not in (None, "oauth", "general"):
            raise UsageError(f"--auth must be oauth or general (got {self.auth!r})")


def auth_kind(config: ProjectConfig, requested: str | None) -> str:
    """``oauth`` or ``general``: the flag, else ``connector.auth``."""
    if requested is not None:
        if requested not in ("oauth", "general"):
            raise UsageError(f"--auth must be oauth or general (got {requested!r})")
        return requested
    return "oauth" if config.connector.auth == "oauth2" else "general"


def _credentials(config: ProjectConfig, auth: str, options: SessionOptions) -> Credentials | None:
    if options.sandbox is not None and not (options.token or options.secret_arn):
        return None
    if auth == "general":
        if options.secret_file is not None:
            return Credentials("general", secret_value=_read_secret_file(options.secret_file))
        if not options.secret_arn:
            raise UsageError(
                "General Authorization needs a secret",
                hint="Pass --secret-file FILE (its JSON content), --secret-arn ARN with --function, or --sandbox.",
            )
        if not options.function:
            # A local connector reads Secrets Manager with the emulator's credentials: a header naming a
            # secret outside the local Secrets Manager could never be read (no hard-coded header).
            raise UsageError(
                "--secret-arn names a deployed secret, readable only by a deployed function",
                hint="Add --function NAME, or pass --secret-file FILE (stored in the local Secrets Manager).",
            )
        return Credentials(
            "general", secret_arn=options.secret_arn, secret_version=options.secret_version or "AWSCURRENT"
        )
    if options.token:
        return Credentials("oauth", token=options.token)
    return Credentials("oauth", token=_stored_token(config, options.profile))


def _read_secret_file(path: Path) -> dict[str, Any]:
    import json

    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read the secret from {path}: {type(exc).__name__}") from None
    if not isinstance(value, dict):
        raise UsageError(f"{path} must hold a JSON object (the secret's content)")
    return value


def _stored_token(config: ProjectConfig, profile: str | None) -> str:
    from c2c_cli.oauth import DEFAULT_PROFILE, find_client_secret, valid_access_token

    if config.oauth is None:
        raise UsageError("c2c.yaml has no oauth: section", hint="Pass --token, or --sandbox.")
    settings = config.oauth

    def secret() -> str:
        found = find_client_secret(settings, config.project_dir)
        if not found:
            raise UsageError(
                "the OAuth client secret is needed to refresh the token", hint="Set C2C_CLIENT_SECRET."
            )
        return found

    return valid_access_token(profile or DEFAULT_PROFILE, settings=settings, secret=secret)


def _target(config: ProjectConfig, options: SessionOptions, arn: str, env: dict[str, str]) -> Target:
    spec = TargetSpec(config.project_dir, config.connector.handler, config.function_name, arn)
    if options.function:
        from c2c_cli.simulate.remote import LambdaTarget

        return LambdaTarget(options.function, options.aws_profile, options.region)
    if options.isolated:
        import os

        return SubprocessTarget(spec, {**os.environ, **env})
    return InProcessTarget(spec)


def _relay(config: ProjectConfig, options: SessionOptions, target: Target, environment: Environment) -> Any:
    from c2c_cli.simulate.webhooks import WebhookRelay, find_webhook_entry

    entry = find_webhook_entry(config.project_dir) if options.webhooks and not options.function else None
    if entry is None or "WEBHOOK_URL" in environment.env:
        return None
    relay = WebhookRelay(target, entry, environment.env).start()
    environment.env["WEBHOOK_URL"] = relay.url
    environment.relay = relay
    return relay


def _deployed_connector_id(config: ProjectConfig) -> str | None:
    """The cloud connector ``c2c register`` created (``.c2c/state.json``), for a deployed function's events."""
    from c2c_cli.aws.state import load_state

    return load_state(config.project_dir).connector_id


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM ends the session as Ctrl-C does, so workers and servers are stopped on the way out.

    Python's default for SIGTERM ends the process at once, skipping every ``finally``. Only in the main
    thread, and only when nobody else installed a handler; the previous one is restored afterwards.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return

    def interrupt(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextlib.contextmanager
def simulation(project_dir: Path, options: SessionOptions | None = None) -> Iterator[Simulator]:
    """Start everything for ``project_dir`` and yield a ready :class:`Simulator`.

    Raises:
        ConfigError: bad or missing ``c2c.yaml``.
        UsageError: missing credentials or bad options.
        AuthError: no stored token, or it cannot be refreshed.
    """
    options = options or SessionOptions()
    config = load_config(project_dir)
    auth = auth_kind(config, options.auth)
    credentials = _credentials(config, auth, options)
    with (
        _terminate_as_interrupt(),
        open_environment(
            config.project_dir,
            config.function_name,
            auth,
            credentials=credentials,
            sandbox=options.sandbox,
            extra_env=options.env,
            service=dataclasses.replace(
                options.service, discovery_timeout_s=options.settings.discovery_wait_s
            ),
        ) as environment,
    ):
        from c2c_cli.runtime.context import function_arn

        arn = function_arn(config.function_name, environment.emulator.region, environment.account_id)
        target = _target(config, options, arn, environment.env)
        settings = options.settings
        if options.function:
            settings = dataclasses.replace(settings, capture=False)
            environment.connector_id = _deployed_connector_id(config) or environment.connector_id
        relay = _relay(config, options, target, environment)
        if not options.function:
            # The connector's Lambda Invoke of itself (a discovery continuation) runs in this target.
            environment.emulator.attach_target(config.function_name, target, environment.env)
        try:
            yield Simulator(target, environment, settings)
        finally:
            if relay is not None:
                relay.stop()
            target.close()
