"""A deployed connector as the target (``--function NAME|ARN``): ``lambda.invoke`` through ``c2c_cli.aws``.

Credentials, region and endpoint come from boto3's chain (``--aws-profile``, ``--region``,
``AWS_ENDPOINT_URL``). The deployed function sends its events to whatever service it is configured
for, so only the ACK, the time and the tail of its log are checked here.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

from c2c_cli.runtime.loader import CallOutcome

__all__ = ["LambdaTarget"]


class LambdaTarget:
    """Invokes a deployed Lambda synchronously (``RequestResponse``, ``LogType=Tail``)."""

    name = "lambda"

    def __init__(self, function: str, profile: str | None, region: str | None, client: Any = None) -> None:
        self.function = function
        self._profile, self._region = profile, region
        self._client: Any = client
        self._invocations = 0

    def _lambda(self) -> Any:
        if self._client is None:
            from c2c_cli.aws import make_clients

            self._client = make_clients(self._profile, self._region).lambda_
        return self._client

    def invoke(
        self,
        event: dict[str, Any],
        env: dict[str, str],  # noqa: ARG002
        budget_ms: int,  # noqa: ARG002
        entry: str | None = None,  # noqa: ARG002
    ) -> CallOutcome:
        """One synchronous invocation; a ``FunctionError`` is ``raised`` (env, budget, entry: not ours to set)."""
        from c2c_cli.aws.session import call

        started = time.perf_counter()
        response = call(
            self._lambda().invoke,
            FunctionName=self.function,
            InvocationType="RequestResponse",
            LogType="Tail",
            Payload=json.dumps(event).encode(),
        )
        elapsed = (time.perf_counter() - started) * 1000
        cold, self._invocations = self._invocations == 0, self._invocations + 1
        logs = base64.b64decode(response.get("LogResult") or b"").decode("utf-8", "replace")
        body = response["Payload"].read().decode("utf-8", "replace")
        if response.get("FunctionError"):
            return CallOutcome(
                "raised", None, elapsed, cold, f"{response['FunctionError']}: {body[:300]}", logs
            )
        try:
            payload = json.loads(body)
        except ValueError:
            payload = body
        return CallOutcome("ok", payload, elapsed, cold, "", logs)

    def close(self) -> None:
        """Nothing to release."""
