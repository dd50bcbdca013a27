"""Invoking the connector the way the service does (contract.md §2.1, §9 #4).

A cloud connector's Lambda ARN maps to local code: a project attached with ``--connector DIR`` (or
:meth:`Invoker.attach`), else the zip the companion moto server holds for that function (unpacked to a
temporary directory). Each function runs in one worker subprocess (``c2c_cli.runtime.targets``) with the
service's budget per invocation; an exception, crash or timeout is retried with the identical request,
at most ``1 + invocation_retries`` invocations; a non-200 ACK is a reported failure and is not retried.
The worker's environment points boto3 at the emulator (``AWS_ENDPOINT_URL_IOT_MANAGED_INTEGRATIONS``)
and moto, with the registering account's test credentials; the developer's own ``AWS_*`` variables are
never passed on. Every invocation becomes one event-log record (``kind: "invocation"``) with the
request (token redacted), every attempt, the ACK and the latency.
"""

from __future__ import annotations

import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from c2c_cli.emulator.driver.entry import wrap
from c2c_cli.emulator.driver.functions import Function, InvocationError, from_moto, function_name
from c2c_cli.emulator.driver.lambda_invoke import LambdaInvocations
from c2c_cli.emulator.driver.results import InvocationResult, redacted_request, result_of
from c2c_cli.emulator.http.function_urls import FUNCTION_URL_PATH
from c2c_cli.emulator.http.lambda_api import LambdaAnswer
from c2c_cli.emulator.http.settings import Account, ConnectorAttachment, EmulatorSettings
from c2c_cli.emulator.http.store import EVENT_LOG, Store
from c2c_cli.errors import C2CError
from c2c_cli.redaction import redact
from c2c_cli.runtime.delivery import RetryPolicy, invoke_with_retries
from c2c_cli.runtime.loader import CallOutcome

__all__ = ["InvocationResult", "Invoker", "redacted_request"]

#: a Function URL may run as long as the function's own timeout; the template sets 10 s.
_WEBHOOK_BUDGET_MS = 10_000


class Invoker:
    """Runs connector invocations and webhook deliveries.

    Args:
        settings: budget and retries.
        store: where invocation records go.
        urls: returns ``(emulator URL, moto URL or None)`` (known only once the servers listen).
        clock: epoch seconds.
    """

    def __init__(
        self,
        settings: EmulatorSettings,
        store: Store,
        urls: Callable[[], tuple[str, str | None]],
        clock: Callable[[], float],
    ) -> None:
        self.settings = settings
        self.store = store
        self._urls = urls
        self._clock = clock
        self._functions: dict[str, Function] = {}
        self._lock = threading.Lock()
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        self._stopping = threading.Event()
        for attachment in settings.connectors:
            self.attach(attachment)
        self.lambdas = LambdaInvocations(self, clock)

    def attach_target(self, name: str, target: Any, env: dict[str, str]) -> None:
        """Play ``name`` with a running target (the simulator's own), which receives events unwrapped.

        ``c2c simulate``'s first invocation runs in its target; the continuations the connector queues
        with Lambda ``Invoke`` run in the same one, so its in-memory state is the same container's.
        """
        from c2c_cli.runtime.pool import TargetPool

        function = Function(name, "", Path(), "", None, env, attached=True, pool=TargetPool(None, 1, target))
        function.direct = True
        with self._lock:
            old = self._functions.pop(name, None)
            self._functions[name] = function
        if old is not None:
            old.close()

    def lambda_invoke(self, caller: Account, name: str, kind: str, payload: bytes) -> LambdaAnswer:
        """Lambda ``Invoke`` (``driver.lambda_invoke``)."""
        return self.lambdas.invoke(caller, name, kind, payload)

    def lookup(self, name: str, caller: Account) -> Function:
        """The function ``name`` plays (an attached project, else moto's code).

        Raises:
            InvocationError: no local code for it.
        """
        return self._function(name, caller)

    def run_once(self, function: Function, caller: Account, event: Any, budget_ms: int) -> CallOutcome:
        """One attempt of ``event`` in the function's worker, as its own account (Lambda ``Invoke``)."""
        owner = self._owner_of(function) if function.arn else caller
        return self._attempt(function, owner, function.event_for(event), budget_ms)

    def attach(self, attachment: ConnectorAttachment) -> None:
        """Play ``attachment.function`` with a local project (replaces an earlier attachment)."""
        function = Function.of(attachment, self.settings.concurrency)
        with self._lock:
            old = self._functions.pop(function.name, None)
            self._functions[function.name] = function
        if old is not None:
            old.close()  # an invocation in flight finishes first

    def attachments(self) -> list[dict[str, Any]]:
        """The attached projects: ``function``, ``project_dir``, ``function_url``."""
        with self._lock:
            functions = [f for f in self._functions.values() if f.attached]
        return [
            {"function": f.name, "project_dir": str(f.project_dir), "function_url": self.function_url(f.name)}
            for f in functions
        ]

    def function_url(self, arn_or_name: str) -> str | None:
        """The local Function URL of an attached project's webhook entry point."""
        name = function_name(arn_or_name)
        function = self._functions.get(name)
        if function is None or function.webhook_handler is None:
            return None
        return self._urls()[0] + FUNCTION_URL_PATH + name

    def invoke(
        self, arn: str, owner: Account, request: dict[str, Any], secrets: Iterable[str] = ()
    ) -> InvocationResult:
        """Invoke the connector with retries (contract.md §2.1) and log the invocation.

        Args:
            arn: the cloud connector's Lambda ARN (or function name).
            owner: the account that registered the connector (its credentials go to the worker).
            request: the request envelope (contract.md §2.2).
            secrets: values to redact from the connector's captured logs.
        """
        operation = str(request.get("payload", {}).get("operationName", ""))
        started = time.perf_counter()
        try:
            function = self._function(arn, owner)
        except InvocationError as exc:
            result = InvocationResult(operation, None, (), 0.0, exc.message)
            self._log(arn, request, result, "")
            return result
        secrets = list(secrets)
        event = function.event_for(request)
        policy = RetryPolicy(self.settings.invocation_budget_ms, self.settings.invocation_retries)
        invocation = invoke_with_retries(
            lambda budget_ms: self._attempt(function, owner, event, budget_ms),
            policy,
            redact=lambda text: redact(text, secrets),
            stop=self._stopping.is_set,
        )
        latency = round((time.perf_counter() - started) * 1000, 1)
        result = result_of(operation, invocation, latency)
        self._log(arn, request, result, redact(invocation.logs, secrets))
        return result

    def refuse(self, arn: str, request: dict[str, Any], problem: str) -> InvocationResult:
        """Log an invocation the service did not make (e.g. the secret's policy refuses the connector)."""
        result = InvocationResult(
            str(request.get("payload", {}).get("operationName", "")), None, (), 0.0, problem
        )
        self._log(arn, request, result, "")
        return result

    def deliver(self, name: str, event: dict[str, Any]) -> dict[str, Any] | None:
        """Run an attached project's webhook entry point with a Function URL event; its answer or None."""
        function = self._functions.get(name)
        if function is None or function.webhook_handler is None:
            return None
        owner = self._owner_of(function)
        outcome = self._attempt(function, owner, wrap(function.webhook_handler, event), _WEBHOOK_BUDGET_MS)
        if outcome.outcome != "ok" or not isinstance(outcome.response, dict):
            return {"statusCode": 502, "body": '{"message": "Internal Server Error"}'}
        return dict(outcome.response)

    def stop_retrying(self) -> None:
        """The emulator is stopping: finish the current attempts, start no retries."""
        self._stopping.set()

    def close(self) -> None:
        """Stop every worker and remove unpacked code."""
        self.lambdas.close()
        with self._lock:
            functions = list(self._functions.values())
        for function in functions:
            function.close()
        if self._scratch is not None:
            self._scratch.cleanup()

    # -- internals -------------------------------------------------------------------------------

    def _attempt(
        self, function: Function, owner: Account, event: dict[str, Any], budget_ms: int
    ) -> CallOutcome:
        """One invocation in a free worker of the function (the warmest; a new one below --concurrency).

        A handler that cannot be imported is a crashed attempt (retried, as on Lambda).
        """
        env = self._environment(function, owner)
        try:
            with function.workers().acquire() as worker:
                outcome: CallOutcome = worker.invoke(event, env, budget_ms)
        except C2CError as exc:
            return CallOutcome("crashed", None, 0.0, True, exc.message)
        return outcome

    def _environment(self, function: Function, owner: Account) -> dict[str, str]:
        endpoint, moto = self._urls()
        env = dict(function.env)
        env.update(
            AWS_ENDPOINT_URL_IOT_MANAGED_INTEGRATIONS=endpoint,
            AWS_ACCESS_KEY_ID=owner.access_key_id,
            AWS_SECRET_ACCESS_KEY=owner.secret_access_key,
            AWS_REGION=self.settings.region,
            AWS_DEFAULT_REGION=self.settings.region,
            AWS_LAMBDA_FUNCTION_NAME=function.name,
            # boto3's service-specific endpoint: the connector's self-invoke comes back here (issue 16).
            AWS_ENDPOINT_URL_LAMBDA=endpoint,
        )
        if moto:
            env["AWS_ENDPOINT_URL"] = moto
        url = self.function_url(function.name)
        if url and "WEBHOOK_URL" not in env:
            env["WEBHOOK_URL"] = url
        return env

    def _owner_of(self, function: Function) -> Account:
        match = re.search(r":(\d{12}):function:", function.arn)
        accounts = {a.account_id: a for a in self.settings.accounts}
        return accounts.get(match.group(1) if match else "", self.settings.accounts[0])

    def _function(self, arn: str, owner: Account) -> Function:
        name = function_name(arn)
        with self._lock:
            function = self._functions.get(name)
            if function is None:
                function = self._from_moto(name, owner)
                self._functions[name] = function
        if not function.arn:
            function.arn = (
                arn if arn.startswith("arn:") else _arn(name, self.settings.region, owner.account_id)
            )
        return function

    def _from_moto(self, name: str, owner: Account) -> Function:
        if self._urls()[1] is None:
            raise InvocationError(
                f"no local code for Lambda function {name}: attach a project (--connector DIR)"
            )
        if self._scratch is None:
            self._scratch = tempfile.TemporaryDirectory(prefix="c2c-emulator-functions-")
        scratch = Path(self._scratch.name)
        return from_moto(name, owner.account_id, self.settings.region, scratch, self.settings.concurrency)

    def _log(self, arn: str, request: dict[str, Any], result: InvocationResult, logs: str) -> None:
        code = (result.ack or {}).get("header", {}).get("responseCode") if result.ack else None
        record = {
            "kind": "invocation",
            "received_at": self._clock(),
            "connector_id": request.get("payload", {}).get("connectorId"),
            "function": arn,
            "operation": result.operation,
            "verdict": "ok" if result.ok else ("rejected" if result.ack else "failed"),
            "http_status": code if isinstance(code, int) else None,
            "error_code": None if result.ok else ("ConnectorError" if result.ack else "InvocationFailed"),
            "error_message": result.problem or None,
            "request": redacted_request(request),
            "response": result.ack,
            "attempts": [a.to_json() for a in result.attempts],
            "retries": max(0, len(result.attempts) - 1),
            "latency_ms": result.latency_ms,
            "logs": logs[-4000:],
        }
        self.store.append_log(EVENT_LOG, record, connector_id=record["connector_id"])


def _arn(name: str, region: str, account_id: str) -> str:
    return f"arn:aws:lambda:{region}:{account_id}:function:{name}"
