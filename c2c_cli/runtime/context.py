"""A fake Lambda context whose clock is the service's 2 s budget (contract.md §2.1), not the function's."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["SERVICE_BUDGET_MS", "FakeLambdaContext", "function_arn"]

#: contract.md §2.1: each invocation may run for at most 2 s.
SERVICE_BUDGET_MS = 2000


def function_arn(name: str, region: str, account_id: str) -> str:
    """``arn:aws:lambda:<region>:<account>:function:<name>``."""
    return f"arn:aws:lambda:{region}:{account_id}:function:{name}"


@dataclass
class FakeLambdaContext:
    """What the Lambda runtime passes as ``context``, enough for connectors that read it.

    Attributes:
        function_name: ``AWS_LAMBDA_FUNCTION_NAME``.
        invoked_function_arn: the function ARN.
        budget_ms: where ``get_remaining_time_in_millis`` starts.
        clock: monotonic seconds (tests inject a fake one).
    """

    function_name: str
    invoked_function_arn: str
    budget_ms: int = SERVICE_BUDGET_MS
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    function_version: str = "$LATEST"
    memory_limit_in_mb: str = "128"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = ""
    log_stream_name: str = "c2c-simulate"
    identity: None = None
    client_context: None = None

    def __post_init__(self) -> None:
        self._deadline = self.clock() + self.budget_ms / 1000
        self.log_group_name = self.log_group_name or f"/aws/lambda/{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left of the service's budget, never negative."""
        return max(0, int((self._deadline - self.clock()) * 1000))
