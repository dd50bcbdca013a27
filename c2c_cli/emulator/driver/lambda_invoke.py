"""Lambda ``Invoke`` of a local function: run it now (``RequestResponse``) or queue it (``Event``).

The function is the one the emulator already plays for a cloud connector (``driver.functions``: an
attached project, or moto's zip), run in its worker with the emulator's invocation budget
(contract.md §2.1), the handler getting the payload as its event. ``Event`` invocations go to an
:class:`~c2c_cli.emulator.driver.async_queue.AsyncQueue` (at-least-once, 2 retries); each one becomes an
event-log record like the service's own invocations (``kind: "invocation"``,
``invocation_type: "Event"``), with ``header.auth.token`` redacted from the request and the logs.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any, Protocol

from c2c_cli.emulator.driver.async_queue import AsyncJob, AsyncQueue
from c2c_cli.emulator.driver.functions import Function, InvocationError
from c2c_cli.emulator.http.lambda_api import LambdaAnswer, LambdaError
from c2c_cli.emulator.http.settings import Account, EmulatorSettings
from c2c_cli.emulator.http.store import EVENT_LOG, Store
from c2c_cli.redaction import redact, redact_request
from c2c_cli.runtime.delivery import Attempt
from c2c_cli.runtime.loader import CallOutcome

__all__ = ["LambdaInvocations"]


class Runner(Protocol):
    """What this module needs of the :class:`~c2c_cli.emulator.driver.invoker.Invoker`."""

    settings: EmulatorSettings
    store: Store

    def lookup(self, name: str, caller: Account) -> Function:
        """The function named ``name`` (raises InvocationError when there is none)."""
        ...

    def run_once(self, function: Function, caller: Account, event: Any, budget_ms: int) -> CallOutcome:
        """One attempt in one of the function's workers."""
        ...


class LambdaInvocations:
    """Lambda's ``Invoke`` for the emulator's functions.

    Args:
        runner: finds functions and runs one attempt (the invoker).
        clock: epoch seconds (record timestamps).
    """

    def __init__(self, runner: Runner, clock: Callable[[], float]) -> None:
        self._runner = runner
        self._clock = clock
        settings = runner.settings
        self.queue = AsyncQueue(
            self._attempt,
            self._log,
            settings.async_retry_delays,
            threads=settings.concurrency,
            duplicate_rate=settings.async_duplicate_rate,
            seed=settings.seed,
        )

    def invoke(self, caller: Account, name: str, kind: str, payload: bytes) -> LambdaAnswer:
        """Answer one Invoke request (``http.lambda_api`` has verified and parsed it).

        Raises:
            LambdaError: 404 ``ResourceNotFoundException`` for a function the emulator has no code for.
        """
        try:
            function = self._runner.lookup(name, caller)
        except InvocationError:
            region = self._runner.settings.region
            arn = f"arn:aws:lambda:{region}:{caller.account_id}:function:{name}"
            raise LambdaError(404, "ResourceNotFoundException", f"Function not found: {arn}") from None
        event = json.loads(payload) if payload.strip() else {}
        if kind == "DryRun":
            return LambdaAnswer(204)
        if kind == "Event":
            self.queue.submit(AsyncJob(function.name, caller, event, self._clock()))
            return LambdaAnswer(202)
        outcome = self._runner.run_once(function, caller, event, self._runner.settings.invocation_budget_ms)
        headers = {"X-Amz-Executed-Version": "$LATEST"}
        if outcome.outcome == "ok":
            return LambdaAnswer(200, headers, json.dumps(outcome.response).encode())
        error = {"errorMessage": _redacted(outcome.error, event), "errorType": _error_type(outcome)}
        return LambdaAnswer(200, {**headers, "X-Amz-Function-Error": "Unhandled"}, json.dumps(error).encode())

    def close(self) -> None:
        """Drop queued Event invocations; running ones finish."""
        self.queue.close()

    # -- the queue's callbacks ---------------------------------------------------------------------

    def _attempt(self, job: AsyncJob) -> None:
        runner = self._runner
        try:
            function = runner.lookup(job.function, job.caller)
        except InvocationError as exc:  # detached meanwhile
            outcome = CallOutcome("crashed", None, 0.0, False, exc.message)
        else:
            outcome = runner.run_once(function, job.caller, job.event, runner.settings.invocation_budget_ms)
        number = len(job.attempts) + 1
        error = _redacted(outcome.error, job.event)
        job.attempts.append(Attempt(number, outcome.outcome, outcome.duration_ms, outcome.cold, error))
        job.logs.append(outcome.logs)
        if outcome.outcome == "ok":
            job.response = outcome.response

    def _log(self, job: AsyncJob) -> None:
        event: dict[str, Any] = job.event if isinstance(job.event, dict) else {}
        found = event.get("payload")
        payload: dict[str, Any] = found if isinstance(found, dict) else {}
        connector_id = payload.get("connectorId")
        last = job.attempts[-1] if job.attempts else None
        ok = job.succeeded
        record = {
            "kind": "invocation",
            "invocation_type": "Event",
            "received_at": self._clock(),
            "queued_at": job.queued_at,
            "connector_id": connector_id,
            "function": job.function,
            "operation": payload.get("operationName"),
            "verdict": "ok" if ok else "failed",
            "http_status": None,
            "error_code": None if ok else "InvocationFailed",
            "error_message": None
            if ok
            else f"the function failed {len(job.attempts)} invocation(s) ({last.outcome if last else 'dropped'})",
            "request": redact_request(event) if isinstance(job.event, dict) else job.event,
            "response": None,  # Lambda discards an Event invocation's return value
            "attempts": [a.to_json() for a in job.attempts],
            "retries": max(0, len(job.attempts) - 1),
            "duplicate": job.duplicate,
            "latency_ms": round((time.perf_counter() - job.started) * 1000, 1) if job.started else 0.0,
            "logs": _redacted("".join(job.logs), job.event)[-4000:],
        }
        cid = connector_id if isinstance(connector_id, str) else None
        self._runner.store.append_log(EVENT_LOG, record, connector_id=cid)


def _secrets(event: Any) -> list[str]:
    """The request's ``header.auth.token`` (contract.md §2.2), to keep out of every record."""
    header = event.get("header") if isinstance(event, dict) else None
    auth = header.get("auth") if isinstance(header, dict) else None
    token = auth.get("token") if isinstance(auth, dict) else None
    return [token] if isinstance(token, str) and token else []


def _redacted(text: str, event: Any) -> str:
    return redact(text or "", _secrets(event))


def _error_type(outcome: CallOutcome) -> str:
    if outcome.outcome == "timeout":
        return "Sandbox.Timedout"
    name = (outcome.error or "").split(":", 1)[0].strip()
    return name if name.isidentifier() else "Runtime.ExitError"
