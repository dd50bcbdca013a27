"""What every target shares: the connector to run, the :class:`Target` protocol and the grace period."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from c2c_cli.runtime.loader import CallOutcome

__all__ = ["GRACE_MS", "Target", "TargetSpec"]

#: how long past the 2 s budget a call may run before it is declared hung (scheduling noise).
GRACE_MS = 300


@dataclass(frozen=True)
class TargetSpec:
    """The connector to run and how Lambda would name it.

    Attributes:
        project_dir: the connector project.
        handler: ``module:function``.
        function_name: ``AWS_LAMBDA_FUNCTION_NAME``.
        function_arn: the function ARN (context.invoked_function_arn).
    """

    project_dir: Path
    handler: str
    function_name: str
    function_arn: str


class Target(Protocol):
    """Runs one invocation."""

    name: str

    def invoke(
        self, event: dict[str, Any], env: dict[str, str], budget_ms: int, entry: str | None = None
    ) -> CallOutcome:
        """Deliver ``event`` with ``env`` in force; at most ``budget_ms`` (+ grace) of waiting.

        ``entry`` (``module:function``) calls another entry point of the project instead of the handler.
        """
        ...

    def close(self) -> None:
        """Release the target (stop workers, forget modules)."""
        ...
