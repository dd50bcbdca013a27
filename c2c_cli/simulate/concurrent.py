"""Concurrent invocations as the service makes them (issue 16): each in an execution environment of its own.

:func:`worker_pool` gives the simulator's target company: up to ``--concurrency`` targets, the extra ones
separate worker processes (``python -m c2c_cli.runtime.worker``, each with its own cold start). The
first is the simulator's own (idle invocations keep landing there). :func:`send_concurrently` delivers
``AWS.SendCommand`` requests at once (retries as the service makes them), then waits for every accepted
command's ``DEVICE_COMMAND_RESPONSE`` and checks each delivery as :meth:`Simulator.check` does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from c2c_cli.redaction import redact
from c2c_cli.runtime.delivery import Invocation, invoke_with_retries
from c2c_cli.runtime.pool import TargetPool
from c2c_cli.simulate.messages import command_request, new_trace_id
from c2c_cli.simulate.results import CapturedEvent
from c2c_cli.simulate.simulator import Delivery, Simulator, response_code
from c2c_cli.violation import Violation

__all__ = ["Sent", "send_concurrently", "worker_pool"]

Sent = tuple[Delivery, list[Violation]]


@contextmanager
def worker_pool(sim: Simulator, size: int) -> Iterator[TargetPool]:
    """The simulator's target plus up to ``size - 1`` worker processes, closed afterwards."""
    spec = getattr(sim.target, "spec", None)

    def factory() -> Any:
        from c2c_cli.runtime.targets import SubprocessTarget

        assert spec is not None  # no factory without a spec
        return SubprocessTarget(spec, {**os.environ, **sim.environment.env})

    pool = TargetPool(factory if spec is not None else None, size, first=sim.target)
    try:
        yield pool
    finally:
        pool.close()


def _responses(events: list[CapturedEvent]) -> set[Any]:
    return {e.body.get("TraceId") for e in events if e.operation == "DEVICE_COMMAND_RESPONSE"}


def send_concurrently(
    sim: Simulator, commands: list[tuple[str, list[dict[str, Any]]]], pool: TargetPool
) -> list[Sent]:
    """Deliver one ``AWS.SendCommand`` per ``(device, endpoints)`` at once; each delivery and its findings."""
    env, secrets = sim.environment.env, sim.environment.secrets
    auth, cid = sim.environment.credentials.header(), sim.environment.connector_id
    requests = [
        command_request(auth, cid, device, new_trace_id(), endpoints) for device, endpoints in commands
    ]

    def deliver(request: dict[str, Any]) -> Invocation:
        def call(budget_ms: int) -> Any:
            with pool.acquire() as target:
                return target.invoke(request, env, budget_ms)

        return invoke_with_retries(call, sim.settings.policy, redact=lambda text: redact(text, secrets))

    with ThreadPoolExecutor(max(1, len(requests))) as executor:
        invocations = list(executor.map(deliver, requests))
    traces = [str(r["payload"]["traceId"]) for r in requests]
    accepted = {
        t for t, i in zip(traces, invocations, strict=True) if i.outcome and response_code(i.response) == 200
    }
    # The responses of N commands may queue behind each other (the vendor's webhooks, N cold workers):
    # the wait grows with N; it ends as soon as every accepted command has its response.
    wait_s = sim.settings.wait_s + len(requests) * sim.settings.wait_s / 5
    events = sim.collect(wait_s, lambda es: accepted <= _responses(es))
    out: list[Sent] = []
    for (device, _), request, trace, invocation in zip(commands, requests, traces, invocations, strict=True):
        mine = [e for e in events if e.body.get("TraceId") == trace]
        if not mine:  # a response for this device with another (or no) trace id says what went wrong
            mine = [
                e
                for e in events
                if e.operation == "DEVICE_COMMAND_RESPONSE" and e.body.get("ConnectorDeviceId") == device
            ]
        delivery = Delivery(request, invocation.attempts, invocation.outcome, tuple(mine), invocation.logs)
        out.append((delivery, sim.check(delivery, "AWS.SendCommand", trace, device_id=device)))
    return out
