"""Where a Lambda function's code comes from locally, and its Function URL (contract.md §2.1).

A function is either an attached project (``--connector DIR``: the handler from its ``c2c.yaml``) or
the zip the in-process companion moto server holds (unpacked to a temporary directory; handler and
environment from the function's configuration). Either way it runs in one worker subprocess
(``c2c_cli.runtime.targets.SubprocessTarget``). An attached project's webhook entry point is served as
the function's Function URL at ``/_emulator/function-url/<function>`` with payload-format-2.0 events.
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from c2c_cli.emulator.driver.entry import HANDLER, wrap
from c2c_cli.emulator.driver.template import template_environment
from c2c_cli.emulator.http.settings import ConnectorAttachment
from c2c_cli.errors import C2CError

__all__ = [
    "Function",
    "InvocationError",
    "from_moto",
    "function_name",
    "project_attachment",
    "project_handler",
]

_ARN = re.compile(r"arn:aws:lambda:[0-9a-zA-Z-]+:[0-9]+:function:(?P<name>[a-zA-Z0-9-_]+)(:.*)?")


class InvocationError(C2CError):
    """The connector's code cannot be found or started."""


def function_name(arn_or_name: str) -> str:
    """``acme`` from ``arn:aws:lambda:us-east-1:123456789012:function:acme[:alias]`` or ``acme[:alias]``."""
    match = _ARN.fullmatch(arn_or_name)
    return match["name"] if match else arn_or_name.split(":", 1)[0]


@dataclass
class Function:
    """One function's code, environment and (lazily started) worker."""

    name: str
    arn: str
    project_dir: Path
    handler: str
    webhook_handler: str | None
    env: dict[str, str]
    attached: bool = False
    #: how many invocations may run at once, each in a worker process of its own (``--concurrency``)
    concurrency: int = 1
    #: the workers (``runtime.pool``), made on first use unless given (the simulator's target)
    pool: Any = None
    #: a target handed in (the simulator's): events go to the project's handler unwrapped, and the
    #: target is its owner's to close.
    direct: bool = False

    def event_for(self, event: Any) -> Any:
        """What the worker gets for ``event``: wrapped for ``driver.entry`` unless the target is direct."""
        return event if self.direct else wrap(self.handler, event)

    @classmethod
    def of(cls, attachment: ConnectorAttachment, concurrency: int = 1) -> Function:
        """The function an attachment plays."""
        arn = attachment.function if attachment.function.startswith("arn:") else ""
        return cls(
            function_name(attachment.function),
            arn,
            attachment.project_dir.resolve(),
            attachment.handler,
            attachment.webhook_handler,
            dict(attachment.env),
            attached=True,
            concurrency=concurrency,
        )

    def workers(self) -> Any:
        """The worker pool (:class:`~c2c_cli.runtime.pool.TargetPool`): ``with f.workers().acquire() as t``."""
        if self.pool is None:
            from c2c_cli.runtime.pool import TargetPool

            self.pool = TargetPool(self._new_worker, self.concurrency)
        return self.pool

    def _new_worker(self) -> Any:
        """One more worker subprocess (its first invocation is a cold start)."""
        from c2c_cli.runtime.targets import SubprocessTarget, TargetSpec

        spec = TargetSpec(self.project_dir, HANDLER, self.name, self.arn)
        # The developer's own AWS credentials and endpoints never reach the connector.
        base = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        base["AWS_EC2_METADATA_DISABLED"] = "true"
        return SubprocessTarget(spec, base_env=base)

    def close(self) -> None:
        """Stop the workers (an invocation in flight finishes first; a given target is its owner's)."""
        if self.pool is not None:
            self.pool.close()


def from_moto(name: str, account_id: str, region: str, scratch: Path, concurrency: int = 1) -> Function:
    """The function's zip and configuration from the in-process companion moto server.

    Raises:
        InvocationError: moto has no such function.
    """
    from moto.awslambda.models import lambda_backends

    try:
        fn = lambda_backends[account_id][region].get_function(name)
    except Exception:  # moto raises its own not-found types
        raise InvocationError(
            f"Lambda function {name} does not exist in the local moto server; "
            "create it or attach a project (c2c emulator start --connector DIR)"
        ) from None
    directory = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=scratch))
    with zipfile.ZipFile(BytesIO(fn.code_bytes)) as archive:
        archive.extractall(directory)
    module, _, attr = str(fn.handler).rpartition(".")
    env = {str(k): str(v) for k, v in (fn.environment_vars or {}).items()}
    return Function(name, fn.function_arn, directory, f"{module}:{attr}", None, env, concurrency=concurrency)


def _project_zip(project_dir: Path) -> bytes:
    """The project's Python sources, as ``sam build`` would package them (tests and hidden dirs left out)."""
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(project_dir.rglob("*.py")):
            relative = path.relative_to(project_dir)
            if not any(part.startswith((".", "__pycache__")) or part == "tests" for part in relative.parts):
                archive.write(path, relative.as_posix())
    return buf.getvalue()


def deploy_to_moto(attachment: ConnectorAttachment, clients: Callable[[str], Any]) -> str:
    """Create the attached function in moto unless it exists, so ``c2c register`` finds it; its ARN.

    Args:
        attachment: the project playing the function.
        clients: ``clients(service)`` → a boto3 client of the default account against moto.
    """
    import json

    lam = clients("lambda")
    name = function_name(attachment.function)
    try:
        return str(lam.get_function(FunctionName=name)["Configuration"]["FunctionArn"])
    except lam.exceptions.ResourceNotFoundException:
        pass
    role = clients("iam").create_role(
        RoleName=f"c2c-emulator-{name}"[:64],
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
    )
    made = lam.create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=role["Role"]["Arn"],
        Handler=attachment.handler.replace(":", "."),
        Code={"ZipFile": _project_zip(attachment.project_dir)},
        Environment={"Variables": dict(attachment.env)},
    )
    return str(made["FunctionArn"])


def project_attachment(
    project_dir: Path,
    env: dict[str, str] | None = None,
    function: str | None = None,
    *,
    parameters: Mapping[str, str] | None = None,
    pseudo: Mapping[str, str] | None = None,
) -> tuple[ConnectorAttachment, tuple[str, ...]]:
    """An attachment from a project's ``c2c.yaml`` and ``template.yaml``, and the template's warnings.

    The function is ``aws.function_name`` (else the connector's name), the handler ``connector.handler``.
    Its environment is what ``template.yaml`` gives the function (``sam local`` style, see
    ``driver.template``), with ``env`` (``--connector-env``) on top.

    Raises:
        ConfigError: the project's ``c2c.yaml`` or ``template.yaml`` is missing or invalid.
    """
    from c2c_cli.config import load_config

    cfg = load_config(project_dir)
    name = function or cfg.aws.function_name or cfg.connector.name
    handler = cfg.connector.handler
    found = template_environment(project_dir, name, handler, parameters or {}, pseudo or {})
    merged = {**found.env, **(env or {})}
    return ConnectorAttachment(name, project_dir, handler, env=tuple(merged.items())), found.warnings


def parse_env(items: list[str], environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """``NAME=VALUE`` strings as a mapping; a bare ``NAME`` takes its value from ``environ``.

    The bare form keeps secrets (a vendor client secret) out of the command line, where ``ps`` shows them.

    Raises:
        UsageError: listing every item that is neither ``NAME=VALUE`` nor a set variable's ``NAME``.
    """
    from c2c_cli.errors import UsageError

    source = os.environ if environ is None else environ
    name = r"[A-Za-z_][A-Za-z0-9_]*"
    bad = [
        i
        for i in items
        if not re.fullmatch(name + r"=.*", i, re.DOTALL) and not (re.fullmatch(name, i) and i in source)
    ]
    if bad:
        raise UsageError(
            f"--connector-env wants NAME=VALUE or the NAME of a set variable, got: {', '.join(bad)}"
        )
    pairs = [i.partition("=") for i in items]
    return {key: value if sep else source[key] for key, sep, value in pairs}


def project_handler(project_dir: Path) -> str:
    """``connector.handler`` of the project's ``c2c.yaml`` (the template's default without one)."""
    if not (project_dir / "c2c.yaml").is_file():
        return "connector.handler:lambda_handler"
    from c2c_cli.config import load_config

    return load_config(project_dir).connector.handler
