"""The options of ``c2c simulate *`` and ``c2c test``, declared once as one typed :class:`SimulateOptions`.

Each field of the dataclass is an ``Annotated`` CLI option. A command asks for them with one parameter,
``options: SimulateOptions``, and the :func:`simulate_options` decorator puts the fields in its place in
the signature Typer reads, then builds the dataclass from exactly those values when the command runs: a
dependency, in FastAPI's sense, without ``locals()``. ``--project`` and ``--json`` come from
:mod:`c2c_cli.cli.options`.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import sys
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from c2c_cli.errors import UsageError

if TYPE_CHECKING:
    from c2c_cli.simulate import SessionOptions

__all__ = ["SimulateOptions", "simulate_options"]

Token = Annotated[
    str | None,
    typer.Option(
        "--token", envvar="C2C_TOKEN", help="OAuth access token to send ('-' reads stdin; env C2C_TOKEN)."
    ),
]
Profile = Annotated[
    str | None, typer.Option("--profile", help="'c2c oauth' profile whose token is sent (refreshed).")
]
Auth = Annotated[str | None, typer.Option("--auth", help="oauth or general (default: connector.auth).")]
SecretArn = Annotated[
    str | None, typer.Option("--secret-arn", help="General Authorization: Secrets Manager ARN.")
]
SecretVersion = Annotated[
    str | None, typer.Option("--secret-version", help="General Authorization: version id.")
]
SecretFile = Annotated[
    Path | None,
    typer.Option("--secret-file", help="General Authorization: JSON content of the secret (stored locally)."),
]
Sandbox = Annotated[
    bool,
    typer.Option("--sandbox", help="Start a local sandbox vendor: zero-setup credentials and devices."),
]
SandboxDevices = Annotated[int, typer.Option("--sandbox-devices", help="Devices per sandbox user.", min=0)]
Isolated = Annotated[
    bool,
    typer.Option("--isolated", help="Run the handler in a worker interpreter, killed at the 2 s budget."),
]
Function = Annotated[
    str | None, typer.Option("--function", help="Invoke a deployed Lambda (name or ARN) instead.")
]
AwsProfile = Annotated[str | None, typer.Option("--aws-profile", help="AWS profile for --function.")]
Region = Annotated[str | None, typer.Option("--region", help="AWS region for --function.")]
Event = Annotated[str | None, typer.Option("--event", help="Send this request file ('-' = stdin) instead.")]
Wait = Annotated[float, typer.Option("--wait", help="Seconds to wait for the required events.", min=0)]
DiscoveryWait = Annotated[
    float,
    typer.Option(
        "--discovery-wait",
        metavar="SECONDS",
        help="How long a discovery may go on in Event invocations of the function before it is TIMED_OUT.",
        min=0.001,
    ),
]
DuplicateRate = Annotated[
    float,
    typer.Option(
        "--async-duplicate-rate",
        metavar="P",
        help="Probability that an Event invocation of the function is delivered twice (at-least-once).",
        min=0.0,
        max=1.0,
    ),
]
Concurrency = Annotated[
    int,
    typer.Option("--concurrency", metavar="N", help="Invocations at once (a worker process each).", min=1),
]
Repeat = Annotated[int, typer.Option("--repeat", help="Run the operation N times (p50/p95).", min=1)]
Retries = Annotated[
    int, typer.Option("--retries", help="Redeliveries after an exception or timeout.", min=0, max=5)
]
Shape = Annotated[str, typer.Option("--commands-shape", help="list (documented) or map form of commands.")]


@dataclass(frozen=True)
class SimulateOptions:
    """Credentials, vendor, target and timing of a simulation, as given on the command line.

    Attributes mirror :class:`~c2c_cli.simulate.session.SessionOptions` (see there); ``event`` is a
    request file to send instead of the built one, ``shape`` the form of ``endpoints[].commands``.
    """

    token: Token = field(default=None, repr=False)
    profile: Profile = None
    auth: Auth = None
    secret_arn: SecretArn = None
    secret_version: SecretVersion = None
    secret_file: SecretFile = None
    sandbox: Sandbox = False
    sandbox_devices: SandboxDevices = 11
    isolated: Isolated = False
    function: Function = None
    aws_profile: AwsProfile = None
    region: Region = None
    event: Event = None
    wait: Wait = 5.0
    discovery_wait: DiscoveryWait = 120.0
    async_duplicate_rate: DuplicateRate = 0.0
    concurrency: Concurrency = 4
    repeat: Repeat = 1
    retries: Retries = 5
    shape: Shape = "list"

    def session(self) -> SessionOptions:
        """The library's options; ``--token -`` reads the token from stdin here.

        Raises:
            UsageError: ``--commands-shape`` is neither list nor map.
        """
        from c2c_cli.simulate import SandboxOptions, SessionOptions, SimulationSettings
        from c2c_cli.simulate.environment import ServiceOptions

        if self.shape not in ("list", "map"):
            raise UsageError(f"--commands-shape must be list or map (got {self.shape!r})")
        token = sys.stdin.readline().strip() if self.token == "-" else self.token
        settings = SimulationSettings(
            wait_s=self.wait,
            repeat=self.repeat,
            retries=self.retries,
            commands_shape=self.shape,
            discovery_wait_s=self.discovery_wait,
            concurrency=self.concurrency,
        )
        return SessionOptions(
            auth=self.auth,
            token=token or None,
            profile=self.profile,
            secret_arn=self.secret_arn,
            secret_version=self.secret_version,
            secret_file=self.secret_file,
            sandbox=SandboxOptions(devices_per_user=self.sandbox_devices) if self.sandbox else None,
            isolated=self.isolated,
            function=self.function,
            aws_profile=self.aws_profile,
            region=self.region,
            settings=settings,
            service=ServiceOptions(async_duplicate_rate=self.async_duplicate_rate),
        )


Command = Callable[..., None]


def simulate_options(*omit: str) -> Callable[[Command], Command]:
    """Give a command the :class:`SimulateOptions` fields (except ``omit``) as CLI options.

    The command declares ``options: SimulateOptions`` (keyword-only) where the options belong in its
    help; the fields left out keep their defaults.
    """
    hints = typing.get_type_hints(SimulateOptions, include_extras=True)
    fields = [f for f in dataclasses.fields(SimulateOptions) if f.name not in omit]
    shared = [
        inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY, default=f.default, annotation=hints[f.name])
        for f in fields
    ]

    def decorate(func: Command) -> Command:
        signature = inspect.signature(func, eval_str=True)
        own = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in signature.parameters.values()]
        at = [p.name for p in own].index("options")
        parameters = [*own[:at], *shared, *own[at + 1 :]]

        @functools.wraps(func)
        def command(**values: Any) -> None:
            options = SimulateOptions(**{f.name: values.pop(f.name) for f in fields})
            func(options=options, **values)

        command.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in parameters} | {"return": None}
        return command

    return decorate
